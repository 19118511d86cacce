"""Load the rule and lexicon data files shipped in ``kb/data`` (cached per process)."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from .errors import LexiconError

DATA_DIR = Path(__file__).parent / "data"


@lru_cache(maxsize=None)
def load_json(name: str) -> dict:
    """Parse ``kb/data/<name>`` once; a malformed file is a LexiconError naming it."""
    path = DATA_DIR / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise LexiconError(f"{path}: cannot load data file ({exc})") from None


@lru_cache(maxsize=None)
def compile_list(name: str, key: str) -> tuple[re.Pattern, ...]:
    """Compile the list of regular expressions stored under ``key`` in a data file."""
    return tuple(re.compile(p) for p in load_json(name)[key])


@lru_cache(maxsize=None)
def compile_one(name: str, key: str) -> re.Pattern:
    """Compile the single regular expression stored under ``key`` in a data file."""
    return re.compile(load_json(name)[key])
