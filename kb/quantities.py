"""Stage 7 — extract_quantities: percentages, sample sizes, doses, durations, P values, effect sizes.

In: a sentence's text.  Out: :class:`Quantity` objects (kind, value or range,
unit, offsets).  Patterns live in kb/data/quantities.json.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .data_files import load_json
from .models import Quantity

_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern, bool], ...]:
    return tuple((p["kind"], re.compile(p["pattern"]), p.get("keep", True)) for p in load_json("quantities.json")["patterns"])


def _num(text: str | None) -> float | None:
    if text is None:
        return None
    return float(re.sub(r"\s", "", text).replace("−", "-").replace("–", "-"))


def extract_quantities(text: str) -> list[Quantity]:
    """All quantities in ``text``, in reading order, without overlaps."""
    found: list[Quantity] = []
    if not _DIGIT.search(text):
        return found
    taken = [False] * (len(text) + 1)
    for kind, pattern, keep in _patterns():
        for m in pattern.finditer(text):
            if m.end() == m.start() or any(taken[m.start() : m.end()]):
                continue
            if not keep:
                taken[m.start() : m.end()] = [True] * (m.end() - m.start())
                continue
            g = m.groupdict()
            unit = (g.get("unit") or "").replace("％", "%")
            q = Quantity(kind=kind, text=m.group(0).strip(), start=m.start(), end=m.end(), unit=unit,
                         value=_num(g.get("v")), low=_num(g.get("lo")), high=_num(g.get("hi")))
            if kind == "p_value":
                q.unit = g["op"].replace("＜", "<").replace("＞", ">").replace("＝", "=")
            if kind == "mean_sd":
                q.high = _num(g.get("sd"))  # the SD rides in 'high'; low stays empty
            found.append(q)
            for i in range(m.start(), m.end()):
                taken[i] = True
    return sorted(found, key=lambda q: q.start)
