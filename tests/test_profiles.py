"""Document families as format profiles: Party (HD 36-HD/VPTW) and Đoàn TNCS documents, built and
checked from the same profile data as Decree 30's."""
from __future__ import annotations

import copy
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from dispatch_gen import api, vn
from dispatch_gen.cli import main
from dispatch_gen.errors import DataError
from dispatch_gen.profile import load_profile

from docx_helpers import all_paragraphs, broken, para, para_starting, set_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "data" / "examples"
FAMILIES = {
    "party": {"example": "ke-hoach-dang-uy.yaml", "title": "ĐẢNG CỘNG SẢN VIỆT NAM", "mark": "*",
              "number": "Số 05-KH/ĐU", "authority": "T/M BAN THƯỜNG VỤ", "position": "BÍ THƯ",
              "parent": "ĐẢNG BỘ HUYỆN YÊN LẠC", "issuer": "ĐẢNG ỦY XÃ TAM HỒNG"},
    "youth-union": {"example": "ke-hoach-doan-thanh-nien.yaml", "title": "ĐOÀN TNCS HỒ CHÍ MINH", "mark": "***",
                    "number": "Số: 12-KH/ĐTN-VP", "authority": "TM. BAN THƯỜNG VỤ", "position": "BÍ THƯ",
                    "parent": "BCH HUYỆN ĐOÀN YÊN LẠC", "issuer": "BCH ĐOÀN XÃ TAM HỒNG"},
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("families")
    return {name: api.build(EXAMPLES / f["example"], out_dir=out / "o", registry=out / "r.sqlite").path
            for name, f in FAMILIES.items()}


def _size(p) -> float:
    return next(r.font.size.pt for r in p.runs if r.text.strip())


def _has_rule(p) -> bool:
    ppr = p._p.pPr
    return ppr is not None and ppr.find(qn("w:pBdr")) is not None


def codes(report, severity="error") -> set[str]:
    return {f.code for f in report.findings if f.severity == severity}


# --- profile data and the Số line -------------------------------------------------------------

def test_profiles_hold_the_family_facts():
    party, youth, state = load_profile("party"), load_profile("youth-union"), load_profile("decree30")
    assert party.motto is None and youth.motto is None and state.motto == "Độc lập - Tự do - Hạnh phúc"
    assert party.national_rule is not None and state.national_rule is None
    assert (party.issuer_mark, youth.issuer_mark, state.issuer_mark) == ("*", "***", "rule")
    assert party.authorities == ("T/M", "K/T", "T/L", "T/UQ")
    assert state.authorities == ("TM.", "KT.", "Q.", "TL.", "TUQ.")
    assert youth.lineage == ("youth-union", "party", "decree30")
    assert party.element("national_title").size.value == 15 and party.element("body").size.range == (14, 15)


@pytest.mark.parametrize("profile, number, codes_, line", [
    ("decree30", 5, ["UBND", "VX"], "Số: 05/KH-UBND-VX"),
    ("party", 5, ["ĐU"], "Số 05-KH/ĐU"),
    ("party", 127, ["TW"], "Số 127-KH/TW"),
    ("youth-union", 12, ["ĐTN", "VP"], "Số: 12-KH/ĐTN-VP"),
    ("party", None, ["ĐU"], "Số      -KH/ĐU"),
    ("youth-union", None, ["ĐTN"], "Số:      -KH/ĐTN"),
])
def test_number_line_follows_the_profile(profile, number, codes_, line):
    prof = load_profile(profile)
    assert vn.number_line(number, vn.symbol("KH", codes_, prof.symbol_format), prof.number_format) == line


def test_decree30_number_line_unchanged():
    assert vn.number_line(31, vn.symbol("PĐTĐ", ["CTĐP", "CĐC"])) == "Số: 31/PĐTĐ-CTĐP-CĐC"
    assert vn.number_line(None, vn.symbol(None, ["UBND", "VX"])) == "Số:      /UBND-VX"


# --- built documents, read back ---------------------------------------------------------------

@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_header_of_each_family(built, family):
    f, prof = FAMILIES[family], load_profile(family)
    doc = docx.Document(str(built[family]))
    left, right = doc.tables[0].rows[0].cells
    title, rule = [p for p in right.paragraphs if p.text or _has_rule(p)][:2]
    assert title.text == f["title"] == prof.header("national_title")
    assert title.runs[0].bold and _size(title) == prof.element("national_title").size.value == 15
    assert _has_rule(rule) and not rule.text, "a rule under the tiêu đề, no Tiêu ngữ"
    assert "Độc lập" not in "\n".join(p.text for p in all_paragraphs(doc))
    lines = [p for p in left.paragraphs if p.text]
    assert [p.text for p in lines] == [f["parent"], f["issuer"], f["mark"]]
    assert not lines[0].runs[0].bold and lines[1].runs[0].bold
    assert _size(lines[0]) == prof.element("parent_body").size.value == 14
    assert _size(lines[1]) == prof.element("issuing_body").size.value == 14
    assert not any(_has_rule(p) for p in left.paragraphs), "the mark replaces the drawn rule"
    number = para(doc, f["number"])
    assert _size(number) == prof.element("number").size.value
    date = para_starting(doc, "Tam Hồng, ngày")
    assert date.runs[0].italic and _size(date) == prof.element("date_line").size.value


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_body_title_and_signature_sizes(built, family):
    f, prof = FAMILIES[family], load_profile(family)
    doc = docx.Document(str(built[family]))
    assert _size(para(doc, "KẾ HOẠCH")) == prof.element("doc_type").size.value
    body = para_starting(doc, "Trên đây là kế hoạch")
    assert _size(body) == prof.element("body").size.value
    auth, position = para(doc, f["authority"]), para(doc, f["position"])
    assert auth.runs[0].bold and _size(auth) == prof.element("signer_authority").size.value
    assert _size(position) == prof.element("signer_authority").size.value


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_built_document_passes_its_family_check(built, family):
    report = api.check_file(built[family])  # the profile comes from the header's tiêu đề
    assert report.profile == family
    assert report.ok and not report.findings, [x.line() for x in report.findings]


def test_cli_check_with_profile_option(built):
    result = CliRunner().invoke(main, ["check", "--profile", "party", str(built["party"])])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["check", "--profile", "decree30", str(built["party"])])
    assert result.exit_code == 1 and "HDR-001" in result.output


