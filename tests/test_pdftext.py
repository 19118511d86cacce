"""Stage 1, PDFs — kb.pdftext: the text layer in reading order.

Unit tests on hand-built printed lines and glyphs, and a two-column page drawn with reportlab
(its built-in CID font, no font file) read back through read_document and the structure stage.
"""
from __future__ import annotations

from kb.pdftext import PrintedLine, _merge_pieces, _split_at_gutter, line_texts, order_lines
from kb.pipeline import structure_text
from kb.read import read_document

PAGE = 600.0  # page width in points; the middle is at 300


def line(text, x0, x1, top, char=10.0):
    return PrintedLine(text, x0, x1, top, char)


def test_two_columns_are_read_left_then_right_between_full_width_lines():
    lines = [
        line("right column heading", 320, 500, 690),  # higher than the second left line: must not cut in
        line("title across the page", 100, 500, 760),
        line("left one", 50, 280, 700),
        line("left two", 50, 280, 680),
        line("right one", 320, 550, 700),
        line("right two", 320, 550, 670),
        line("footer across the page", 150, 450, 40),
    ]
    assert [ln.text for ln in order_lines(lines, PAGE)] == [
        "title across the page", "left one", "left two", "right one", "right column heading", "right two",
        "footer across the page"]


def test_pieces_of_one_justified_line_are_joined():
    pieces = [line("VA Augmentation", 320, 420, 527.6), line("and", 440, 460, 527.4), line("Switching", 480, 550, 527.6),
              line("Depression Outcomes", 320, 550, 512.6)]
    assert [ln.text for ln in order_lines(pieces, PAGE)] == ["VA Augmentation and Switching", "Depression Outcomes"]
    assert len(_merge_pieces(pieces, PAGE)) == 2


def _glyphs(text, x, step, gap_at=None, gap=0.0):
    out = []
    for i, ch in enumerate(text):
        if gap_at is not None and i == gap_at:
            x += gap
        out.append((ch, x, x + step * 0.95))
        x += step
    return out


def test_a_line_run_across_a_narrow_gutter_is_cut_there():
    # left column line ends at 290, right column line starts at 306: pdfminer made one line of them
    glyphs = _glyphs("左栏末尾的几个字右栏开头的几个字", 210, 10.0, gap_at=8, gap=16.0)
    parts = _split_at_gutter(glyphs, PAGE)
    assert ["".join(t for t, _, _ in p) for p in parts] == ["左栏末尾的几个字", "右栏开头的几个字"]


def test_a_justified_full_width_line_is_not_cut():
    text = "Ketamine rapidly reduces suicidal ideation in treatment resistant depression"
    glyphs, x = [], 60.0
    for ch in text:  # even word spaces of a justified line, one of them over the middle
        glyphs.append((ch, x, x + 5.5))
        x += 6.0 if ch != " " else 9.0
    assert len(_split_at_gutter(glyphs, PAGE)) == 1


def test_an_indented_first_line_is_marked():
    lines = [line("第一段的首行缩进两个字", 70, 280, 700), line("第一段的第二行", 50, 280, 686),
             line("右栏的一行", 320, 550, 700), line("右栏首行缩进", 340, 550, 686)]
    assert line_texts(lines, PAGE) == ["  第一段的首行缩进两个字", "第一段的第二行", "右栏的一行", "  右栏首行缩进"]


def _two_column_pdf(path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path), pagesize=(PAGE, 842))
    pdf.setFont("STSong-Light", 16)
    pdf.drawCentredString(PAGE / 2, 780, "氯胺酮治疗难治性抑郁症的研究进展")
    pdf.setFont("STSong-Light", 10)
    pdf.drawString(50, 750, "摘要：氯胺酮可快速缓解难治性抑郁症患者的抑郁症状。")
    left = ["1 引言", "  难治性抑郁症是指经过两种以上足量", "足疗程抗抑郁药治疗仍无效的抑郁症，",
            "约占抑郁症患者的30%。氯胺酮为NMDA受", "体拮抗剂，单次静脉输注即可起效［1］。"]
    right = ["  其抗抑郁作用在给药后数小时内出现，", "可维持约1周［2］。", "2 作用机制",
             "  氯胺酮阻断中间神经元上的NMDA受体，", "引起谷氨酸释放增加［3］。"]
    for x, column in ((50, left), (316, right)):  # a 6-point gutter: narrower than pdfminer's char margin
        for i, text in enumerate(column):
            indent = 20 if text.startswith("  ") else 0  # a paragraph's first line, indented two characters
            pdf.drawString(x + indent, 700 - 15 * i, text.strip())
    pdf.drawCentredString(PAGE / 2, 40, "· 123 ·")
    pdf.save()
    return path


def test_a_two_column_pdf_reads_in_order(tmp_path):
    doc = structure_text(read_document(_two_column_pdf(tmp_path / "two-columns.pdf")))
    assert doc.title == "氯胺酮治疗难治性抑郁症的研究进展"
    assert [(s.number, s.title) for s in doc.sections if s.kind == "heading"] == [("1", "引言"), ("2", "作用机制")]
    assert [s.text for s in doc.sentences] == [
        "氯胺酮可快速缓解难治性抑郁症患者的抑郁症状。",
        "难治性抑郁症是指经过两种以上足量足疗程抗抑郁药治疗仍无效的抑郁症，约占抑郁症患者的30%。",
        "氯胺酮为NMDA受体拮抗剂，单次静脉输注即可起效［1］。",
        "其抗抑郁作用在给药后数小时内出现，可维持约1周［2］。",
        "氯胺酮阻断中间神经元上的NMDA受体，引起谷氨酸释放增加［3］。",
    ]
