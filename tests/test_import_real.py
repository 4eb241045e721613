"""`import` on real published documents, as web pages and PDF copies give their text.

Each fixture in tests/fixtures/real/ is the text of a real document (its source beside it in a
`.source` file). For each: the import runs without an exception, places the header, number, date,
title, căn cứ, Điều, sections, signer and Nơi nhận, writes valid data, and the document built from
that data keeps at least 95 % of the source's lines.

How a line counts as kept (the measure is the test's own, independent of the importer): both sides
are NFC with whitespace collapsed, and the fixed forms the decree spells one way are compared in
that spelling (the Quốc hiệu and Tiêu ngữ however typed, `Số :` / `Số:`, spaces around the ký
hiệu's `/` and `-`, leading zeros, the dash and end mark of a Kính gửi / Nơi nhận line). A source
line is kept when it is part of a paragraph of the rebuilt document (a line a PDF broke off) or
when it is the end of one paragraph, whole paragraphs and the start of another (a line that
flattened the header's two columns). Typed rules and page numbers are not lines of the document;
the lines a copy added above the header (listed as `copy_mark:` in the `.source` file) must be
dropped and are left out of the count.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from dispatch_gen import api
from dispatch_gen.cli import main
from dispatch_gen.readers.docx_import import import_document
from dispatch_gen.readers.docx_text import paragraphs

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "tests" / "fixtures" / "real"
DOCS = sorted(REAL.glob("*.txt"))

_QH = re.compile(r"C\s*O\s*N\s*G\s*H\s*O\s*A\s*X\s*A\s*H\s*O\s*I\s*C\s*H\s*U\s*N\s*G\s*H\s*I\s*A\s*V\s*I\s*E\s*T\s*N\s*A\s*M")
_MOTTO = re.compile(r"DOC\s*LAP\s*[-–—]?\s*TU\s*DO\s*[-–—]?\s*HANH\s*PHUC")
_PAGE = re.compile(r"^(?:[-–]\s*)?\d{1,3}(?:\s*[-–])?$|^(?:Trang|Page)\s+\d+", re.I)


def _fold1(text: str) -> str:
    out = []
    for c in text:
        base = "".join(x for x in unicodedata.normalize("NFD", c.replace("đ", "d").replace("Đ", "D"))
                       if not unicodedata.combining(x)).upper()
        out.append(base[:1] or c)
    return "".join(out)


def canon(line: str) -> str:
    """The line in the decree's spelling of its fixed forms (see the module's docstring)."""
    text = unicodedata.normalize("NFC", line).replace("\u00a0", " ").replace("**", "")
    text = " ".join(text.replace("|", " ").split())
    for rx, fixed in ((_QH, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), (_MOTTO, "Độc lập - Tự do - Hạnh phúc")):
        m = rx.search(_fold1(text))
        if m:
            text = text[:m.start()] + fixed + text[m.end():]
    text = re.sub(r"[–—]", "-", text)
    text = re.sub(r"\b0(\d)\b", r"\1", text)
    text = re.sub(r"^(Kính gửi|Nơi nhận)\s+:", r"\1:", text)
    if text.startswith("Số"):
        text = re.sub(r"\s*([/-])\s*", r"\1", re.sub(r"^Số\s*:?\s*", "Số: ", text)).strip()
    return re.sub(r"^-\s*", "- ", text)


def _aligned_in(part: str, para: str) -> bool:
    """`part` is words of `para` (the end mark of either aside: `;` / `.` are the decree's to set)."""
    return f" {part} " in f" {para} " or f" {part.rstrip(' ;.,')} " in f" {para.rstrip(' ;.,')} "


def kept(line: str, paras: list[str], cells: int = 3) -> bool:
    """`line` is part of one paragraph, or of up to `cells` paragraphs (the columns a copy flattened)."""
    if any(_aligned_in(line, p) for p in paras):
        return True
    words = line.split(" ")
    if cells <= 1:
        return False
    for cut in range(1, len(words)):
        head, rest = " ".join(words[:cut]), " ".join(words[cut:])
        if any(_aligned_in(head, p) for p in paras) and kept(rest, paras, cells - 1):
            return True
    return False


def source_info(path: Path) -> dict:
    info: dict = {"copy_mark": []}
    for line in path.with_suffix(".source").read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(": ")
        if key == "copy_mark":
            info["copy_mark"].append(" ".join(value.split()))
        elif key:
            info[key] = value
    return info


def document_lines(path: Path) -> list[str]:
    """The source's lines that belong to the document: not blank, not a rule, not a page number,
    not a mark the copy added."""
    marks = set(source_info(path)["copy_mark"])
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = " ".join(unicodedata.normalize("NFC", raw).replace("\u00a0", " ").split())
        if not line or not any(c.isalnum() for c in line) or _PAGE.match(line) or line in marks:
            continue
        out.append(line)
    return out


def share_kept(path: Path, rebuilt: list[str]) -> tuple[float, list[str]]:
    paras = [canon(p) for p in rebuilt]
    lines = document_lines(path)
    missing = [line for line in lines if not kept(canon(line), paras)]
    return 1 - len(missing) / len(lines), missing


def test_corpus_is_real_and_varied():
    assert len(DOCS) >= 12
    kinds = set()
    for path in DOCS:
        info = source_info(path)
        assert info.get("url", "").startswith("http"), f"{path.name}: no source URL"
        assert info.get("kind") and info.get("form"), f"{path.name}: kind and form of the copy not noted"
        kinds.update(k for k in ("quyết định", "kế hoạch", "báo cáo", "công văn", "thông báo", "nghị quyết", "kết luận")
                     if k in info["kind"])
        for mark in info["copy_mark"]:
            assert mark in " ".join(path.read_text(encoding="utf-8").split()), f"{path.name}: copy mark not in the text"
    assert {"quyết định", "kế hoạch", "báo cáo", "công văn", "thông báo"} <= kinds
    families = " ".join(source_info(p)["kind"] for p in DOCS)
    for who in ("trade union", "school", "Party", "Đoàn", "People's Committee"):
        assert who.lower() in families.lower(), f"no document from a {who}"


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    out = tmp_path_factory.mktemp("real")
    results = {}
    for path in DOCS:
        data = out / f"{path.stem}.yaml"
        result = import_document(path, data)
        results[path.name] = (result, data)
    return results


@pytest.mark.parametrize("path", DOCS, ids=[p.stem for p in DOCS])
def test_real_document_rebuilds_its_lines(path, imported, import_figures):
    result, data = imported[path.name]
    assert result.problems == [], result.problems
    document = api.load_document(data)
    rebuilt = paragraphs(api.render(document))
    share, missing = share_kept(path, rebuilt)
    import_figures.append(f"{path.stem}: {share:.1%} of {len(document_lines(path))} lines kept"
                          + (f"; not kept: {missing}" if missing else ""))
    for mark in source_info(path)["copy_mark"]:
        assert not any(mark in p for p in rebuilt), f"copy mark {mark!r} printed"
    assert share >= 0.95, f"{share:.1%} kept; missing: {missing}"


def _signer_names(result) -> list[str]:
    return [s["name"] for s in result.data["signers"]]


# What each document must have placed (a few fields each, typed from the source by hand).
EXPECT = {
    "01-qd-719-ttg-2012": dict(issuer="THỦ TƯỚNG CHÍNH PHỦ", number=719, type_code="QĐ", date="2012-06-15",
                               title="QUYẾT ĐỊNH", basis=4, articles=3, recipients=2),
    "02-qd-337-ttg-2008-co-thi-dua": dict(issuer="THỦ TƯỚNG CHÍNH PHỦ", number=337, date="2008-03-28",
                                          title="QUYẾT ĐỊNH", basis=3, articles=2, authority="KT."),
    "03-qd-445-ttg-2016": dict(issuer="THỦ TƯỚNG CHÍNH PHỦ", number=445, date="2016-03-21", basis=3, articles=1),
    "04-tb-247-vpcp-2019": dict(issuer="VĂN PHÒNG CHÍNH PHỦ", number=247, type_code="TB", date="2019-07-16",
                                title="THÔNG BÁO", sections=1),
    "05-kl-445-tu-thua-thien-hue-2022": dict(issuer="TỈNH ỦY THỪA THIÊN HUẾ", number=445, type_code="KL",
                                             date="2022-05-13", profile="party", sections=1),
    "06-cv-278-pgddt-thanh-chuong-2014": dict(issuer="PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", parent="UBND HUYỆN THANH CHƯƠNG",
                                              number=278, date="2014-09-09", addressees=1,
                                              subject="Hướng dẫn thực hiện nhiệm vụ Giáo dục trung học năm học 2014-2015"),
    "07-bc-thcs-mong-an-2022": dict(issuer="TRƯỜNG: THCS MÔNG ÂN", parent="PHÒNG GD&ĐT BẢO LÂM", title="BÁO CÁO",
                                    number=None, sections=1),
    "08-kh-34-ldld-yen-dinh-2021": dict(issuer="LIÊN ĐOÀN LAO ĐỘNG HUYỆN YÊN ĐỊNH", number=34, type_code="KH",
                                        parent="LIÊN ĐOÀN LAO ĐỘNG TỈNH THANH HÓA",
                                        date="2021-12-08", title="KẾ HOẠCH", sections=1),
    "09-kh-225-twdtn-2024": dict(issuer="BAN CHẤP HÀNH TRUNG ƯƠNG", number=225, type_code="KH", date="2024-05-16",
                                 profile="youth-union", sections=1),
    "10-cv-454-ubnd-hau-giang-2011": dict(issuer="ỦY BAN NHÂN DÂN TỈNH HẬU GIANG", number=454, date="2011-04-06",
                                          addressees=4, signer="Trần Thành Lập", authority="KT.", recipients=6,
                                          archive=["VT", "NCTH.HH"]),
    "11-kh-68-ubnd-son-la-2020": dict(issuer="ỦY BAN NHÂN DÂN TỈNH SƠN LA", number=68, date="2020-03-11", sections=1),
    "12-kh-155-ubnd-bac-ninh-2017": dict(issuer="ỦY BAN NHÂN DÂN TỈNH BẮC NINH", number=155, date="2017-05-26",
                                         sections=1),
    "13-qd-1961-ubnd-kien-giang-2019": dict(issuer="ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG", number=1961, type_code="QĐ",
                                            date="2019-08-28", basis=4),
    "14-nq-80-cp-2011": dict(issuer="CHÍNH PHỦ", number=80, type_code="NQ", date="2011-05-19", title="NGHỊ QUYẾT"),
    "15-tb-142-thpt-vo-giu-2022": dict(issuer="TRƯỜNG THPT VÕ GIỮ", parent="SỞ GDĐT BÌNH ĐỊNH", number=142,
                                       date="2022-12-08", place="Ân Mỹ", signer="Nguyễn Quốc Việt"),
    "16-cv-4144-sgddt-hcm-2018": dict(issuer="SỞ GIÁO DỤC VÀ ĐÀO TẠO", parent="UỶ BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",
                                      number=4144, date="2018-11-25", urgency="KHẨN", signer="Lê Hồng Sơn",
                                      addressees=1),
}


@pytest.mark.parametrize("stem", sorted(EXPECT))
def test_real_document_elements_are_placed(stem, imported):
    result, data = imported[f"{stem}.txt"]
    d, want = result.data, EXPECT[stem]
    issuer = d["issuers"][0]
    assert issuer["name"].upper() == want["issuer"].upper()
    if "parent" in want:
        assert issuer["parent"].upper() == want["parent"].upper()
    else:
        assert "parent" not in issuer, issuer
    assert d["number"] == want["number"]
    if "type_code" in want:
        assert d.get("type_code") == want["type_code"]
    if "date" in want:
        assert str(d["date"]) == want["date"]
    if "place" in want:
        assert d["place"] == want["place"]
    if "title" in want:
        assert d["title"].replace(" ", "") in (want["title"].replace(" ", ""), "KÉTLUẬN")
    if "profile" in want:
        assert d.get("profile") == want["profile"]
    if "basis" in want:
        assert sum(x.startswith("Căn cứ") for x in d.get("legal_basis", [])) == want["basis"]
    if "articles" in want:
        assert len(d["articles"]) == want["articles"]
    if "sections" in want:
        assert len(d["sections"]) == want["sections"]
    if "addressees" in want:
        assert len(d.get("addressees", [])) == want["addressees"]
    if "subject" in want:
        assert d["subject"] == want["subject"]
    if "signer" in want:
        assert want["signer"] in _signer_names(result)
    if "authority" in want:
        assert d["signers"][0].get("authority") == want["authority"]
    if "recipients" in want:
        assert len(d["recipients"]) == want["recipients"]
    if "archive" in want:
        assert d["archive"] == want["archive"]
    if "urgency" in want:
        assert d.get("urgency") == want["urgency"]


def test_what_cannot_be_placed_is_unsorted_with_a_warning_naming_the_line(imported):
    result, data = imported["10-cv-454-ubnd-hau-giang-2011.txt"]
    assert any("Bau cho Vinh Ha Long" in u for u in result.unsorted)
    assert any("line 45" in r and "Bau cho Vinh Ha Long" in r for r in result.review)
    assert "CHƯA XẾP ĐƯỢC" in data.read_text(encoding="utf-8")


def test_copy_marks_and_page_numbers_are_dropped_and_noted(imported):
    result, _ = imported["13-qd-1961-ubnd-kien-giang-2019.txt"]
    assert sum("above the header dropped" in s for s in result.summary) == 3
    result, _ = imported["07-bc-thcs-mong-an-2022.txt"]
    assert any("page number 'You are on page 1of 9' dropped" in s for s in result.summary)


def test_imported_real_documents_are_not_ok_to_issue(imported):
    """Gaps the copy left (no signer, no Nơi nhận) make `validate` warn, never say `ok`."""
    _, data = imported["01-qd-719-ttg-2012.txt"]
    result = CliRunner().invoke(main, ["validate", str(data)])
    assert result.exit_code == 0 and ": ok" not in result.output and "gap(s) to fill" in result.output


@pytest.mark.parametrize("line", [
    "Số: 512/PGD&ĐT HIỆP HOÀ, NGÀY 30 THÁNG 10 NĂM 2020",
    "Số: 512/PGD&ĐT   HIỆP HOÀ, NGÀY 30 THÁNG 10 NĂM 2020",
])
def test_flattened_number_and_uppercase_date(tmp_path, line):
    """The issue's case: the header's two columns flattened onto the Số line, the date in capitals."""
    text = ("UBND HUYỆN HIỆP HOÀ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO Độc lập - Tự do - Hạnh phúc\n"
            f"{line}\nKẾ HOẠCH\nTổ chức Hội thi\nI. MỤC ĐÍCH\n1. Nâng cao chất lượng.\n")
    path = tmp_path / "hh.txt"
    path.write_text(text, encoding="utf-8")
    result = import_document(path, tmp_path / "hh.yaml")
    d = result.data
    assert (d["number"], d["issuers"][0]["code"], d["place"], str(d["date"])) == (512, "PGD&ĐT", "Hiệp Hoà", "2020-10-30")
    assert d["issuers"][0]["parent"] == "UBND HUYỆN HIỆP HOÀ"


@pytest.mark.parametrize("lines, parent, issuer", [
    (["THỦ TƯỚNG CHÍNH PHỦ"], None, "THỦ TƯỚNG CHÍNH PHỦ"),
    (["THỦ TƯỚNG", "CHÍNH PHỦ"], None, "THỦ TƯỚNG CHÍNH PHỦ"),
    (["ỦY BAN NHÂN DÂN", "TỈNH SƠN LA"], None, "ỦY BAN NHÂN DÂN TỈNH SƠN LA"),
    (["BỘ CÔNG THƯƠNG", "CỤC CÔNG THƯƠNG ĐỊA PHƯƠNG"], "BỘ CÔNG THƯƠNG", "CỤC CÔNG THƯƠNG ĐỊA PHƯƠNG"),
])
def test_header_lines_make_bodies(lines, parent, issuer):
    from dispatch_gen.readers.dispatch_text import group_bodies

    groups = group_bodies(lines)
    assert [g for g, is_parent in groups if not is_parent] == [issuer]
    assert [g for g, is_parent in groups if is_parent] == ([parent] if parent else [])


@pytest.mark.parametrize("line", ["QUYẾT ĐỊNH", "BÁO CÁO", "KẾ HOẠCH", "K ÉT LUẬN", "THÔNG BÁO NGHỈ HỌC DO MƯA LŨ"])
def test_doc_type_lines_are_never_issuing_bodies(tmp_path, line):
    path = tmp_path / "t.txt"
    path.write_text(f"TRƯỜNG THCS A\n{line}\nVề việc kiểm tra\nI. NỘI DUNG\n1. Kiểm tra.\n", encoding="utf-8")
    result = import_document(path, tmp_path / "t.yaml")
    assert [i["name"] for i in result.data["issuers"]] == ["TRƯỜNG THCS A"]
    assert result.data["title"].replace(" ", "").startswith(line.replace(" ", "")[:6])


@pytest.mark.parametrize("path", DOCS, ids=[p.stem for p in DOCS])
def test_any_cut_of_a_real_copy_imports_into_valid_data(path, tmp_path):
    """A copy may stop anywhere (the stored pages do): every cut of every document imports without
    an exception, into data that validates (gaps are warnings, never crashes)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    cuts = [lines[:n] for n in range(1, len(lines) + 1, 2)] + [lines[-n:] for n in range(1, len(lines), 5)]
    part = tmp_path / "part.txt"
    for cut in cuts:
        part.write_text("\n".join(cut) + "\n", encoding="utf-8")
        result = import_document(part)
        assert result.problems == [], (cut[-1:], result.problems)


@pytest.mark.parametrize("text", ["", "   \n", "|\n|\n", "Số:\n", "Số: /\n", "Nơi nhận:\n", "KT. CHỦ TỊCH\n",
                                  "Điều 1.\n", "QUYẾT ĐỊNH:\n", "A" * 20000 + "\n", "ỦY BAN\n\n|\nSố\n",
                                  "Hà\nNội, ngày 1 tháng 2\n", "Số: 99999999/QĐ-UBND\n"])
def test_odd_text_imports_without_an_exception(tmp_path, text):
    path = tmp_path / "odd.txt"
    path.write_text(text, encoding="utf-8")
    result = import_document(path, tmp_path / "odd.yaml")
    assert result.problems == []
    assert CliRunner().invoke(main, ["validate", str(tmp_path / "odd.yaml")]).exit_code == 0


@pytest.mark.parametrize("stem", ["03-qd-445-ttg-2016", "05-kl-445-tu-thua-thien-hue-2022", "14-nq-80-cp-2011"])
def test_a_copy_over_several_pages_imports_as_one(stem, tmp_path):
    """The same real text as a PDF copy of several pages gives it: a page number and the printed
    running head between the lines, with blank lines around them, inside a paragraph. The data is
    the same as from the copy without them."""
    path = REAL / f"{stem}.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    head = "Văn bản này được lưu trữ tại cơ sở dữ liệu"  # a running head of the print
    paged = list(lines)
    for k, at in enumerate((len(lines) - 4, len(lines) - 9, len(lines) - 14), 2):
        paged[at:at] = ["", str(k), "", head, ""]
    copy = tmp_path / f"{stem}.txt"
    copy.write_text("\n".join(paged) + "\n", encoding="utf-8")
    plain = import_document(path)
    result = import_document(copy)
    assert result.data == plain.data and result.unsorted == plain.unsorted
    assert sum("page number" in s for s in result.summary) == 3
    assert sum("running head" in s for s in result.summary) == 3


def test_decisions_have_their_authority_action_articles_and_annex(imported):
    d = imported["01-qd-719-ttg-2012.txt"][0].data
    assert (d["template"], d["authority"], d["action"]) == ("quyet-dinh-ca-biet", "THỦ TƯỚNG CHÍNH PHỦ", "QUYẾT ĐỊNH:")
    assert d["proposal"].startswith("Xét đề nghị của Bộ trưởng Bộ Vănhóa")
    assert [a["article"][:20] for a in d["articles"]] == ["Ban hành kèm theoQuy", "Quyết định này cóhiệ", "Các Bộ trưởng, Thủtr"]
    d = imported["03-qd-445-ttg-2016.txt"][0].data
    khoan = d["articles"][0]["content"]
    assert [k["item"] for k in khoan] == ["Mục tiêu.", "Yêu cầu."]
    assert khoan[0]["content"][0].startswith("Thúc đẩy sự phát triển bền vững, đúng bản chất các hợp tác xã, liên hiệp")
    d = imported["13-qd-1961-ubnd-kien-giang-2019.txt"][0].data
    assert d["authority"] == "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG" and (d["type_code"], d["issuers"][0]["code"]) == ("QĐ", "UBND")
    d = imported["02-qd-337-ttg-2008-co-thi-dua.txt"][0].data
    annex = d["annexes"][0]
    assert (annex["doc_type"], annex["title"]) == ("DANH SÁCH", "ĐƯỢC TẶNG THƯỞNG CỜ THI ĐUA CỦA CHÍNH PHỦ")
    assert annex["note"].startswith("(Ban hành kèm theo Quyết định số 337/QĐ-TTg")
    assert [c["item"][:22] for c in annex["content"]] == ["Trường Đại học Kinh tế", "Trường Đại học Sư phạm"]
    d = imported["14-nq-80-cp-2011.txt"][0].data
    assert d["title"] == "NGHỊ QUYẾT" and "articles" not in d


def test_signer_notes_and_direct_signing(imported):
    d = imported["16-cv-4144-sgddt-hcm-2018.txt"][0].data
    assert d["signers"] == [{"position": "GIÁM ĐỐC", "note": "(đã ký)", "name": "Lê Hồng Sơn"}]
    d = imported["15-tb-142-thpt-vo-giu-2022.txt"][0].data
    assert d["signers"] == [{"position": "HIỆU TRƯỞNG", "name": "Nguyễn Quốc Việt"}]
    d = imported["10-cv-454-ubnd-hau-giang-2011.txt"][0].data
    assert d["signers"] == [{"authority": "KT.", "for": "CHỦ TỊCH", "position": "PHÓ CHỦ TỊCH", "name": "Trần Thành Lập"}]


@pytest.mark.parametrize("path", DOCS, ids=[p.stem for p in DOCS])
def test_cli_imports_each_real_document(path, tmp_path):
    out = tmp_path / "d.yaml"
    result = CliRunner().invoke(main, ["import", str(path), "-o", str(out)])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assert f"{out}: written from {path}" in result.output and "unsorted:" in result.output
    assert out.read_text(encoding="utf-8").startswith(f"# Nhập từ {path.name}")
