"""Ký số: the sample's PDF signed by the signer then the organisation, verified here and by two
other validators; tampering and untrusted chains caught; images where Phụ lục I puts them."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from dispatch_gen import api
from dispatch_gen.cli import main
from dispatch_gen.sign import KeySource, SigningError, sign_pdf, verify_pdf
from dispatch_gen.sign.locate import signature_blocks

from conftest import SAMPLE
from sign_helpers import (PASSPHRASE, issue_cert, make_ca, seal_png, signature_png, write_p12, write_pem)

pytestmark = pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                                reason="LibreOffice is needed to build the sample's PDF")

SIGNER = "Đương Quốc Trịnh"
AGENCY = "Cục Công Thương địa phương"


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A test CA with a signer and an organisation certificate, a stranger CA, and the images."""
    d = tmp_path_factory.mktemp("pki")
    ca = make_ca()
    (d / "ca.pem").write_bytes(ca.pem())
    other = make_ca("CA Lạ")
    (d / "other-ca.pem").write_bytes(other.pem())
    signer = issue_cert(ca, SIGNER, AGENCY)
    org = issue_cert(ca, AGENCY, AGENCY)
    write_p12(d / "signer.p12", signer, ca)
    write_p12(d / "org.p12", org, ca, passphrase=None)
    write_pem(d, "signer", signer)
    signature_png(d / "signature.png")
    seal_png(d / "seal.png")
    return d


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    outcome = api.build(SAMPLE, out_dir=out / "output", registry=out / "registry.sqlite", pdf=True)
    return outcome.path.with_suffix(".pdf")


@pytest.fixture
def signed_pdf(pki, sample_pdf, tmp_path) -> Path:
    """The sample signed as signer, then as organisation, through the command line."""
    target = tmp_path / "signed.pdf"
    runner = CliRunner()
    first = runner.invoke(main, ["sign", str(sample_pdf), "--as", "signer", "--p12", str(pki / "signer.p12"),
                                 "--image", str(pki / "signature.png"), "-o", str(target)],
                          env={"DISPATCH_GEN_PASSPHRASE": PASSPHRASE})
    assert first.exit_code == 0, first.output
    second = runner.invoke(main, ["sign", str(target), "--as", "organisation", "--p12", str(pki / "org.p12"),
                                  "--image", str(pki / "seal.png")])
    assert second.exit_code == 0, second.output
    return target


def test_signature_blocks_found_from_the_pdf_text(sample_pdf):
    blocks = signature_blocks(sample_pdf)
    assert [(b.name, b.position) for b in blocks] == [
        ("Đoàn Mạnh Trường", ("TM. BCH CÔNG ĐOÀN CỤC", "CHỦ TỊCH")),
        ("Đương Quốc Trịnh", ("KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG")),
    ]
    assert all(b.page == 2 and b.top - b.bottom > 2 * b.size for b in blocks)


