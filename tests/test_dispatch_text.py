"""The generated sample reproduces the seed dispatch word for word and in order."""
from __future__ import annotations

import re

from docx import Document as Docx

from dispatch_gen.readers.docx_text import paragraphs

from conftest import seed_lines


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_seed_line_appears_in_order(built_sample):
    text = "\n".join(_norm(p) for p in paragraphs(built_sample))
    pos = 0
    for line in seed_lines():
        found = text.find(line, pos)
        assert found >= 0, f"missing or out of order: {line[:80]!r}"
        pos = found + len(line)


def test_seed_paragraphs_are_whole_paragraphs(built_sample):
    """Each seed line is one paragraph of the document, not a fragment of a longer one."""
    paras = [_norm(p) for p in paragraphs(built_sample)]
    for line in seed_lines():
        assert line in paras, f"not a paragraph of its own: {line[:80]!r}"


def test_header_lines(built_sample):
    paras = [_norm(p) for p in paragraphs(built_sample)]
    assert paras[:4] == ["BỘ CÔNG THƯƠNG", "CỤC CÔNG THƯƠNG ĐỊA PHƯƠNG",
                         "CÔNG ĐOÀN CỤC CÔNG THƯƠNG ĐỊA PHƯƠNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert "Độc lập - Tự do - Hạnh phúc" in paras
    assert "Số: 31/PĐTĐ-CTĐP-CĐC" in paras
    assert "Hà Nội, ngày 12 tháng 01 năm 2024" in paras
    title = paras.index("PHÁT ĐỘNG PHONG TRÀO THI ĐUA")
    assert paras[title + 1] == "Năm 2024"


def test_motto_is_bold_inside_its_sentence(built_sample):
    doc = Docx(str(built_sample))
    para = next(p for p in doc.paragraphs if "Kỷ cương trách nhiệm" in p.text)
    bold = "".join(r.text for r in para.runs if r.bold)
    plain = "".join(r.text for r in para.runs if not r.bold)
    assert bold == "Kỷ cương trách nhiệm, chủ động kịp thời, tăng tốc sáng tạo, hiệu quả bền vững"
    assert plain.startswith("1. Động viên cán bộ") and plain.endswith('"" và phong trào thi đua của Bộ Công Thương.')


def test_text_is_nfc(built_sample):
    import unicodedata

    for p in paragraphs(built_sample):
        assert unicodedata.is_normalized("NFC", p)
