"""Stage 1 — read_document: formats and encodings recognised by content; clear ReadErrors."""
from __future__ import annotations

import random

import pytest

from kb.errors import ReadError
from kb.read import collect_files, read_document, read_manifest, safe_doc_id

# A realistic paragraph (> 200 characters) so that encoding detection has something to go on.
PARAGRAPH = (
    "难治性抑郁症是指经过两种或两种以上不同作用机制的抗抑郁药物足量、足疗程治疗后，"
    "患者的抑郁症状仍未获得满意改善的一类抑郁障碍。研究发现，约有三成的抑郁症患者对多种抗抑郁治疗无效，"
    "这些患者的生活质量更差，工作能力受损更明显，疾病负担也更重。深部脑刺激、氯胺酮以及经颅磁刺激等新的治疗手段"
    "为这部分患者带来了希望，但其作用机制、最佳靶点和长期安全性仍有待进一步研究。"
    "本文就近年来相关研究进展进行综述，以期为临床治疗提供参考。"
)


def test_paragraph_is_long_enough_for_detection():
    assert len(PARAGRAPH) >= 200


ENCODINGS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8 with BOM": lambda t: t.encode("utf-8-sig"),
    "utf-16 (native BOM)": lambda t: t.encode("utf-16"),
    "utf-16-le with BOM": lambda t: b"\xff\xfe" + t.encode("utf-16-le"),
    "utf-16-be with BOM": lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
    "gb18030": lambda t: t.encode("gb18030"),
    "gbk": lambda t: t.encode("gbk"),
}


@pytest.mark.parametrize("encode", ENCODINGS.values(), ids=ENCODINGS.keys())
def test_text_encodings_all_decode_to_the_same_text(tmp_path, encode):
    path = tmp_path / "review.txt"
    path.write_bytes(encode(PARAGRAPH))
    doc = read_document(path)
    assert doc.fmt == "txt"
    assert doc.raw_text.lstrip("\ufeff") == PARAGRAPH
    assert doc.source == "review.txt"
    assert doc.doc_id == "review"


def test_content_hash_depends_on_bytes(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(PARAGRAPH.encode("utf-8"))
    b.write_bytes(PARAGRAPH.encode("gb18030"))
    assert read_document(a).content_hash != read_document(b).content_hash
    assert read_document(a).content_hash == read_document(a).content_hash


def test_utf16_without_bom_chinese_text(tmp_path):
    path = tmp_path / "review.txt"
    path.write_bytes(PARAGRAPH.encode("utf-16-le"))
    assert read_document(path).raw_text == PARAGRAPH


def test_txt_file_holding_pdf_bytes_is_read_as_pdf(tmp_path, make_pdf):
    pdf = make_pdf(["难治性抑郁症的治疗进展", "深部脑刺激对难治性抑郁症存在潜在疗效。"])
    disguised = tmp_path / "disguised.txt"
    disguised.write_bytes(pdf.read_bytes())
    doc = read_document(disguised)
    assert doc.fmt == "pdf"
    assert "深部脑刺激对难治性抑郁症存在潜在疗效。" in doc.raw_text


def test_pdf_text_layer_gives_its_chinese_text(make_pdf):
    lines = ["难治性抑郁症的治疗进展", "氯胺酮可以迅速减轻抑郁症患者的症状。", "深部脑刺激也有一定疗效。"]
    doc = read_document(make_pdf(lines, name="ketamine.pdf"))
    assert doc.fmt == "pdf"
    assert doc.doc_id == "ketamine"
    text_lines = [line.strip() for line in doc.raw_text.splitlines() if line.strip()]
    for line in lines:
        assert line in text_lines


def test_pdf_goes_through_the_whole_pipeline(make_pdf):
    from kb.pipeline import process_file

    path = make_pdf(["一、背景", "氯胺酮可以迅速减轻抑郁症患者的症状［1］。", "深部脑刺激也有一定疗效。"])
    doc = process_file(path)
    assert [s.text for s in doc.sentences] == ["氯胺酮可以迅速减轻抑郁症患者的症状［1］。", "深部脑刺激也有一定疗效。"]
    assert [(s.number, s.title) for s in doc.sections] == [("一", "背景")]


# -- errors ------------------------------------------------------------------------------------------

def _assert_read_error(path, *reason_words):
    with pytest.raises(ReadError) as info:
        read_document(path)
    message = str(info.value)
    assert str(path) in message, f"message does not name the file: {message}"
    for word in reason_words:
        assert word in message.lower(), f"reason {word!r} missing from: {message}"
    assert "\n" not in message
    return message


def test_missing_path(tmp_path):
    _assert_read_error(tmp_path / "nosuch.txt", "no such file")


def test_folder_is_not_a_file(tmp_path):
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    _assert_read_error(folder, "not a regular file")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    _assert_read_error(path, "empty")


@pytest.mark.parametrize("content", [b"   \n\t\r\n  ", "\u3000\n  \n".encode("utf-8"), b"\xef\xbb\xbf \n"],
                         ids=["ascii-blanks", "ideographic-space", "bom-and-blank"])
def test_whitespace_only_file(tmp_path, content):
    path = tmp_path / "blank.txt"
    path.write_bytes(content)
    _assert_read_error(path, "empty")


def test_random_binary_with_nuls(tmp_path):
    rnd = random.Random(7)
    data = bytes(rnd.randrange(256) for _ in range(4000))
    assert b"\x00" in data
    path = tmp_path / "blob.txt"
    path.write_bytes(data)
    _assert_read_error(path, "binary")


def test_png_named_txt(tmp_path):
    rnd = random.Random(3)
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(rnd.randrange(256) for _ in range(1000))
    path = tmp_path / "figure.txt"
    path.write_bytes(data)
    _assert_read_error(path, "binary")


def test_control_characters_without_nuls(tmp_path):
    path = tmp_path / "controls.txt"
    path.write_bytes(bytes(range(1, 32)) * 20)
    _assert_read_error(path, "binary")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_undecodable_bytes(tmp_path, seed):
    rnd = random.Random(seed)
    path = tmp_path / "garbled.txt"
    path.write_bytes(bytes(rnd.randrange(0x80, 0x100) for _ in range(400)))
    _assert_read_error(path, "encoding")


def test_chinese_text_with_invalid_bytes_inside(tmp_path):
    data = PARAGRAPH.encode("utf-8")
    path = tmp_path / "broken.txt"
    path.write_bytes(data[:60] + b"\xff\xfe\xfd" + data[60:])
    _assert_read_error(path)


def test_image_only_pdf_has_no_text_layer(make_image_pdf):
    _assert_read_error(make_image_pdf("scan.pdf"), "no text layer")


def test_corrupt_pdf(tmp_path):
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog garbage\n%%EOF")
    _assert_read_error(path, "pdf")


def test_truncated_pdf(tmp_path, make_pdf):
    data = make_pdf(["氯胺酮可以迅速减轻抑郁症患者的症状。"]).read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[:100])
    _assert_read_error(path, "pdf")