def test_signer_then_organisation_both_valid_and_trusted(pki, signed_pdf):
    report = verify_pdf(signed_pdf, [pki / "ca.pem"])
    assert report.ok and not report.changed_after_last
    first, second = report.signatures
    assert (first.field, first.role, first.signer, first.organisation) == ("Signer-2", "signer", SIGNER, AGENCY)
    assert (second.field, second.role, second.signer) == ("Organisation-2", "organisation", AGENCY)
    for sig in report.signatures:
        assert sig.intact and sig.trusted and sig.problem is None
        assert sig.time.endswith("+07:00") and "T" in sig.time
    assert first.changed_after == "later signatures only" and second.covers_whole_file

    result = CliRunner().invoke(main, ["verify", str(signed_pdf), "--trust", str(pki / "ca.pem"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["ok"] is True and [s["role"] for s in data["signatures"]] == ["signer", "organisation"]


def test_one_changed_byte_breaks_integrity(pki, signed_pdf, tmp_path):
    data = bytearray(signed_pdf.read_bytes())
    start = data.index(b"stream", 2000) + 20  # inside a content stream of the signed first revision
    data[start] ^= 0x01
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(bytes(data))
    report = verify_pdf(broken, [pki / "ca.pem"])
    assert not report.ok
    assert not any(s.intact for s in report.signatures)
    result = CliRunner().invoke(main, ["verify", str(broken), "--trust", str(pki / "ca.pem")])
    assert result.exit_code == 1
    assert "integrity: BROKEN" in result.output


def test_untrusted_chain_is_reported_not_trusted(pki, signed_pdf):
    report = verify_pdf(signed_pdf, [pki / "other-ca.pem"])
    assert not report.ok
    assert all(s.intact and not s.trusted for s in report.signatures)
    result = CliRunner().invoke(main, ["verify", str(signed_pdf), "--trust", str(pki / "other-ca.pem")])
    assert result.exit_code == 1 and "trusted: NO" in result.output


def test_unsigned_pdf_does_not_verify(sample_pdf):
    result = CliRunner().invoke(main, ["verify", str(sample_pdf)])
    assert result.exit_code == 1 and "no digital signature" in result.output


def test_key_and_cert_files_sign_and_the_block_follows_the_certificate_name(pki, sample_pdf, tmp_path):
    out = tmp_path / "pem.pdf"
    signed = sign_pdf(sample_pdf, role="signer", key=KeySource(key=pki / "signer.key", cert=pki / "signer.pem",
                                                                chain=(pki / "ca.pem",)),
                      image=pki / "signature.png", output=out)
    assert signed.block.name == SIGNER and signed.field == "Signer-2"
    assert verify_pdf(out, [pki / "ca.pem"]).ok


def test_the_other_block_is_chosen_by_name(pki, sample_pdf, tmp_path):
    out = tmp_path / "left.pdf"
    signed = sign_pdf(sample_pdf, role="signer", key=KeySource(p12=pki / "signer.p12"), secret=PASSPHRASE,
                      image=pki / "signature.png", output=out, block="Đoàn Mạnh")
    assert signed.block.index == 1 and signed.field == "Signer-1"
    assert signed.box.x1 < 300  # the left block


def test_passphrase_never_an_argument_and_a_wrong_one_is_one_line(pki, sample_pdf, tmp_path):
    out = tmp_path / "x.pdf"
    args = ["sign", str(sample_pdf), "--as", "signer", "--p12", str(pki / "signer.p12"), "-o", str(out)]
    wrong = CliRunner().invoke(main, args, env={"DISPATCH_GEN_PASSPHRASE": "sai"})
    assert wrong.exit_code == 1
    assert wrong.output.strip() == f"error: {pki / 'signer.p12'}: wrong passphrase, or not a PKCS#12 (.p12/.pfx) file"
    assert not out.exists()
    prompted = CliRunner().invoke(main, args, input=PASSPHRASE + "\n", env={"DISPATCH_GEN_PASSPHRASE": None})
    assert prompted.exit_code == 0, prompted.output
    assert verify_pdf(out, [pki / "ca.pem"]).ok
    refused = CliRunner().invoke(main, args + ["--passphrase", PASSPHRASE])
    assert refused.exit_code == 2  # no such option


def test_an_opaque_image_is_refused_and_nothing_is_written(pki, sample_pdf, tmp_path):
    from PIL import Image

    opaque = tmp_path / "opaque.png"
    Image.new("RGB", (200, 80), (20, 40, 200)).save(opaque)
    before = sample_pdf.read_bytes()
    with pytest.raises(SigningError, match="not transparent"):
        sign_pdf(sample_pdf, role="signer", key=KeySource(p12=pki / "signer.p12"), secret=PASSPHRASE, image=opaque)
    assert sample_pdf.read_bytes() == before


def test_signing_twice_in_the_same_role_is_refused(pki, signed_pdf):
    with pytest.raises(SigningError, match="already signed as signer"):
        sign_pdf(signed_pdf, role="signer", key=KeySource(p12=pki / "signer.p12"), secret=PASSPHRASE,
                 image=pki / "signature.png")


def _colour_box(pixels, size, test) -> tuple[int, int, int, int] | None:
    w, h = size
    xs, ys = [], []
    for y in range(h):
        for x in range(w):
            if test(pixels[x, y]):
                xs.append(x)
                ys.append(y)
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="pdftoppm (poppler-utils) renders the page")
def test_images_sit_where_phu_luc_i_puts_them(signed_pdf, tmp_path):
    from PIL import Image

    dpi = 72  # one pixel per PDF point
    subprocess.run(["pdftoppm", "-f", "3", "-l", "3", "-r", str(dpi), "-png", str(signed_pdf), str(tmp_path / "p")],
                   check=True)
    page = Image.open(next(tmp_path.glob("p-*.png"))).convert("RGB")
    px = page.load()
    height = page.size[1]
    blue = _colour_box(px, page.size, lambda p: p[2] > 150 and p[0] < 90 and p[1] < 110)
    red = _colour_box(px, page.size, lambda p: p[0] > 170 and p[1] < 90 and p[2] < 90)
    assert blue and red
    block = signature_blocks(signed_pdf)[1]
    # top-down pixel rows of the space between chức vụ and name
    space_top, space_bottom = height - block.top, height - block.bottom
    bx0, by0, bx1, by1 = blue
    assert space_top - 1 <= by0 and by1 <= space_bottom + 1, (blue, space_top, space_bottom)
    assert abs((bx0 + bx1) / 2 - block.axis) < 12  # centred on the block
    rx0, ry0, rx1, ry1 = red
    third = bx0 + (bx1 - bx0) / 3
    assert rx0 < bx0 < rx1 and abs(rx1 - third) < 12  # over about the left third of the signature
    assert 90 < rx1 - rx0 < 102  # 34 mm seal at real size = 96 pt
    assert ry0 < (by0 + by1) / 2 < ry1


@pytest.mark.skipif(not shutil.which("pdfsig"), reason="pdfsig (poppler-utils) is the second validator")
def test_pdfsig_reports_both_signatures_valid(signed_pdf):
    out = subprocess.run(["pdfsig", str(signed_pdf)], capture_output=True, text=True)
    assert out.stdout.count("Signature Validation: Signature is Valid.") == 2, out.stdout
    assert "Signature Field Name: Signer-2" in out.stdout and "Signature Field Name: Organisation-2" in out.stdout
    assert "Total document signed" in out.stdout


def test_pyhanko_cli_judges_both_signatures_valid_and_trusted(pki, signed_pdf):
    exe = Path(shutil.which("pyhanko") or Path(__import__("sys").executable).with_name("pyhanko"))
    if not exe.exists():
        pytest.skip("the pyhanko command line (pyhanko-cli) is not installed")
    out = subprocess.run([str(exe), "sign", "validate", "--trust", str(pki / "ca.pem"), "--trust-replace",
                          "--pretty-print", str(signed_pdf)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count("The signature is judged VALID.") == 2
    assert out.stdout.count("The signer's certificate is trusted.") == 2


def test_the_command_line_starts_without_the_signing_libraries():
    import sys

    code = ("import sys, dispatch_gen.cli, dispatch_gen.api; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'pyhanko', 'pdfminer', 'pkcs11'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN_PIN = "123456"


@pytest.fixture
def softhsm_token(pki, tmp_path, monkeypatch):
    """A SoftHSM2 token of our own (own config and token folder) holding the signer's key and
    certificate, imported the way an office loads a token."""
    from cryptography.hazmat.primitives import serialization

    tools = [shutil.which("softhsm2-util"), shutil.which("pkcs11-tool")]
    if not SOFTHSM.exists() or not all(tools):
        pytest.skip("SoftHSM2 and opensc (softhsm2-util, pkcs11-tool) are needed for the token test")
    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    run = lambda *a: subprocess.run(a, check=True, capture_output=True, text=True)  # noqa: E731
    run("softhsm2-util", "--init-token", "--free", "--label", "dg-token", "--pin", TOKEN_PIN, "--so-pin", "87654321")
    run("softhsm2-util", "--import", str(pki / "signer.key"), "--token", "dg-token", "--label", "ky-so",
        "--id", "01", "--pin", TOKEN_PIN)
    from cryptography import x509

    der = tmp_path / "signer.der"
    der.write_bytes(x509.load_pem_x509_certificate((pki / "signer.pem").read_bytes())
                    .public_bytes(serialization.Encoding.DER))
    run("pkcs11-tool", "--module", str(SOFTHSM), "--token-label", "dg-token", "--login", "--pin", TOKEN_PIN,
        "--write-object", str(der), "--type", "cert", "--label", "ky-so", "--id", "01")
    return "dg-token"


def test_a_pkcs11_token_signature_through_softhsm_verifies(pki, sample_pdf, softhsm_token, tmp_path):
    out = tmp_path / "token.pdf"
    args = ["sign", str(sample_pdf), "--as", "signer", "--pkcs11-lib", str(SOFTHSM), "--token", softhsm_token,
            "--key-label", "ky-so", "--image", str(pki / "signature.png"), "-o", str(out)]
    wrong = CliRunner().invoke(main, args, env={"DISPATCH_GEN_PIN": "000000"})
    assert wrong.exit_code == 1 and wrong.output.strip() == "error: token 'dg-token': wrong PIN"
    assert not out.exists()
    for option, value in (("--token", "khong-co"), ("--key-label", "khong-co")):
        bad = [value if prev == option else a for prev, a in zip([None] + args, args)]
        missing = CliRunner().invoke(main, bad, env={"DISPATCH_GEN_PIN": TOKEN_PIN})
        assert missing.exit_code == 1 and missing.output.startswith("error: ") and "khong-co" in missing.output
        assert len(missing.output.strip().splitlines()) == 1, missing.output
    result = CliRunner().invoke(main, args, env={"DISPATCH_GEN_PIN": TOKEN_PIN})
    assert result.exit_code == 0, result.output
    report = verify_pdf(out, [pki / "ca.pem"])
    assert report.ok
    assert [(s.field, s.signer) for s in report.signatures] == [("Signer-2", SIGNER)]
    org = sign_pdf(out, role="organisation", key=KeySource(p12=pki / "org.p12"), image=pki / "seal.png")
    assert org.block.index == 2
    assert verify_pdf(out, [pki / "ca.pem"]).ok


def _signing_config(pki, folder: Path, signer_env: str = "KY_SO_NGUOI_KY") -> Path:
    config = folder / "ky-so.yaml"
    config.write_text(
        f"signer:\n  p12: {pki / 'signer.p12'}\n  image: {pki / 'signature.png'}\n  secret_env: {signer_env}\n"
        f"organisation:\n  p12: {pki / 'org.p12'}\n  image: {pki / 'seal.png'}\n", encoding="utf-8")
    return config


def test_issue_signs_before_the_book_records_and_a_wrong_passphrase_uses_no_number(pki, tmp_path):
    import re

    data = tmp_path / "doc.yaml"
    text = re.sub(r"^number: 31 ", "number: ", SAMPLE.read_text(encoding="utf-8"), flags=re.M)
    data.write_text(text.replace("id: phat-dong-thi-dua-2024", "id: ky-so-2024"), encoding="utf-8")
    config = _signing_config(pki, tmp_path)
    registry, out = tmp_path / "book.sqlite", tmp_path / "out"
    args = ["issue", str(data), "--date", "2024-01-12", "-o", str(out), "--registry", str(registry),
            "--sign", str(config)]

    wrong = CliRunner().invoke(main, args, env={"KY_SO_NGUOI_KY": "sai"})
    assert wrong.exit_code == 1 and "wrong passphrase" in wrong.output
    assert api.registry_entries(registry) == [] and not list(out.rglob("*.*"))
    assert re.search(r"^number: +(#|$)", data.read_text(encoding="utf-8"), re.M), "no number written back"

    result = CliRunner().invoke(main, args, env={"KY_SO_NGUOI_KY": PASSPHRASE})
    assert result.exit_code == 0, result.output
    docx, pdf = (Path(line) for line in result.stdout.split())
    assert pdf == out / "2024" / "01-PDTD-CTDP-CDC.pdf" and docx.with_suffix(".pdf") == pdf
    assert "signed as signer: Đương Quốc Trịnh" in result.output and "signed as organisation" in result.output
    report = verify_pdf(pdf, [pki / "ca.pem"])
    assert report.ok and [s.field for s in report.signatures] == ["Signer-2", "Organisation-2"]
    assert [e.number for e in api.registry_entries(registry)] == [1]
    assert not list(out.rglob(".*.part"))


def test_a_signing_configuration_never_holds_a_secret(pki, tmp_path):
    from dispatch_gen.sign.config import load_signing

    bad = tmp_path / "bad.yaml"
    bad.write_text(f"signer:\n  p12: {pki / 'signer.p12'}\n  passphrase: lo-lo\n", encoding="utf-8")
    with pytest.raises(SigningError, match="passphrase: secrets are not kept in this file"):
        load_signing(bad)
    steps = load_signing(_signing_config(pki, tmp_path))
    assert [(s.role, s.secret_env) for s in steps] == [("signer", "KY_SO_NGUOI_KY"),
                                                      ("organisation", "DISPATCH_GEN_PASSPHRASE")]


def test_an_attachment_gets_the_organisations_text_signature_at_the_top_right(pki, sample_pdf, tmp_path):
    out = tmp_path / "kem-theo.pdf"
    result = CliRunner().invoke(main, ["sign", str(sample_pdf), "--as", "organisation", "--p12", str(pki / "org.p12"),
                                       "--attachment-of", "31/PĐTĐ-CTĐP-CĐC", "-o", str(out)])
    assert result.exit_code == 0, result.output
    report = verify_pdf(out, [pki / "ca.pem"])
    assert report.ok and [(s.role, s.signer) for s in report.signatures] == [("organisation", AGENCY)]
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) reads the text of the signature's appearance")
    html = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    words = [(float(y0), float(x1), w) for y0, x1, w in
             re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html)]
    top = sorted(words)[:2]  # top-down: the first two lines of page 1 (pdftotext -bbox joins our words)
    assert [w for _, _, w in top] == ["Số, ký hiệu: 31/PĐTĐ-CTĐP-CĐC", f"Thời gian ký: {report.signatures[0].time}"]
    assert top[1][2].endswith("+07:00")
    assert all(x1 > 595 - 15 * 72 / 25.4 - 60 for _, x1, _ in top)  # at the right, inside the 15 mm margin
    assert top[1][0] < min(y for y, _, w in words if w == "BỘ")  # above the header
    from pypdf import PdfReader

    widget = PdfReader(out).pages[0]["/Annots"][0].get_object()
    stream = widget["/AP"]["/N"].get_object()
    assert b"/F1 10 Tf" in stream.get_data() and b" rg" not in stream.get_data()  # 10 pt, default black
    font = stream["/Resources"]["/Font"]["/F1"].get_object()
    assert re.search(r"(Times|LiberationSerif)", str(font["/BaseFont"])), font["/BaseFont"]
    assert "Bold" not in str(font["/BaseFont"]) and "Italic" not in str(font["/BaseFont"])
    refused = CliRunner().invoke(main, ["sign", str(sample_pdf), "--as", "signer", "--p12", str(pki / "org.p12"),
                                        "--attachment-of", "31/PĐTĐ-CTĐP-CĐC", "-o", str(tmp_path / "x.pdf")])
    assert refused.exit_code == 1 and "organisation only" in refused.output


def test_a_joint_document_gets_each_bodys_signer_and_seal_at_its_own_block(pki, sample_pdf, tmp_path):
    """Both bodies of the sample sign: the union's chairman and seal at the left block, the
    department's deputy head and seal at the right; all four signatures stay valid."""
    union = "Công đoàn Cục Công Thương địa phương"
    ca = make_ca("CA Liên tịch")
    (tmp_path / "ca.pem").write_bytes(ca.pem())
    write_p12(tmp_path / "chairman.p12", issue_cert(ca, "Đoàn Mạnh Trường", union), ca, None)
    write_p12(tmp_path / "union.p12", issue_cert(ca, union, union), ca, None)
    write_p12(tmp_path / "deputy.p12", issue_cert(ca, SIGNER, AGENCY), ca, None)
    write_p12(tmp_path / "agency.p12", issue_cert(ca, AGENCY, AGENCY), ca, None)
    out = tmp_path / "joint.pdf"
    shutil.copy(sample_pdf, out)
    steps = [("signer", "deputy", "signature"), ("organisation", "agency", "seal"),
             ("signer", "chairman", "signature"), ("organisation", "union", "seal")]
    done = [sign_pdf(out, role=role, key=KeySource(p12=tmp_path / f"{who}.p12"), image=pki / f"{image}.png")
            for role, who, image in steps]
    assert [(d.field, d.block.index) for d in done] == [("Signer-2", 2), ("Organisation-2", 2),
                                                        ("Signer-1", 1), ("Organisation-1", 1)]
    assert done[2].block.name == "Đoàn Mạnh Trường" and done[2].box.x1 < done[0].box.x0
    report = verify_pdf(out, [tmp_path / "ca.pem"])
    assert report.ok and len(report.signatures) == 4
    assert [(s.role, s.organisation) for s in report.signatures] == [
        ("signer", AGENCY), ("organisation", AGENCY), ("signer", union), ("organisation", union)]
