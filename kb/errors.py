"""One exception family for the whole pipeline.

Every stage raises a subclass of :class:`KBError` whose message names the file,
document or query at fault.  Only ``cli.py`` turns these into click errors.
"""


class KBError(Exception):
    """Base class: a problem the user can act on (bad input, missing index...)."""


class ReadError(KBError):
    """A source file cannot be read: missing, empty, binary, undecodable, wrong format."""


class CleanError(KBError):
    """Cleaning or structuring produced nothing usable from a readable file."""


class LexiconError(KBError):
    """The concept lexicon or a rule data file is malformed."""


class StoreError(KBError):
    """The SQLite knowledge base cannot be opened or written, or a document is unknown."""


class IndexError_(KBError):
    """The search index is missing, stale or cannot be written."""


class QueryError(KBError):
    """A search query cannot be understood."""


class SiteError(KBError):
    """The static site cannot be exported to the requested folder."""
