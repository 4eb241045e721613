"""Giấy khen: one per awardee, named in ASCII, landscape, deterministic, citing the issued decision."""
from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
from click.testing import CliRunner
from docx import Document as Docx

from dispatch_gen.campaign import make_certificates, make_decision, render_batch
from dispatch_gen.campaign.certificates import certificate_contexts, issued_decision
from dispatch_gen.campaign.load import load_campaign, load_results
from dispatch_gen.campaign.workflow import template_file
from dispatch_gen.cli import main
from dispatch_gen.readers.docx_text import paragraphs
from test_campaign_common import (CAMPAIGN, RESULTS, assert_fonts, assert_page, bold, edited, element_size, para,
                                  size)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    root = tmp_path_factory.mktemp("cert")
    return make_certificates(CAMPAIGN, RESULTS, root / "out", registry=root / "book.sqlite"), root


def test_one_per_awardee_with_ascii_names(made):
    produced, root = made
    paths = produced.paths
    assert len(paths) == 9 + 122
    assert sorted(p.name for p in (root / "out" / "2024" / "giay-khen").iterdir()) == [p.name for p in paths]
    assert all(re.fullmatch(r"\d{3}-[A-Za-z0-9._-]+\.docx", p.name) for p in paths)
    assert [p.name for p in paths[:2]] == ["001-Van-phong-Cuc.docx", "002-Phong-To-chuc-can-bo.docx"]
    assert paths[9].name == "010-Nguyen-Bich-Linh.docx"
    # the decision's date is in the data: only its number is blank (issue 15)
    assert produced.notes == ["quyet-dinh-cong-nhan-danh-hieu-thi-dua-2024 is not issued yet: the certificates "
                              "leave its number blank (issue it with `decision … --issue`, then make the "
                              "certificates again)"]


def test_person_certificate(made):
    produced, _ = made
    doc = Docx(str(produced.paths[9]))
    assert_page(doc.sections[0], landscape=True)
    assert_fonts(doc)
    texts = paragraphs(produced.paths[9])
    assert texts[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert texts[2:7] == ["CỤC TRƯỞNG CỤC CÔNG THƯƠNG ĐỊA PHƯƠNG", "TẶNG", "GIẤY KHEN", "Bà Nguyễn Bích Linh",
                          "Chánh Văn phòng, Văn phòng Cục"]
    assert texts[7] == ("Đã có thành tích xuất sắc trong phong trào thi đua năm 2024, được công nhận danh hiệu "
                        + "“Chiến sĩ thi đua cơ sở”.".replace(" ", "\u00a0"))  # kept on one line (issue 15)
    assert "Quyết định số      /QĐ-CTĐP" in texts and "Hà Nội, ngày 25 tháng 12 năm 2024" in texts
    assert texts[-3:] == ["KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG", "Đương Quốc Trịnh"]
    national = para(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert bold(national) and size(national) == element_size("national_title")
    assert bold(para(doc, "GIẤY KHEN")) and size(para(doc, "GIẤY KHEN")) == 40
    name = para(doc, "Đương Quốc Trịnh")
    assert bold(name) and size(name) == element_size("signer_name")


def test_collective_certificate_has_no_detail_line(made):
    texts = paragraphs(made[0].paths[0])
    assert texts[5:7] == ["Văn phòng Cục", "Đã có thành tích xuất sắc trong phong trào thi đua năm 2024, "
                                            "được công nhận danh hiệu "
                                            + "“Tập thể lao động xuất sắc”.".replace(" ", "\u00a0")]


def test_deterministic_and_parallel_equals_serial(made, tmp_path):
    campaign = load_campaign(CAMPAIGN)
    results = load_results(RESULTS, campaign)
    decision = issued_decision(campaign, results, tmp_path / "none.sqlite")
    template = template_file("giay-khen")
    for name, workers in (("serial", 1), ("parallel", 2)):
        folder = tmp_path / name
        folder.mkdir()
        render_batch(template, certificate_contexts(campaign, results, decision, folder), workers=workers)
    for path in made[0].paths:
        assert (tmp_path / "serial" / path.name).read_bytes() == path.read_bytes()
        assert (tmp_path / "parallel" / path.name).read_bytes() == path.read_bytes()


def test_cite_the_issued_decision_and_replace_the_batch(tmp_path):
    book, out = tmp_path / "book.sqlite", tmp_path / "out"
    first = make_certificates(CAMPAIGN, RESULTS, out, registry=book)
    make_decision(CAMPAIGN, RESULTS, out, registry=book, issue=True, date=dt.date(2024, 12, 26))
    only = edited(tmp_path, ("  # titles: [Chiến sĩ thi đua cơ sở, Tập thể lao động xuất sắc]",
                             "  titles: [Chiến sĩ thi đua cơ sở, Tập thể lao động xuất sắc]"))
    second = make_certificates(CAMPAIGN, only, out, registry=book)
    assert len(first.paths) == 131 and len(second.paths) == 7 + 27
    assert second.notes == []
    folder = out / "2024" / "giay-khen"
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in second.paths)
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]
    texts = paragraphs(second.paths[-1])
    assert "Quyết định số 01/QĐ-CTĐP" in texts and "ngày 26 tháng 12 năm 2024" in texts
    assert "Hà Nội, ngày 26 tháng 12 năm 2024" in texts


def test_cli_progress_bar(tmp_path):
    run = CliRunner().invoke(main, ["certificates", str(CAMPAIGN), "--results", str(RESULTS), "-o", str(tmp_path),
                                    "--registry", str(tmp_path / "b.sqlite")])
    assert run.exit_code == 0, run.output
    assert run.stdout.strip() == str(tmp_path / "2024" / "giay-khen")
    assert "Giấy khen" in run.stderr and "131 certificates written" in run.stderr


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                    reason="LibreOffice is not installed")
def test_merged_pdf_one_page_each(tmp_path):
    """Two units only (a few certificates) keep LibreOffice quick."""
    from pypdf import PdfReader

    text = RESULTS.read_text(encoding="utf-8")
    cut = text.index("  - name: Phòng Kế hoạch - Tài chính")
    small = tmp_path / "ket-qua.yaml"
    small.write_text(text[:cut], encoding="utf-8")
    made = make_certificates(CAMPAIGN, small, tmp_path / "out", registry=tmp_path / "b.sqlite", pdf=True)
    assert len(made.paths) == 2 + 17 + 11
    assert made.pdf == tmp_path / "out" / "2024" / "giay-khen-2024.pdf"
    reader = PdfReader(str(made.pdf))
    assert len(reader.pages) == len(made.paths)
    for page in reader.pages:
        assert float(page.mediabox.width) > float(page.mediabox.height)
    assert "Văn phòng Cục" in reader.pages[0].extract_text()
    assert "Nguyễn Bích Linh" in reader.pages[2].extract_text()
