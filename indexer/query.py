"""parse_query: a query string -> concept, phrase and word units plus filters.

Runs without jieba: Chinese runs are cut by longest match against the
index's own vocabulary (terms.json), the same tokens the index holds, and
concept names (Chinese, English multi-word, abbreviations in any case) are
recognised by longest match against every concept name.  Traditional Chinese
is converted to Simplified (OpenCC).  Every problem is a QueryError naming
the query; nothing here raises anything else.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from kb.errors import QueryError
from kb.lexicon import name_key

from .analysis import normalize_token

MAX_QUERY = 1000
FIELDS = ("type", "doc", "concept", "section")
TYPES = ("definition", "mechanism", "treatment")
_FIELD = re.compile(r'(?<![\w:])([A-Za-z_]+):(?!//)("[^"]*"|\S+)')
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_LATIN = re.compile(r"[A-Za-z0-9α-ωΑ-Ω][A-Za-z0-9α-ωΑ-Ω*'\-/]*")
_OPERATORS = re.compile(r'[()\[\]{}!^~+|&\\]|(?<!\w)[*?](?!\w)|\b(?:AND|OR|NOT)\b')


@dataclass
class Unit:
    kind: str  # concept, phrase, term
    surface: str
    tokens: list[str] = field(default_factory=list)
    concept_id: str | None = None
    quoted: bool = False  # a "quoted phrase" must match as written
    alternatives: list[list[str]] = field(default_factory=list)  # token lists of cross-language equivalents


@dataclass
class ParsedQuery:
    text: str
    units: list[Unit] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)  # field -> values (a field may repeat)
    notes: list[str] = field(default_factory=list)
    boosts: list[str] = field(default_factory=list)  # Chinese runs that score extra where they stand as typed


class QueryVocabulary:
    """Index vocabulary and concept names, for cutting and recognising query words."""

    def __init__(self, vocab: list[str], concepts: dict[str, list[str]], translations: dict[str, list[str]] | None = None):
        self.vocab = set(vocab)
        self.chars = set("".join(vocab))  # the Chinese characters the index holds
        self.ancestors: dict[str, list[str]] = {}  # concept -> broader concepts (for highlighting)
        self.topics: dict[str, str] = {}  # document -> the concepts it is about, comma-joined
        self.avg_lengths: dict[str, float] = {}  # field -> average length used for BM25F
        self.tiers: set[str] = set()  # tier keys of the index's frequent terms (indexer.tiers)
        self.translations = {k.lower(): v for k, v in (translations or {}).items()}
        self.max_phrase = max((len(k.split()) for k in self.translations), default=1)
        self.maxlen = max((len(w) for w in vocab), default=1)
        self.by_key: dict[str, str] = {}
        self.zh: dict[str, str] = {}
        for cid, names in concepts.items():
            for n in names:
                self.by_key.setdefault(name_key(n), cid)
                if _CJK_RUN.search(n):
                    self.zh.setdefault(n, cid)
        self.zh_max = max((len(n) for n in self.zh), default=1)

    def zh_names(self, text: str):
        """(start, end, concept id) of names containing Chinese, longest first, left to right.
        A plain dictionary scan: queries are short, and building a pattern would cost more."""
        i = 0
        while i < len(text):
            for n in range(min(self.zh_max, len(text) - i), 1, -1):
                cid = self.zh.get(text[i : i + n])
                if cid:
                    yield i, i + n, cid
                    i += n
                    break
            else:
                i += 1

    def cut(self, run: str) -> list[str]:
        """Forward longest match of a Chinese run against the index vocabulary."""
        out, i = [], 0
        while i < len(run):
            for n in range(min(self.maxlen, len(run) - i), 0, -1):
                if n == 1 or run[i : i + n] in self.vocab:
                    out.append(run[i : i + n])
                    i += n
                    break
        return out

    def latin_concept(self, words: list[str]) -> tuple[str, int] | None:
        """(concept id, words used) for the longest name made of the leading words."""
        for n in range(min(8, len(words)), 0, -1):
            cid = self.by_key.get(name_key(" ".join(words[:n])))
            if cid and (n > 1 or len(words[0]) > 2 or words[0].isupper()):  # "an", "da": words, not AN, DA
                return cid, n
        return None


def shown(query: str, limit: int = 80) -> str:
    """A query as it may appear in a one-line message: no control characters, not too long."""
    flat = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in query).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _clean(raw: str, known: set[str] | frozenset[str] = frozenset()) -> str:
    """Control characters out, NFKC, Traditional Chinese to Simplified — unless every Chinese
    character is one the index holds (then there is nothing to convert, and OpenCC stays unloaded)."""
    if len(raw) > MAX_QUERY:
        raise QueryError(f"query of {len(raw)} characters is too long (the limit is {MAX_QUERY})")
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in raw)
    text = text.replace("：", " ")  # a full-width colon is punctuation (DBS：靶点), never a field marker
    text = unicodedata.normalize("NFKC", text)
    if _CJK_RUN.search(text) and not set("".join(_CJK_RUN.findall(text))) <= known:
        from kb.chinese import to_simplified

        text = to_simplified(text)
    return text


def _filters(text: str, parsed: ParsedQuery) -> str:
    def take(m: re.Match) -> str:
        name, value = m.group(1).lower(), m.group(2).strip('"').strip()
        if name not in FIELDS:
            raise QueryError(f"query '{shown(parsed.text)}': unknown field '{name}:' (known: {', '.join(FIELDS)})")
        if name == "type" and value not in TYPES:
            raise QueryError(f"query '{shown(parsed.text)}': type must be one of {', '.join(TYPES)}")
        if value:
            parsed.filters.setdefault(name, []).append(value)
        return " "
    return _FIELD.sub(take, text)


def _words(text: str, vocab: QueryVocabulary, parsed: ParsedQuery) -> None:
    """Concept, phrase and word units from free text (no quotes, no filters), in reading order.

    Names that contain Chinese (海马, 5-羟色胺, NMDA受体) are found first over the whole text, so
    a mixed name is never cut at the script change; the rest is read as Latin and Chinese words.
    """
    pos = 0
    for start, end, cid in vocab.zh_names(text):
        _plain(text[pos:start], vocab, parsed)
        tokens = [t for t in (normalize_token(w) for w in vocab.cut(text[start:end])) if t]
        parsed.units.append(Unit("concept", text[start:end], tokens=tokens, concept_id=cid))
        pos = end
    _plain(text[pos:], vocab, parsed)
    for run in _CJK_RUN.findall(text):  # words typed together score extra where they stand together
        if len([t for t in (normalize_token(w) for w in vocab.cut(run)) if t]) > 1:
            parsed.boosts.append(run)


def _plain(text: str, vocab: QueryVocabulary, parsed: ParsedQuery) -> None:
    """Units from text that holds no Chinese concept name."""
    pieces = re.findall(r"[\u3400-\u9fff]+|[A-Za-z0-9α-ωΑ-Ω][A-Za-z0-9α-ωΑ-Ω*'\-/]*", text)
    i = 0
    while i < len(pieces):
        if _CJK_RUN.match(pieces[i]):
            _add_text(pieces[i], vocab, parsed)
            i += 1
            continue
        j = i
        while j < len(pieces) and not _CJK_RUN.match(pieces[j]):
            j += 1
        hit = vocab.latin_concept(pieces[i:j])
        if hit:
            surface = " ".join(pieces[i : i + hit[1]])
            tokens = [t for t in (normalize_token(w) for w in re.split(r"[\s\-/]+", surface)) if t]
            parsed.units.append(Unit("concept", surface, tokens=tokens, concept_id=hit[0]))
            i += hit[1]
        else:
            i = _english_words(pieces, i, j, vocab, parsed)


def _english_words(pieces: list[str], i: int, j: int, vocab: QueryVocabulary, parsed: ParsedQuery) -> int:
    """One English word or general-vocabulary phrase (remission rate -> 缓解率); returns the next index."""
    for n in range(min(vocab.max_phrase, j - i), 0, -1):
        phrase = " ".join(pieces[i : i + n]).lower()
        if phrase in vocab.translations or n == 1:
            tokens = [t for t in (normalize_token(w) for w in re.split(r"[\s\-/]+", phrase)) if t]
            alts = [[t for t in (normalize_token(w) for w in vocab.cut(zh)) if t] for zh in vocab.translations.get(phrase, [])]
            if tokens or alts:
                parsed.units.append(Unit("phrase" if len(tokens) > 1 else "term", phrase, tokens=tokens,
                                         alternatives=[a for a in alts if a]))
            return i + n
    return i + 1


def _add_text(run: str, vocab: QueryVocabulary, parsed: ParsedQuery) -> None:
    tokens = [t for t in (normalize_token(w) for w in vocab.cut(run)) if t] if run else []
    if tokens:
        parsed.units.append(Unit("phrase" if len(tokens) > 1 else "term", run, tokens=tokens))


def parse_query(raw: str, vocab: QueryVocabulary) -> ParsedQuery:
    """Split a query into filters, quoted phrases, concepts and words."""
    parsed = ParsedQuery(text=raw)
    text = _filters(_clean(raw, vocab.chars), parsed)
    for phrase in re.findall(r'"([^"]+)"', text):
        tokens = [t for piece in re.findall(r"[\u3400-\u9fff]+|[^\s\u3400-\u9fff]+", phrase)
                  for t in ((normalize_token(w) for w in vocab.cut(piece)) if _CJK_RUN.match(piece)
                            else (normalize_token(w) for w in re.split(r"[\s\-/]+", piece)))]
        tokens = [t for t in tokens if t]
        if tokens:
            parsed.units.append(Unit("phrase", phrase, tokens=tokens, quoted=True))
    text = re.sub(r'"[^"]*"', " ", text)
    if '"' in text:
        parsed.notes.append("an unbalanced quote was ignored")
        text = text.replace('"', " ")
    _words(_OPERATORS.sub(" ", text), vocab, parsed)
    if not parsed.units and not parsed.filters:
        raise QueryError(f"query '{shown(raw)}' has no words to search for")
    return parsed
