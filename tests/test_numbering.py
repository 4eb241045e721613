"""Word's automatic numbering read back as printed labels, for checking and importing typed documents."""
from __future__ import annotations

from decimal import Decimal

import pytest
from lxml import etree

from dispatch_gen import api
from dispatch_gen.check.reader import read_docx
from dispatch_gen.readers.docx_text import paragraphs
from dispatch_gen.readers.numbering import Numbering

from typed_docs import typed_plan

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NUMBERING = f"""<w:numbering xmlns:w="{W}">
<w:abstractNum w:abstractNumId="1">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/><w:isLgl/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/>
  <w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num>
</w:numbering>"""


def ppr(num_id: str, ilvl: int):
    return etree.fromstring(f'<w:pPr xmlns:w="{W}"><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr>')


def test_levels_count_in_order_and_deeper_levels_restart():
    n = Numbering(etree.fromstring(NUMBERING))
    got = [n.label(ppr("1", lvl)) for lvl in (0, 1, 2, 2, 1, 2, 0, 1)]
    assert got == ["I.", "1.1.", "a)", "b)", "1.2.", "a)", "II.", "2.1."]


def test_start_override_and_no_list():
    n = Numbering(etree.fromstring(NUMBERING), {"Heading1": ("2", 0)})
    assert n.label(ppr("2", 0)) == "IV."
    assert n.label(None, "Heading1") == "V.", "a style's list continues the same counter"
    assert n.label(None, "Normal") is None
    assert n.label(ppr("0", 0)) is None, "numId 0 switches numbering off"
    assert n.label(ppr("9", 0)) is None


@pytest.mark.parametrize("auto", [False, True], ids=["typed labels", "Word numbering"])
def test_typed_plan_is_read_with_its_labels(tmp_path, auto):
    doc = read_docx(typed_plan(tmp_path / "plan.docx", auto))
    texts = [p.clean for p in doc.paras]
    for label in ("I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "2. Yêu cầu", "a) Phong trào thi đua phải thiết thực, hiệu quả;",
                  "II. CHỈ TIÊU", "- 80% tập thể đạt danh hiệu Tập thể lao động tiên tiến;"):
        assert label in texts


@pytest.mark.parametrize("auto", [False, True], ids=["typed labels", "Word numbering"])
def test_typed_plan_imports_and_builds_back_to_the_same_text(tmp_path, auto):
    source = typed_plan(tmp_path / "plan.docx", auto)
    result = api.import_document(source, tmp_path / "plan.yaml")
    assert result.unsorted == [] and result.problems == []
    document = api.load_document(tmp_path / "plan.yaml")
    assert document.legal_basis == ["Căn cứ Luật Thi đua, khen thưởng năm 2022;",
                                    "Căn cứ Kế hoạch số 12/KH-UBND ngày 10/01/2025 của UBND tỉnh,"]
    assert [t.share for t in document.targets] == [Decimal("0.8"), Decimal("1")]
    assert document.sections[0].items[0].paragraphs == ["Động viên cán bộ, giáo viên thi đua hoàn thành nhiệm vụ năm học."]
    built = api.build(tmp_path / "plan.yaml", out_dir=tmp_path / "o", registry=tmp_path / "r.sqlite").path
    assert [p.clean for p in read_docx(source).paras if p.clean] == [" ".join(p.split()) for p in paragraphs(built)]


def test_typed_plan_check_reports_what_the_clerk_must_fix(tmp_path):
    report = api.check_file(typed_plan(tmp_path / "plan.docx", True))
    codes = {f.code for f in report.findings if f.severity == "error"}
    assert {"PAGE-001", "HDR-003", "HDR-004"} <= codes  # Letter paper; no rules under Tiêu ngữ and issuing body
    assert "BODY-002" not in {f.code for f in report.findings}, "Mục numerals read from the list"