def test_pdf_suffix_without_pdf_header(tmp_path):
    path = tmp_path / "fake.pdf"
    path.write_text(PARAGRAPH, encoding="utf-8")
    _assert_read_error(path, "not a pdf")


@pytest.mark.parametrize("name", ["review.docx", "review.doc", "README"])
def test_unsupported_extension(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04" + PARAGRAPH.encode("utf-8"))
    message = _assert_read_error(path, "unsupported")
    assert ".txt" in message and ".pdf" in message  # tells the user what is supported


# -- identifiers, manifests, file collection ---------------------------------------------------------

@pytest.mark.parametrize("name", ["../../etc/passwd", "..\\..\\win.txt", "a/b\\c.txt", "..", "...", "", "./.txt"])
def test_safe_doc_id_strips_separators_and_dot_dot(name):
    doc_id = safe_doc_id(name)
    assert doc_id
    assert "/" not in doc_id and "\\" not in doc_id
    assert ".." not in doc_id
    assert doc_id not in (".", "..")
    assert not doc_id.startswith(("-", "."))


@pytest.mark.parametrize("name, expected", [
    ("dbs-trd-review.txt", "dbs-trd-review"),
    ("Ketamine Review.PDF", "Ketamine-Review"),
    ("深部脑刺激 综述.txt", "深部脑刺激-综述"),
    ("../../etc/passwd", "etc-passwd"),
])
def test_safe_doc_id_keeps_readable_names(name, expected):
    assert safe_doc_id(name) == expected


def test_safe_doc_id_is_bounded():
    assert len(safe_doc_id("抑" * 500 + ".txt")) <= 80


def test_doc_id_argument_is_used(tmp_path):
    path = tmp_path / "review.txt"
    path.write_text(PARAGRAPH, encoding="utf-8")
    assert read_document(path, doc_id="chosen").doc_id == "chosen"


def test_read_manifest(tmp_path, corpus_dir):
    entries = read_manifest(corpus_dir)
    assert set(entries) == {p.name for p in corpus_dir.glob("*.txt")}
    assert read_manifest(tmp_path) == {}
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ReadError) as info:
        read_manifest(tmp_path)
    assert "manifest.json" in str(info.value)


def test_collect_files(tmp_path):
    (tmp_path / "corpus" / "sub").mkdir(parents=True)
    (tmp_path / "corpus" / "a.txt").write_text(PARAGRAPH, encoding="utf-8")
    (tmp_path / "corpus" / "sub" / "b.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "corpus" / "README.md").write_text("notes", encoding="utf-8")
    (tmp_path / "corpus" / ".hidden.txt").write_text(PARAGRAPH, encoding="utf-8")
    explicit = tmp_path / "notes.md"
    explicit.write_text("x", encoding="utf-8")
    files, errors = collect_files([tmp_path / "corpus", explicit, tmp_path / "missing"])
    assert sorted(f.name for f in files) == ["a.txt", "b.pdf", "notes.md"]
    assert len(errors) == 1 and "missing" in errors[0]
