"""`check` on Decree 30's own files: only their real deviations from Phụ lục I, and every rule broken
one at a time in each official model is reported as that rule.

The files are read from `../shared/reference/decree30/` (beside the repository); the tests skip,
saying so, where they are absent.
"""
from __future__ import annotations

import copy
import json
import unicodedata
from collections import Counter
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from dispatch_gen.check import check_file
from dispatch_gen.cli import main
from decree30_files import DECREE30, cut_model, model_names, reference

EXPECTED_FILE = Path(__file__).parent / "fixtures" / "decree30-expected.json"
EXPECTED = {k: v for k, v in json.loads(EXPECTED_FILE.read_text(encoding="utf-8")).items() if not k.startswith("_")}
MODELS = [f"1.{n}" for n in range(1, 11)] + ["3.1", "3.2"]  # the documents and the copy forms


@pytest.fixture(scope="module")
def cuts(tmp_path_factory):
    """Phụ lục III cut into its models, once for the module: {"1.1": path, …}."""
    src = reference("Phuluc3.docx")
    out = tmp_path_factory.mktemp("phuluc3")
    return {name: cut_model(src, name, out) for name in model_names(src)}


def _target(key: str, cuts) -> Path:
    name, _, model = key.partition("#Mẫu ")
    return cuts[model] if model else reference(name)


def _found(report) -> set[tuple]:
    """Each finding by its rule, its (first) paragraph, and how many paragraphs it was merged from."""
    return {(f.code, f.paragraph, f.count) for f in report.findings}


def _listed(entries) -> set[tuple]:
    return {(e["rule"], e["paragraph"], e.get("count", 1)) for e in entries}


def test_every_model_of_phuluc3_is_listed(cuts):
    assert MODELS == [n for n in cuts if n.startswith(("1.", "3."))]
    assert {f"Phuluc3.docx#Mẫu {n}" for n in cuts} <= set(EXPECTED)
    for entries in EXPECTED.values():
        assert all(e["reason"].strip() and "\n" not in e["reason"] for e in entries)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_official_file_reports_only_its_listed_deviations(key, cuts):
    report = check_file(_target(key, cuts))
    found, listed = _found(report), _listed(EXPECTED[key])
    unexpected = [f.line() for f in report.findings if (f.code, f.paragraph, f.count) not in listed]
    assert not unexpected, f"{key}: findings not listed in {EXPECTED_FILE.name}:\n" + "\n".join(unexpected)
    gone = sorted(listed - found, key=str)
    assert not gone, f"{key}: listed in {EXPECTED_FILE.name} but no longer reported: {gone}"


def test_phuluc3_is_checked_per_model(cuts):
    """The whole file: one part per model (and the văn bản a decision issues), each with the
    findings its cut-out model gets."""
    report = check_file(reference("Phuluc3.docx"))
    names = report.parts
    assert names[0].startswith("part 1 (Phụ lục III")
    for model in cuts:
        assert any(n.startswith(f"Mẫu {model} - ") for n in names), model
    assert sum(n.startswith("Mẫu văn bản (được ban hành") for n in names) == 2  # inside Mẫu 1.3
    for model in cuts:
        part = next(n for n in names if n.startswith(f"Mẫu {model} - "))
        whole = Counter(f.code for f in report.findings if f.part == part)
        alone = Counter(e["rule"] for e in EXPECTED[f"Phuluc3.docx#Mẫu {model}"])
        if model == "1.3":  # the cut model holds its two văn bản kèm theo as parts of their own
            alone = Counter({"HDR-003": 1, "FORM-001": 1})
        assert whole == alone, model


def test_cli_reports_phuluc3_per_model():
    result = CliRunner().invoke(main, ["check", str(reference("Phuluc3.docx"))])
    assert result.exit_code == 1, result.output  # Mẫu 1.9's Calibri run, the 12 pt `./.` of 2.1, 2.2, 3.1
    lines = result.output.splitlines()
    assert "17 documents" in lines[0]
    assert "  Mẫu 1.5 - Công văn: 0 error(s), 1 warning(s)" in lines
    assert "  Mẫu 1.9 - Biên bản: 2 error(s), 2 warning(s)" in lines
    assert any(line.strip().startswith("info    FORM-001") and "form with 13 blanks" in line for line in lines)
    assert "Traceback" not in result.output


def test_a_form_is_one_info_line_and_fails_with_strict(cuts):
    path = str(cuts["1.5"])
    report = check_file(path)
    forms = [f for f in report.findings if f.code == "FORM-001"]
    assert [f.severity for f in forms] == ["info"] and report.ok
    assert forms[0].message.startswith("form with 13 blanks")
    assert not check_file(path, strict=True).ok
    assert CliRunner().invoke(main, ["check", path]).exit_code == 0
    strict = CliRunner().invoke(main, ["check", "--strict", path])
    assert strict.exit_code == 1 and "error   FORM-001" in strict.output


# --- no false negatives: break one rule at a time in each model -----------------------------------

def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _para(body, test, after=None):
    """The first paragraph whose text passes `test` (after the paragraph `after`, in its cell)."""
    paras = list(body.iter(qn("w:p")))
    if after is not None:
        cell = after.getparent()
        paras = [p for p in paras[paras.index(after) + 1:] if p.getparent() is cell]
    return next(p for p in paras if test(_text(p).strip()))


def _rpr(r):
    rpr = r.find(qn("w:rPr"))
    if rpr is None:
        rpr = r.makeelement(qn("w:rPr"), {})
        r.insert(0, rpr)
    return rpr


def _set(r, tag, val):
    rpr = _rpr(r)
    for old in rpr.findall(qn(tag)):
        rpr.remove(old)
    el = rpr.makeelement(qn(tag), {qn("w:val"): val})
    rpr.append(el)


