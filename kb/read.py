"""Stage 1 — read_document: bytes on disk -> Document with raw text.

Formats are recognised by content, not trusted from the extension: a PDF is a
file starting with ``%PDF-``; text encodings are detected (BOM, UTF-8, UTF-16,
then charset-normalizer for GB18030/GBK/Big5...).  Every failure is a
:class:`ReadError` naming the file and the reason.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

from .errors import ReadError
from .models import Document
from .pdftext import extract_pdf_text

TEXT_SUFFIXES = {".txt", ".text"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED = sorted(TEXT_SUFFIXES | PDF_SUFFIXES)
MANIFEST_NAME = "manifest.json"
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")  # controls (not \t\n\f\r) and U+FFFD

_BOMS = [
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
]


def safe_doc_id(name: str) -> str:
    """Turn a file name into an identifier safe for URLs and paths.

    Keeps ASCII letters, digits, ``-``, ``_`` and CJK characters; everything
    else (path separators, dots, spaces) becomes ``-``.  Never empty, never
    ``..``.
    """
    stem = unicodedata.normalize("NFKC", name)
    stem = re.sub(r"\.(txt|text|pdf)$", "", stem, flags=re.I)
    stem = re.sub(r"[^0-9A-Za-z_\u4e00-\u9fff-]+", "-", stem).strip("-_")
    return stem[:80] or "doc"


def _try_decode(data: bytes, enc: str) -> str | None:
    try:
        return data.decode(enc)
    except UnicodeDecodeError:
        return None


def _mostly_text(text: str) -> bool:
    """Decoded text that reads as text: letters, CJK, punctuation; almost no controls or odd planes."""
    if not text:
        return False
    good = sum(1 for ch in text if ch.isprintable() or ch in "\n\r\t\f")
    cjk_or_ascii = sum(1 for ch in text if ch.isascii() or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return good / len(text) > 0.98 and cjk_or_ascii / len(text) > 0.9


def _decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """Decode text bytes, returning (text, encoding name)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc), enc
    if b"\x00" in data:
        # UTF-16 without a BOM (Chinese text has few NULs, ASCII text many), else binary.
        for enc in ("utf-16-le", "utf-16-be"):
            text = _try_decode(data, enc)
            if text is not None and _mostly_text(text):
                return text, enc
        raise ReadError(f"{path}: binary file (not text)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError(f"{path}: cannot detect the text encoding (not UTF-8, UTF-16 or a Chinese encoding)")
    enc = best.encoding
    if enc in {"gb2312", "gbk", "hz"}:
        enc = "gb18030"  # superset: decodes every GB-family file
    try:
        return data.decode(enc), enc
    except (UnicodeDecodeError, LookupError):
        raise ReadError(f"{path}: cannot decode the text as {enc}") from None


def _check_printable(text: str, path: Path) -> None:
    """Reject decoded text that is mostly control or replacement characters."""
    bad = len(_BAD_CHARS.findall(text))
    if bad > max(2, len(text) // 100):
        raise ReadError(f"{path}: binary or undecodable file ({bad} control characters)")


def read_document(path: str | Path, doc_id: str | None = None) -> Document:
    """Read one file into a Document holding its raw text, format, encoding and hash."""
    path = Path(path)
    if not path.exists():
        raise ReadError(f"{path}: no such file")
    if not path.is_file():
        raise ReadError(f"{path}: not a regular file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"{path}: cannot read ({exc.strerror})") from None
    if not data.strip():
        raise ReadError(f"{path}: empty file")
    suffix = path.suffix.lower()
    if data.startswith(b"%PDF-"):
        fmt, encoding, text = "pdf", "", extract_pdf_text(path)
        if not text.strip():
            raise ReadError(f"{path}: PDF has no text layer (scanned image?); run OCR first")
    elif suffix in PDF_SUFFIXES:
        raise ReadError(f"{path}: not a PDF (no %PDF header)")
    elif suffix in TEXT_SUFFIXES:
        fmt = "txt"
        text, encoding = _decode_text(data, path)
        _check_printable(text, path)
        if not text.strip():
            raise ReadError(f"{path}: empty file")
    else:
        raise ReadError(f"{path}: unsupported file type '{suffix or '(none)'}' (supported: {', '.join(SUPPORTED)})")
    return Document(
        doc_id=doc_id or safe_doc_id(path.name),
        source=path.name,
        path=str(path),
        fmt=fmt,
        encoding=encoding,
        content_hash=hashlib.sha256(data).hexdigest(),
        raw_text=text,
    )


def read_manifest(folder: Path) -> dict[str, dict]:
    """Curator's manifest for a corpus folder: file name -> metadata entries."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReadError(f"{path}: invalid manifest ({exc})") from None
    entries = data.get("documents", []) if isinstance(data, dict) else []
    return {e["file"]: e for e in entries if isinstance(e, dict) and "file" in e}


def collect_files(paths: list[str | Path]) -> tuple[list[Path], list[str]]:
    """Expand files and folders into source files, plus an error line per missing path.

    Inside folders only supported suffixes are taken (a README beside the texts
    is not an error); files named explicitly are always tried.
    """
    files: list[Path] = []
    errors: list[str] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED and not f.name.startswith(".")))
        elif p.exists():
            files.append(p)
        else:
            errors.append(f"{p}: no such file or folder")
    return files, errors