def test_templates_of_a_family_are_looked_up_first(tmp_path):
    folder = api.default_templates_dir()
    assert api.template_path("phat-dong", profile="party") == folder / "party" / "phat-dong.docx"
    assert api.template_path("phat-dong", profile="youth-union") == folder / "youth-union" / "phat-dong.docx"
    assert api.template_path("phat-dong", profile="trade-union") == folder / "phat-dong.docx"
    mine = tmp_path / "chi-bo.yaml"
    mine.write_text("name: chi-bo\nextends: party\n", encoding="utf-8")
    assert api.template_path("bao-cao", profile=str(mine)) == folder / "party" / "bao-cao.docx"


# --- data validation against the profile -------------------------------------------------------

def _edited(tmp_path, name, old, new) -> Path:
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_party_authority_must_be_a_party_prefix(tmp_path):
    path = _edited(tmp_path, "ke-hoach-dang-uy.yaml", "authority: T/M ", "authority: TM. ")
    with pytest.raises(DataError) as exc:
        api.load_document(path)
    assert "signers[0].authority: 'TM.' is not one of T/M, K/T, T/L, T/UQ" in str(exc.value)


def test_party_number_needs_a_type_code(tmp_path):
    path = _edited(tmp_path, "ke-hoach-dang-uy.yaml", "type_code: KH ", "type_code: ")
    with pytest.raises(DataError) as exc:
        api.load_document(path)
    assert "type_code: the party profile's ký hiệu needs a type code" in str(exc.value)


# --- one breaking document per rule the families bring -------------------------------------------

def _rule_under(doc, text):
    cell = next(c for c in doc.tables[0].rows[0].cells if any(p.text == text for p in c.paragraphs))
    ps = cell.paragraphs
    return next(p for p in ps[[p.text for p in ps].index(text) + 1:] if _has_rule(p))


def _remove_rule(p):
    p._p.pPr.remove(p._p.pPr.find(qn("w:pBdr")))


