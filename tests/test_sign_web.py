"""`serve --signing`: "Ký số" on an issued document, and signing right after Cấp số, through
Flask's test client with a real number book, LibreOffice and certificates made at run time."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dispatch_gen import api
from dispatch_gen.sign import verify_pdf

from conftest import ROOT
from sign_helpers import PASSPHRASE, issue_cert, make_ca, seal_png, signature_png, write_p12

pytest.importorskip("flask")
from lxml import html as lxml_html  # noqa: E402

from dispatch_gen.web import create_app  # noqa: E402

pytestmark = pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                                reason="LibreOffice is needed to make the PDF that is signed")

SAMPLE = "phat-dong-thi-dua-2024.yaml"
DRAFT = "examples/ke-hoach-cong-doan.yaml"


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    d = tmp_path_factory.mktemp("keys")
    ca = make_ca()
    (d / "ca.pem").write_bytes(ca.pem())
    write_p12(d / "signer.p12", issue_cert(ca, "Đương Quốc Trịnh", "Cục Công Thương địa phương"), ca)
    write_p12(d / "org.p12", issue_cert(ca, "Cục Công Thương địa phương", "Cục Công Thương địa phương"), ca, None)
    signature_png(d / "chu-ky.png")
    seal_png(d / "con-dau.png")
    (d / "ky-so.yaml").write_text(
        "signer:\n  p12: signer.p12\n  image: chu-ky.png\n  secret_env: KY_SO_NGUOI_KY\n"
        "organisation:\n  p12: org.p12\n  image: con-dau.png\n", encoding="utf-8")
    return d


def _site(tmp_path: Path, signing: Path | None):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("registry.sqlite*"))
    app = create_app(data, output=tmp_path / "output", registry=str(tmp_path / "registry.sqlite"), signing=signing)
    return app.test_client(), data


def _page(response):
    return lxml_html.fromstring(response.get_data(as_text=True))


def _token(client, url: str) -> str:
    return _page(client.get(url)).xpath("//input[@name='csrf_token']/@value")[0]


def test_sign_is_offered_on_an_issued_document_and_signs_its_pdf(keys, tmp_path, monkeypatch):
    monkeypatch.setenv("KY_SO_NGUOI_KY", PASSPHRASE)
    client, data = _site(tmp_path, keys / "ky-so.yaml")
    page = _page(client.get(f"/doc/{SAMPLE}"))
    assert not page.xpath("//*[@data-testid='sign']"), "not in the book yet: nothing to sign"
    assert client.post(f"/doc/{SAMPLE}/build", data={"csrf_token": _token(client, f"/doc/{SAMPLE}")}).status_code == 302
    page = _page(client.get(f"/doc/{SAMPLE}"))
    assert page.xpath("//*[@data-testid='sign']/text()") == ["Ký số"]

    r = client.post(f"/doc/{SAMPLE}/sign", data={"csrf_token": _token(client, f"/doc/{SAMPLE}")})
    assert r.status_code == 302
    shown = _page(client.get(r.headers["Location"]))
    notice = shown.xpath("//p[@class='notice']")[0].text_content()
    assert "đã ký số" in notice and "Đương Quốc Trịnh" in notice and "Cục Công Thương địa phương" in notice
    link = shown.xpath("//a[@data-testid='signed-pdf']/@href")[0]
    pdf = client.get(link)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    signed = tmp_path / "output" / "2024" / "31-PDTD-CTDP-CDC.pdf"
    assert signed.read_bytes() == pdf.data
    report = verify_pdf(signed, [keys / "ca.pem"])
    assert report.ok and [s.field for s in report.signatures] == ["Signer-2", "Organisation-2"]

    again = client.post(f"/doc/{SAMPLE}/sign", data={"csrf_token": _token(client, f"/doc/{SAMPLE}")})
    notice = _page(client.get(again.headers["Location"])).xpath("//p[@class='notice']")[0].text_content()
    assert "đã ký trước đó vẫn giữ nguyên" in notice and signed.read_bytes() == pdf.data


def test_issue_with_signing_signs_before_the_book_and_a_missing_secret_uses_no_number(keys, tmp_path, monkeypatch):
    monkeypatch.delenv("KY_SO_NGUOI_KY", raising=False)
    client, data = _site(tmp_path, keys / "ky-so.yaml")
    url = f"/doc/{DRAFT}/issue?date=2025-03-10"
    form = _page(client.get(url))
    assert form.xpath("//input[@data-testid='sign-on-issue']")
    fields = {"csrf_token": form.xpath("//input[@name='csrf_token']/@value")[0], "date": "2025-03-10", "sign": "1"}
    failed = client.post(f"/doc/{DRAFT}/issue", data=fields)
    assert failed.status_code >= 400
    assert "KY_SO_NGUOI_KY" in failed.get_data(as_text=True)
    assert api.registry_entries(str(tmp_path / "registry.sqlite")) == []
    assert api.load_document(data / DRAFT).number is None

    monkeypatch.setenv("KY_SO_NGUOI_KY", PASSPHRASE)
    done = client.post(f"/doc/{DRAFT}/issue", data=fields)
    assert done.status_code == 302
    assert "đã ký số" in _page(client.get(done.headers["Location"])).xpath("//p[@class='notice']")[0].text_content()
    doc = api.load_document(data / DRAFT)
    pdf = api.output_path(doc, tmp_path / "output").with_suffix(".pdf")
    report = verify_pdf(pdf, [keys / "ca.pem"])
    assert report.ok and [s.role for s in report.signatures] == ["signer", "organisation"]


def test_without_a_signing_configuration_nothing_is_offered(tmp_path):
    client, _ = _site(tmp_path, None)
    assert client.post(f"/doc/{SAMPLE}/build", data={"csrf_token": _token(client, f"/doc/{SAMPLE}")}).status_code == 302
    assert not _page(client.get(f"/doc/{SAMPLE}")).xpath("//*[@data-testid='sign']")
    assert not _page(client.get(f"/doc/{DRAFT}/issue")).xpath("//input[@data-testid='sign-on-issue']")
    assert client.post(f"/doc/{SAMPLE}/sign", data={"csrf_token": _token(client, f"/doc/{SAMPLE}")}).status_code == 404
