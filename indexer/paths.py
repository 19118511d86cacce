"""Where the index lives and whether it is there (cheap: no whoosh import beyond what it needs)."""
from __future__ import annotations

from pathlib import Path

TERMS_FILE = "terms.json"
TOPICS_FILE = "topics.tsv"  # document id <TAB> the concepts it is about, comma-joined


def index_exists(index_dir: Path) -> bool:
    """An index folder with whoosh's table of contents and our terms file."""
    index_dir = Path(index_dir)
    return index_dir.is_dir() and (index_dir / TERMS_FILE).is_file() and any(index_dir.glob("_MAIN_*.toc"))
