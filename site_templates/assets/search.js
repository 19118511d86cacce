/* Offline bilingual search for the kb site. Loads its index as <script> files
   (works from file:// and over http), only the shards a query needs. */
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";
  var LIMIT = 20, K1 = 1.2, B = 0.75;
  /* c: the sentence names the concept; a: it names a narrower one */
  var BOOST = { "c:": 2.0, "a:": 1.0 };
  var S = window.KB_SEARCH = { meta: null, terms: {}, sents: {}, more: {}, pending: {} };
  var index = null;

  function settle(key) { var p = S.pending[key]; if (p) { p.resolve(); } }
  S.setMeta = function (m) { S.meta = m; settle("meta"); };
  S.addTerms = function (k, data) { S.terms[k] = data; settle("t" + k); };
  S.addSents = function (k, data) { S.sents[k] = data; settle("s" + k); };
  S.addMore = function (key, data) { S.more[key] = data; settle("m" + key); };

  function load(key, file) {
    if (S.pending[key]) { return S.pending[key].promise; }
    var entry = {};
    entry.promise = new Promise(function (resolve, reject) { entry.resolve = resolve; entry.reject = reject; });
    S.pending[key] = entry;
    var el = document.createElement("script");
    el.src = root + "search/" + file;
    el.onerror = function () { entry.reject(new Error("cannot load the search index file " + file)); };
    document.head.appendChild(el);
    return entry.promise;
  }

  function shardOf(term, n) {
    var h = 0;
    for (var ch of term) { h = (h * 31 + ch.codePointAt(0)) % 4294967296; }
    return h % n;
  }

  function nameKey(s) {
    return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[\s\-\u2010\u2011\u2013\u2014_\u00b7]+/g, "").toLowerCase();
  }

  function prepare(meta) {
    var byKey = {}, zh = {}, zhMax = 1, maxPhrase = 1, vocab = new Set(meta.vocab), vmax = 1;
    Object.keys(meta.concepts).forEach(function (cid) {
      meta.concepts[cid].forEach(function (n) {
        var key = nameKey(n);
        if (!(key in byKey)) { byKey[key] = cid; }
        if (/[\u3400-\u9fff]/.test(n) && !(n in zh)) { zh[n] = cid; zhMax = Math.max(zhMax, n.length); }
      });
    });
    meta.vocab.forEach(function (w) { vmax = Math.max(vmax, w.length); });
    Object.keys(meta.translations).forEach(function (k) { maxPhrase = Math.max(maxPhrase, k.split(" ").length); });
    return { byKey: byKey, zh: zh, zhMax: zhMax, vocab: vocab, vmax: vmax, maxPhrase: maxPhrase,
             stop: new Set(meta.stop), meta: meta };
  }

  function cut(run) {
    var out = [], i = 0;
    while (i < run.length) {
      for (var n = Math.min(index.vmax, run.length - i); n >= 1; n--) {
        var w = run.substr(i, n);
        if (n === 1 || index.vocab.has(w)) { out.push(w); i += n; break; }
      }
    }
    return out.filter(function (w) { return !index.stop.has(w); });
  }

  function englishTerm(word) {
    var low = word.toLowerCase();
    if (index.stop.has(low)) { return null; }
    return index.meta.english[low] || low;
  }

  function conceptUnit(cid, surface) {
    return { surface: surface, alts: [["c:" + cid], ["a:" + cid]] };
  }

  function parse(query) {
    var q = query.normalize("NFKC");
    q = Array.from(q).map(function (ch) { return index.meta.t2s[ch] || ch; }).join("");
    var pieces = q.match(/[\u3400-\u9fff]+|[A-Za-z0-9\u00c0-\u024f\u03b1-\u03c9\u0391-\u03a9][A-Za-z0-9\u00c0-\u024f\u03b1-\u03c9\u0391-\u03a9'\-\/]*/g) || [];
    var units = [], i = 0;
    while (i < pieces.length) {
      var p = pieces[i];
      if (/[\u3400-\u9fff]/.test(p)) { chinese(p, units); i += 1; continue; }
      var j = i;
      while (j < pieces.length && !/[\u3400-\u9fff]/.test(pieces[j])) { j += 1; }
      i = latin(pieces, i, j, units);
    }
    return units;
  }

  function chinese(run, units) {
    var rest = "", i = 0;
    function flush() {
      var toks = cut(rest);
      if (toks.length) { units.push({ surface: rest, alts: [toks] }); }
      rest = "";
    }
    while (i < run.length) {
      var hit = null;
      for (var n = Math.min(index.zhMax, run.length - i); n >= 2; n--) {
        var name = run.substr(i, n);
        if (index.zh[name]) { hit = [index.zh[name], n]; break; }
      }
      if (hit) { flush(); units.push(conceptUnit(hit[0], run.substr(i, hit[1]))); i += hit[1]; }
      else { rest += run[i]; i += 1; }
    }
    flush();
  }

  function latin(pieces, i, j, units) {
    for (var n = Math.min(8, j - i); n >= 1; n--) {
      var words = pieces.slice(i, i + n), cid = index.byKey[nameKey(words.join(" "))];
      if (cid && (n > 1 || words[0].length > 2 || words[0] === words[0].toUpperCase())) {
        units.push(conceptUnit(cid, words.join(" ")));
        return i + n;
      }
    }
    for (n = Math.min(index.maxPhrase, j - i); n >= 1; n--) {
      var phrase = pieces.slice(i, i + n).join(" ").toLowerCase();
      var zhs = index.meta.translations[phrase];
      if (zhs || n === 1) {
        var alts = [];
        var own = phrase.split(/[\s\-\/]+/).map(englishTerm).filter(Boolean);
        if (own.length) { alts.push(own); }
        (zhs || []).forEach(function (z) { var t = cut(z); if (t.length) { alts.push(t); } });
        if (alts.length) { units.push({ surface: phrase, alts: alts }); }
        return i + n;
      }
    }
    return i + 1;
  }

  function termsOf(units) {
    var set = {};
    units.forEach(function (u) { u.alts.forEach(function (a) { a.forEach(function (t) { set[t] = true; }); }); });
    return Object.keys(set);
  }

  function entry(term) {
    var shard = S.terms[shardOf(term, index.meta.termShards)];
    return (shard && shard[term]) || null;
  }

  /* A term's postings come best first in pieces; pieces after the first load only when needed. */
  function postings(term) {
    var e = entry(term);
    if (!e) { return []; }
    var out = e.p;
    for (var j = 1; j <= e.more && S.more[e.ref + "_" + j]; j++) { out = out.concat(S.more[e.ref + "_" + j]); }
    return out;
  }

  function loadMore(terms) {
    var wanted = [];
    terms.forEach(function (t) {
      var e = entry(t);
      if (!e) { return; }
      for (var j = 1; j <= e.more; j++) {
        if (!S.more[e.ref + "_" + j]) { wanted.push(e.ref + "_" + j); return; }
      }
    });
    return Promise.all(wanted.map(function (key) { return load("m" + key, "m" + key + ".js"); }))
      .then(function () { return wanted.length > 0; });
  }

  function termScores(term) {
    var list = postings(term), n = index.meta.n, df = list.length, out = {};
    var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    var boost = BOOST[term.substr(0, 2)] || 1.0;
    list.forEach(function (p) {
      var tf = p[1], norm = 1 - B + B * p[2] / (index.meta.avgLen || 20);
      out[p[0]] = boost * idf * tf * (K1 + 1) / (tf + K1 * norm);
    });
    return out;
  }

  function unitScores(unit) {
    var best = {};
    unit.alts.forEach(function (alt) {
      var maps = alt.map(termScores), first = maps[0];
      Object.keys(first).forEach(function (idx) {
        var total = 0;
        for (var m = 0; m < maps.length; m++) {
          if (!(idx in maps[m])) { return; }
          total += maps[m][idx];
        }
        if (!(idx in best) || total > best[idx]) { best[idx] = total; }
      });
    });
    return best;
  }

  function rank(units) {
    var maps = units.map(unitScores), all = {}, any = {};
    maps.forEach(function (m) { Object.keys(m).forEach(function (idx) { any[idx] = (any[idx] || 0) + m[idx]; }); });
    Object.keys(any).forEach(function (idx) {
      if (maps.every(function (m) { return idx in m; })) { all[idx] = any[idx]; }
    });
    function order(scores) {
      return Object.keys(scores).map(Number).sort(function (a, b) { return (scores[b] - scores[a]) || (a - b); });
    }
    var exact = order(all), seen = new Set(exact), rest = order(any).filter(function (i) { return !seen.has(i); });
    return { exact: exact, rest: rest };
  }

  function sentence(idx) {
    var shard = S.sents[Math.floor(idx / index.meta.sentShard)];
    return shard[idx % index.meta.sentShard];
  }

  function render(container, query, result) {
    container.textContent = "";
    var status = document.createElement("p");
    status.className = "search-status";
    var shown = result.exact.concat(result.rest).slice(0, LIMIT);
    var msg = result.exact.length + " sentences match all the words";
    if (!result.exact.length && result.rest.length) { msg = "No sentence matches all the words; showing sentences that match any of them"; }
    else if (result.rest.length && result.exact.length < LIMIT) { msg += "; more below match some of them"; }
    status.textContent = msg + " — “" + query + "”";
    container.appendChild(status);
    var list = document.createElement("ol");
    list.className = "search-hits";
    shown.forEach(function (idx) {
      var s = sentence(idx), li = document.createElement("li"), a = document.createElement("a");
      a.href = root + s[2];
      a.textContent = s[3];
      a.setAttribute("data-sentence-id", s[0]);
      li.appendChild(a);
      var meta = document.createElement("div");
      meta.className = "hit-meta";
      s[4].forEach(function (t) {
        var badge = document.createElement("span");
        badge.className = "badge t-" + t;
        badge.textContent = t;
        meta.appendChild(badge);
      });
      var doc = document.createElement("span");
      doc.className = "hit-doc";
      doc.textContent = s[6] + (s[5] ? " · " + s[5] : "");
      meta.appendChild(doc);
      li.appendChild(meta);
      list.appendChild(li);
    });
    container.appendChild(list);
  }

  function run(query, container) {
    if (!query.trim()) { container.textContent = ""; return Promise.resolve(); }
    container.setAttribute("aria-busy", "true");
    return load("meta", "meta.js").then(function () {
      if (!index) { index = prepare(S.meta); }
      var units = parse(query);
      if (!units.length) { container.textContent = "No words to search for."; return null; }
      var shards = {};
      termsOf(units).forEach(function (t) { shards[shardOf(t, S.meta.termShards)] = true; });
      var terms = termsOf(units);
      function ranked() {
        var result = rank(units);
        if (result.exact.length >= LIMIT) { return Promise.resolve(result); }
        return loadMore(terms).then(function (more) { return more ? ranked() : result; });
      }
      return Promise.all(Object.keys(shards).map(function (k) { return load("t" + k, "t" + k + ".js"); }))
        .then(ranked)
        .then(function (result) {
          var top = result.exact.concat(result.rest).slice(0, LIMIT), need = {};
          top.forEach(function (idx) { need[Math.floor(idx / S.meta.sentShard)] = true; });
          return Promise.all(Object.keys(need).map(function (k) { return load("s" + k, "s" + k + ".js"); }))
            .then(function () { render(container, query, result); });
        });
    }).catch(function (err) {
      container.textContent = "Search is unavailable: " + err.message;
    }).then(function () { container.removeAttribute("aria-busy"); });
  }

  S.run = run;
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("search-form"), input = document.getElementById("q");
    var results = document.getElementById("search-results");
    if (!form || !input || !results) { return; }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      run(input.value, results);
    });
    var initial = new URLSearchParams(window.location.search).get("q");
    if (initial) { input.value = initial; run(initial, results); }
  });
})();
