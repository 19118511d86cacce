"""kb — a bilingual (Chinese/English) knowledge base of psychiatric review literature.

The library API is :class:`kb.KnowledgeBase`; ``cli.py`` is a thin click layer
over it.  Importing this package is cheap: jieba, whoosh and the lexicon load
only when a method needs them.
"""
from .api import KnowledgeBase, resolve_home
from .errors import KBError

__version__ = "0.1.0"
__all__ = ["KnowledgeBase", "KBError", "resolve_home", "__version__"]