PARTY_BREAKS = {
    "HDR-001": lambda d: set_text(para(d, "ĐẢNG CỘNG SẢN VIỆT NAM"), "ĐẢNG CỘNG SẢN VIỆT"),
    "HDR-002": lambda d: _add_motto(d),
    "HDR-006": lambda d: _remove_rule(_rule_under(d, "ĐẢNG CỘNG SẢN VIỆT NAM")),
    "HDR-007": lambda d: set_text(para(d, "*"), "***"),
    "NUM-002": lambda d: set_text(para(d, "Số 05-KH/ĐU"), "Số: 05-KH/ĐU"),
    "SIG-002": lambda d: set_text(para(d, "T/M BAN THƯỜNG VỤ"), "TM. BAN THƯỜNG VỤ"),
}


def _add_motto(d):
    """A Tiêu ngữ typed under the Party's tiêu đề (the family has none)."""
    title = para(d, "ĐẢNG CỘNG SẢN VIỆT NAM")
    motto = copy.deepcopy(title._p)
    title._p.addnext(motto)
    set_text(Paragraph(motto, title._parent), "Độc lập - Tự do - Hạnh phúc")


@pytest.mark.parametrize("code", sorted(PARTY_BREAKS))
def test_each_party_rule_breaks(built, tmp_path, code):
    report = api.check_file(broken(built["party"], tmp_path, PARTY_BREAKS[code]), "party")
    assert code in codes(report), [f.line() for f in report.findings]
    allowed = {code, "FMT-001", "FMT-002", "HDR-006"} if code == "HDR-002" else {code}
    assert codes(report) <= allowed, [f.line() for f in report.findings]


def test_party_number_in_decree_style_is_reported(built, tmp_path):
    report = api.check_file(broken(built["party"], tmp_path,
                                   lambda d: set_text(para(d, "Số 05-KH/ĐU"), "Số 05/KH-ĐU")), "party")
    (f,) = [f for f in report.findings if f.code == "NUM-002"]
    assert f.expected == "Số NN-LOẠI/CƠ-QUAN"


def test_party_messages_name_the_expected_forms(built, tmp_path):
    report = api.check_file(broken(built["party"], tmp_path, PARTY_BREAKS["SIG-002"]), "party")
    (f,) = [f for f in report.findings if f.code == "SIG-002"]
    assert (f.expected, f.found) == ("T/M K/T T/L T/UQ", "TM.")
    report = api.check_file(broken(built["party"], tmp_path, PARTY_BREAKS["HDR-007"]), "party")
    (f,) = [f for f in report.findings if f.code == "HDR-007"]
    assert (f.expected, f.found) == ("*", "***")


YOUTH_BREAKS = {
    "HDR-006": lambda d: _remove_rule(_rule_under(d, "ĐOÀN TNCS HỒ CHÍ MINH")),
    "HDR-007": lambda d: set_text(para(d, "***"), "*"),
    "NUM-002": lambda d: set_text(para(d, "Số: 12-KH/ĐTN-VP"), "Số 12-KH/ĐTN-VP"),
    "SIG-002": lambda d: set_text(para(d, "TM. BAN THƯỜNG VỤ"), "T/M BAN THƯỜNG VỤ"),
}


@pytest.mark.parametrize("code", sorted(YOUTH_BREAKS))
def test_each_youth_union_rule_breaks(built, tmp_path, code):
    report = api.check_file(broken(built["youth-union"], tmp_path, YOUTH_BREAKS[code]))
    assert report.profile == "youth-union"
    assert codes(report) == {code}, [f.line() for f in report.findings]


def test_state_document_is_still_checked_as_decree30(built_sample):
    report = api.check_file(built_sample)
    assert report.profile == "decree30" and report.ok


@pytest.mark.parametrize("template", sorted(str(p.relative_to(ROOT / "templates"))
                                            for p in (ROOT / "templates").glob("*/*.docx")
                                            if p.stem != "ban-sao"))  # a copy block, checked under a copied text
def test_family_templates_pass_their_check(template):
    report = api.check_file(ROOT / "templates" / template)
    assert report.profile == template.split("/")[0] and report.ok, [f.line() for f in report.findings]
