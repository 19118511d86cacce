"""Plain data objects passed between pipeline stages.

Each stage takes a :class:`Document` and returns it enriched (spaCy style);
nothing here does I/O.  Offsets are character offsets into ``Document.text``,
the cleaned text that sentences are cut from.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Line:
    """One physical line of extracted text after per-line cleaning."""

    text: str
    raw: str
    block_start: bool = False  # the extractor started a new text block here (leading space, page break)
    whole: bool = False  # the text is not hard-wrapped: this line is a whole paragraph or heading
    indented: bool = False  # the line starts with white space (a paragraph's indented first line)


@dataclass
class Quantity:
    kind: str  # percent, sample_size, dose, duration, p_value, effect_size, count
    text: str
    start: int  # offsets within the sentence text
    end: int
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str = ""


@dataclass
class Mention:
    concept_id: str
    start: int  # offsets within the sentence text
    end: int
    surface: str
    form: str  # zh, en or abbr


@dataclass
class Fact:
    type: str  # definition, mechanism, treatment
    confidence: float
    evidence: dict = field(default_factory=dict)


@dataclass
class Section:
    section_id: str
    ord: int
    level: int
    number: str
    title: str
    kind: str = "heading"  # heading, inline, abstract
    parent_id: str | None = None
    start: int = 0
    end: int = 0


@dataclass
class Paragraph:
    ord: int
    start: int
    end: int
    kind: str = "body"  # body, abstract_zh, abstract_en


@dataclass
class Sentence:
    sentence_id: str
    ord: int
    text: str
    start: int
    end: int
    lang: str
    para: int
    section_id: str | None = None
    kind: str = "body"
    refs: list[int] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)


@dataclass
class Concept:
    concept_id: str
    category: str
    zh: list[str] = field(default_factory=list)
    en: list[str] = field(default_factory=list)
    abbr: list[str] = field(default_factory=list)
    source: str = "lexicon"  # lexicon or mined
    doc_id: str | None = None  # for mined concepts: where they were found
    broader: list[str] = field(default_factory=list)  # ids of more general concepts (thesaurus links)
    related: list[str] = field(default_factory=list)

    @property
    def name_zh(self) -> str:
        return self.zh[0] if self.zh else ""

    @property
    def name_en(self) -> str:
        return self.en[0] if self.en else (self.abbr[0] if self.abbr else "")


@dataclass
class TermPair:
    """A bilingual pair mined from text such as 深部脑刺激（deep brain stimulation，DBS）."""

    zh: str
    en: str
    abbr: str
    doc_id: str
    count: int = 1
    concept_id: str | None = None
    status: str = "new"  # confirms, extends, new


@dataclass
class Document:
    doc_id: str
    source: str
    path: str = ""
    fmt: str = "txt"
    encoding: str = "utf-8"
    content_hash: str = ""
    raw_text: str = ""
    lines: list[Line] = field(default_factory=list)
    text: str = ""
    title: str = ""
    title_derived: bool = False
    authors: list[str] = field(default_factory=list)
    affiliation: str = ""
    journal: str = ""
    journal_en: str = ""
    year: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""
    keywords_zh: list[str] = field(default_factory=list)
    keywords_en: list[str] = field(default_factory=list)
    abstract_zh: str = ""
    abstract_en: str = ""
    captions: list[str] = field(default_factory=list)
    provenance: dict = field(default_factory=dict)  # field -> where its value came from
    extra: dict = field(default_factory=dict)  # curator's manifest entries
    sections: list[Section] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    term_pairs: list[TermPair] = field(default_factory=list)


@dataclass
class SearchHit:
    rank: int
    score: float
    sentence_id: str
    doc_id: str
    section: str
    text: str
    types: list[str]
    concepts: list[dict]
    highlight: str
    doc_title: str = ""
    section_number: str = ""
    spans: list[tuple[int, int]] = field(default_factory=list)  # highlighted character ranges of text