def _runs(p):
    return [r for r in p.iter(qn("w:r")) if r.find(qn("w:t")) is not None]


def _national(body):
    return _para(body, lambda t: "XÃ HỘI CHỦ NGHĨA" in t)


def _issuer(body):
    return _para(body, lambda t: t.startswith("TÊN CƠ QUAN, TỔ"))


def break_size(body):
    for r in _runs(_national(body)):
        _set(r, "w:sz", "30")
        _set(r, "w:szCs", "30")


def break_weight(body):
    for r in _runs(_issuer(body)):
        _set(r, "w:b", "0")
        _set(r, "w:bCs", "0")


def break_case(body):
    """The signer's authority in lower case (the issuing body's would also change its rule's share)."""
    p = _para(body, lambda t: t.startswith(("QUYỀN HẠN, CHỨC VỤ", "CHỦ TỌA")))
    for t in p.iter(qn("w:t")):
        t.text = (t.text or "").lower()


def break_alignment(body):
    p = _national(body)
    ppr = p.find(qn("w:pPr"))
    for jc in ppr.findall(qn("w:jc")):
        ppr.remove(jc)
    ppr.append(ppr.makeelement(qn("w:jc"), {qn("w:val"): "left"}))


def break_motto_rule(body):
    motto = _para(body, lambda t: t.startswith("Độc lập"))
    rule = _para(body, lambda t: bool(t) and set(t) == {"_"}, after=motto)
    for t in rule.iter(qn("w:t")):
        t.text = ""


def _is_date(text: str) -> bool:
    """The header's date line (not a signature stamp's `ngày/tháng/năm; giờ: phút: giây`)."""
    return all(w in text for w in ("ngày", "tháng", "năm")) and "ngày/tháng" not in text


def break_date(body):
    p = _para(body, _is_date)
    ts = list(p.iter(qn("w:t")))
    ts[0].text = "Hà Nội, ngày 05 tháng 03 năm 2020"
    for t in ts[1:]:
        t.text = ""


def break_date_shape(body):
    p = _para(body, _is_date)
    ts = list(p.iter(qn("w:t")))
    ts[0].text = "Hà Nội, 05/3/2020"
    for t in ts[1:]:
        t.text = ""


def break_recipients_size(body):
    for r in _runs(_para(body, lambda t: t.startswith("Nơi nhận"))):
        _set(r, "w:sz", "28")
        _set(r, "w:szCs", "28")


def break_nfc(body):
    p = _para(body, lambda t: t == "Họ và tên")
    for t in p.iter(qn("w:t")):
        t.text = unicodedata.normalize("NFD", t.text or "")


BREAKS = {  # what is broken -> the rule that must report it
    "size": (break_size, "FMT-001"),
    "weight": (break_weight, "FMT-002"),
    "case": (break_case, "FMT-004"),
    "alignment": (break_alignment, "FMT-005"),
    "motto-rule": (break_motto_rule, "HDR-003"),
    "date": (break_date, "DATE-002"),
    "date-shape": (break_date_shape, "DATE-001"),
    "recipients-size": (break_recipients_size, "FMT-001"),
    "nfc": (break_nfc, "TXT-001"),
}


def _keys(report) -> set[tuple]:
    # A form's blank count changes when a blank is typed over: FORM-001 is not what was broken.
    return {(f.code, f.severity, f.message, f.paragraph, f.expected, f.found)
            for f in report.findings if f.code != "FORM-001"}


@pytest.mark.parametrize("what", list(BREAKS))
@pytest.mark.parametrize("model", MODELS)
def test_breaking_one_rule_reports_that_rule(model, what, cuts, tmp_path):
    if what.startswith("date") and model == "1.9":
        pytest.skip("a biên bản (Mẫu 1.9) has no date line in its header to break")
    src = cuts[model]
    document = docx.Document(str(src))
    breaker, rule = BREAKS[what]
    breaker(document.element.body)
    broken = tmp_path / f"mau-{model}-{what}.docx"
    document.save(str(broken))
    before, after = _keys(check_file(src)), _keys(check_file(broken))
    new = after - before
    assert {code for code, *_ in new} == {rule}, f"Mẫu {model}, {what}: new findings {sorted(new, key=str)}"


def test_reference_folder_is_beside_the_repository():
    if not DECREE30.is_dir():
        pytest.skip(f"{DECREE30} not present")
    assert (DECREE30 / "Phuluc3.docx").is_file()


def test_documents_one_after_another_are_checked_each_on_its_own(cuts, tmp_path):
    """Two models without their captions, one after the other in one file: two parts, split at the
    second header (it has a Số line of its own), each with the findings it has alone."""
    first = docx.Document(str(cuts["1.5"]))
    body = first.element.body
    second = docx.Document(str(cuts["1.7"])).element.body
    final = body.find(qn("w:sectPr"))
    for el in list(body):
        if el is not final and el.tag == qn("w:p") and _text(el).strip().startswith("Mẫu"):
            body.remove(el)
    for el in list(second):
        if el.tag != qn("w:sectPr") and not (el.tag == qn("w:p") and _text(el).strip().startswith("Mẫu")):
            final.addprevious(copy.deepcopy(el))
    joined = tmp_path / "two-documents.docx"
    first.save(str(joined))
    report = check_file(joined)
    assert len(report.parts) == 2 and all(n.startswith("part ") for n in report.parts), report.parts
    for part, model in zip(report.parts, ("1.5", "1.7")):
        alone = Counter(e["rule"] for e in EXPECTED[f"Phuluc3.docx#Mẫu {model}"])
        assert Counter(f.code for f in report.findings if f.part == part) == alone, (part, model)
