"""Citation markers: ［1］, [3], ［3，8，13］, ［17，19-20］ -> sorted reference numbers."""
from __future__ import annotations

import re

CITATION = re.compile(r"[［\[]\s*(\d{1,4}(?:\s*[-–—~～]\s*\d{1,4})?(?:\s*[,，、]\s*\d{1,4}(?:\s*[-–—~～]\s*\d{1,4})?)*)\s*[］\]]")
MAX_RANGE = 200  # a "range" wider than this is not a citation range


def parse_refs(text: str) -> list[int]:
    """All reference numbers cited in ``text``, ranges expanded, sorted and unique."""
    refs: set[int] = set()
    for m in CITATION.finditer(text):
        for part in re.split(r"\s*[,，、]\s*", m.group(1)):
            bounds = [int(x) for x in re.split(r"\s*[-–—~～]\s*", part)]
            if len(bounds) == 2 and 0 <= bounds[1] - bounds[0] <= MAX_RANGE:
                refs.update(range(bounds[0], bounds[1] + 1))
            else:
                refs.update(bounds)
    return sorted(refs)
