"""`dispatch-gen serve` through Flask's test client: every route, its safety, and what it writes.

The data folder is a copy of the repository's `data/`; the number book, outputs and caches are
real files in the test's own folder.
"""
from __future__ import annotations

import io
import re
import shutil
import threading
import time
import zipfile
from pathlib import Path

import pytest

from dispatch_gen import api
from dispatch_gen.model import Document

from conftest import ROOT

pytest.importorskip("flask")
from lxml import html as lxml_html  # noqa: E402
from werkzeug.datastructures import MultiDict  # noqa: E402

from dispatch_gen.web import create_app  # noqa: E402

SAMPLE = "phat-dong-thi-dua-2024.yaml"
DRAFT = "examples/ke-hoach-cong-doan.yaml"  # no number: a draft to issue
HAS_SOFFICE = bool(shutil.which("soffice") or shutil.which("libreoffice"))
needs_soffice = pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed")


@pytest.fixture
def site(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("registry.sqlite*", "decree30"))
    app = create_app(data, output=tmp_path / "output", registry=str(tmp_path / "registry.sqlite"))
    return app, data, tmp_path


@pytest.fixture
def client(site):
    return site[0].test_client()


def page(response) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(response.get_data(as_text=True))


def token(client, url: str = "/") -> str:
    doc = page(client.get(url))
    found = doc.xpath("//input[@name='csrf_token']/@value")
    if found:
        return found[0]
    with client.session_transaction() as s:
        s.setdefault("csrf", "t" * 43)
        return s["csrf"]


def form_pairs(response, form_id: str = "doc-form") -> list[tuple[str, str]]:
    """What a browser submits for the form: <template> entries left out, unchecked boxes absent."""
    doc = page(response)
    for t in doc.xpath("//template"):
        t.getparent().remove(t)
    form = doc.get_element_by_id(form_id)
    return list(form.form_values())


def replace(pairs, name, value):
    hits = [i for i, (k, _) in enumerate(pairs) if k == name]
    assert hits, f"no field {name}"
    pairs[hits[0]] = (name, value)
    return pairs


def field_errors(response, dom_id: str) -> list[str]:
    doc = page(response)
    node = doc.get_element_by_id(dom_id)
    return [e.text_content().strip() for e in node.xpath(".//p[@class='field-error']")]


# --- documents list --------------------------------------------------------------------------

def test_documents_list_shows_every_file_with_kind_year_and_status(client, site):
    r = client.get("/")
    assert r.status_code == 200
    text = r.get_data(as_text=True)
    for rel in (SAMPLE, DRAFT, "examples/cong-van-ubnd.yaml", "ket-qua-thi-dua-2024.yaml"):
        assert rel in text
    rows = page(r).xpath("//table[@class='list']/tbody/tr")
    assert len(rows) == 6
    sample = next(row for row in rows if SAMPLE in row.text_content())
    assert "PHÁT ĐỘNG PHONG TRÀO THI ĐUA Năm 2024" in sample.text_content()
    assert "Dự thảo" in sample.text_content() and "Phát động thi đua" in sample.text_content()


def test_documents_list_search_and_filters(client):
    r = client.get("/?q=ubnd")
    assert [a for a in page(r).xpath("//tbody/tr/td[1]/a/text()")] == ["examples/cong-van-ubnd.yaml"]
    r = client.get("/?year=2024")
    shown = page(r).xpath("//tbody/tr/td[1]/a/text()")
    assert SAMPLE in shown and DRAFT not in shown
    r = client.get("/?status=results")
    assert page(r).xpath("//tbody/tr/td[1]/a/text()") == ["ket-qua-thi-dua-2024.yaml"]
    r = client.get("/?kind=KH")
    assert set(page(r).xpath("//tbody/tr/td[1]/a/text()")) >= {DRAFT}


# --- edit -----------------------------------------------------------------------------------

def test_edit_form_has_a_widget_for_every_model_field(client):
    r = client.get(f"/doc/{SAMPLE}")
    assert r.status_code == 200
    doc = page(r)
    for name, f in Document.model_fields.items():
        key = f.alias or name
        assert doc.get_element_by_id(f"f-{key}") is not None, key
    # nested lists are generated too: sections → items, with add / move / remove controls
    assert doc.xpath("//div[@data-list='f.sections.0.items']")
    assert doc.xpath("//button[@data-remove]") and doc.xpath("//button[@data-move='-1']")
    assert doc.xpath("//textarea[@name='f.sections.1.items.0.text']")
    assert "Nguồn" in r.get_data(as_text=True)


def test_saving_the_form_unchanged_keeps_the_file_byte_for_byte(client, site):
    _, data, _ = site
    before = (data / SAMPLE).read_bytes()
    r = client.post(f"/doc/{SAMPLE}/save", data=MultiDict(form_pairs(client.get(f"/doc/{SAMPLE}"))))
    assert r.status_code == 302
    assert (data / SAMPLE).read_bytes() == before


def test_saving_a_changed_sentence_rewrites_only_that_line_and_keeps_comments(client, site):
    _, data, _ = site
    before = (data / SAMPLE).read_text(encoding="utf-8")
    pairs = form_pairs(client.get(f"/doc/{SAMPLE}"))
    replace(pairs, "f.sections.2.items.2.text", "Tổ chức khen thưởng kịp thời các điển hình tiên tiến.")
    r = client.post(f"/doc/{SAMPLE}/save", data=MultiDict(pairs))
    assert r.status_code == 302
    after = (data / SAMPLE).read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert len(before.splitlines()) == len(after.splitlines())
    assert changed == [("      - Tổ chức động viên khen thưởng những tập thể, cá nhân điển hình tiên tiến trong các phong trào thi đua.",
                        "      - Tổ chức khen thưởng kịp thời các điển hình tiên tiến.")]
    assert "# Người ký. authority:" in after
    assert api.load_document(data / SAMPLE).sections[2].items[2].text.startswith("Tổ chức khen thưởng kịp thời")
    r = client.get(r.headers["Location"])
    assert "Đã lưu." in r.get_data(as_text=True)


def test_form_entries_added_removed_and_moved(client, site):
    _, data, _ = site
    pairs = form_pairs(client.get(f"/doc/{SAMPLE}"))
    # remove recipient 5 (the last), move recipient 3 before 2, add a new one as the browser's JS renames them
    pairs = [(k, v) for k, v in pairs if not k.startswith("f.recipients.5.")]
    names = {k: v for k, v in pairs}
    pairs = [(k.replace("f.recipients.2.", "f.recipients.X.").replace("f.recipients.3.", "f.recipients.2.")
              .replace("f.recipients.X.", "f.recipients.3."), v) for k, v in pairs]
    pairs += [("f.recipients.5.name", "Văn phòng Cục"), ("f.recipients.5.purpose", "để t/h")]
    r = client.post(f"/doc/{SAMPLE}/save", data=MultiDict(pairs))
    assert r.status_code == 302
    doc = api.load_document(data / SAMPLE)
    assert [x.name for x in doc.recipients] == [
        "Thủ trưởng Phan Thị Thắng", "Công đoàn Bộ", names["f.recipients.3.name"], names["f.recipients.2.name"],
        "Các đơn vị thuộc Cục", "Văn phòng Cục"]
    assert doc.recipients[5].purpose == "để t/h"
    text = (data / SAMPLE).read_text(encoding="utf-8")
    assert "  - Lãnh đạo Cục\n  - Đảng ủy Cục\n" in text  # shorthand entries stay short


def test_new_section_added_from_the_form(client, site):
    _, data, _ = site
    pairs = form_pairs(client.get(f"/doc/{SAMPLE}"))
    pairs += [("f.sections.3.heading", "Tổ chức thực hiện:"), ("f.sections.3.items.__list__", "1"),
              ("f.sections.3.items.0.text", "Văn phòng Cục theo dõi, tổng hợp kết quả.")]
    assert client.post(f"/doc/{SAMPLE}/save", data=MultiDict(pairs)).status_code == 302
    doc = api.load_document(data / SAMPLE)
    assert doc.sections[3].heading == "Tổ chức thực hiện:"
    assert doc.sections[3].items[0].text == "Văn phòng Cục theo dõi, tổng hợp kết quả."


def test_invalid_values_are_shown_next_to_their_fields_and_nothing_is_written(client, site):
    _, data, _ = site
    before = (data / SAMPLE).read_bytes()
    pairs = form_pairs(client.get(f"/doc/{SAMPLE}"))
    replace(pairs, "f.signers.1.authority", "XYZ.")
    replace(pairs, "f.date", "2024-02-30")
    replace(pairs, "f.place", "")
    r = client.post(f"/doc/{SAMPLE}/save", data=MultiDict(pairs))
    assert r.status_code == 422
    assert (data / SAMPLE).read_bytes() == before
    assert any("XYZ." in m and "TM., KT." in m for m in field_errors(r, "f-signers-1-authority"))
    assert any("không phải ngày hợp lệ" in m for m in field_errors(r, "f-date"))
    assert field_errors(r, "f-place")
    # the form keeps what the person typed, and the Nguồn tab shows the lines at fault
    doc = page(r)
    assert doc.xpath("//input[@name='f.signers.1.authority']/@value") == ["XYZ."]
    assert doc.xpath("//a[@data-line]")


def test_source_tab_saves_yaml_and_reports_syntax_errors_by_line(client, site):
    _, data, _ = site
    r = client.get(f"/doc/{SAMPLE}?tab=source")
    pairs = form_pairs(r, form_id=None) if False else None
    doc = page(r)
    text = doc.xpath("//textarea[@name='source']")[0].text_content()
    base = doc.xpath("//input[@name='base_hash']/@value")[0]
    tok = doc.xpath("//input[@name='csrf_token']/@value")[0]
    assert text == (data / SAMPLE).read_text(encoding="utf-8")
    bad = text.replace("place: Hà Nội", "place: [Hà Nội")
    r = client.post(f"/doc/{SAMPLE}/save", data={"csrf_token": tok, "base_hash": base, "mode": "source", "source": bad})
    assert r.status_code == 422
    assert "lỗi cú pháp YAML" in r.get_data(as_text=True) and "dòng " in r.get_data(as_text=True)
    assert (data / SAMPLE).read_text(encoding="utf-8") == text
    good = text.replace("place: Hà Nội", "place: Hải Phòng")
    r = client.post(f"/doc/{SAMPLE}/save", data={"csrf_token": tok, "base_hash": base, "mode": "source", "source": good})
    assert r.status_code == 302
    assert (data / SAMPLE).read_text(encoding="utf-8") == good


def test_stale_save_is_refused_with_a_diff(client, site):
    _, data, _ = site
    first = form_pairs(client.get(f"/doc/{SAMPLE}"))
    second = form_pairs(client.get(f"/doc/{SAMPLE}"))
    replace(first, "f.place", "Hải Phòng")
    assert client.post(f"/doc/{SAMPLE}/save", data=MultiDict(first)).status_code == 302
    saved = (data / SAMPLE).read_bytes()
    replace(second, "f.place", "Đà Nẵng")
    r = client.post(f"/doc/{SAMPLE}/save", data=MultiDict(second))
    assert r.status_code == 409
    assert (data / SAMPLE).read_bytes() == saved
    diff = page(r).xpath("//pre[@class='diff']")[0].text_content()
    assert "-place: Hải Phòng" in diff and "+place: Đà Nẵng" in diff
    assert "người khác" in r.get_data(as_text=True)


# --- safety ---------------------------------------------------------------------------------

def test_posts_without_the_csrf_token_are_refused(client, site):
    _, data, _ = site
    before = (data / SAMPLE).read_bytes()
    pairs = [(k, v) for k, v in form_pairs(client.get(f"/doc/{SAMPLE}")) if k != "csrf_token"]
    replace(pairs, "f.place", "Huế")
    r = client.post(f"/doc/{SAMPLE}/save", data=MultiDict(pairs))
    assert r.status_code == 400 and "CSRF" in r.get_data(as_text=True)
    r = client.post(f"/doc/{SAMPLE}/save", data=MultiDict(pairs + [("csrf_token", "forged")]))
    assert r.status_code == 400
    for url in (f"/doc/{DRAFT}/issue", f"/doc/{SAMPLE}/build", "/check", "/import", "/logout",
                f"/doc/{SAMPLE}/rollover", "/year-end/upload", "/year-end/certificates"):
        assert client.post(url, data={}).status_code == 400, url
    assert (data / SAMPLE).read_bytes() == before
    assert not (Path(site[2]) / "registry.sqlite").exists()


@pytest.mark.parametrize("url", [
    "/doc/../secret.yaml", "/doc/%2e%2e/secret.yaml", "/doc/examples/../../secret.yaml", "/doc//etc/passwd",
    "/doc/.hidden.yaml", "/doc/registry.sqlite", "/doc/examples/..%2f..%2fsecret.yaml", "/doc/link/secret.yaml",
    "/doc/escape.yaml", "/output/../secret.yaml", "/doc/a%00b.yaml",
])
def test_paths_outside_the_data_folder_are_refused(client, site, url):
    _, data, tmp = site
    (tmp / "secret.yaml").write_text("id: secret\n", encoding="utf-8")
    (data / "link").symlink_to(tmp, target_is_directory=True)
    (data / "escape.yaml").symlink_to(tmp / "secret.yaml")
    r = client.get(url, follow_redirects=True)
    assert r.status_code in (404, 400)
    assert "id: secret" not in r.get_data(as_text=True)
    assert "Traceback" not in r.get_data(as_text=True)


def test_symlinks_are_not_listed(client, site):
    _, data, tmp = site
    (tmp / "outside").mkdir()
    (tmp / "outside" / "x.yaml").write_text("id: outside\n", encoding="utf-8")
    (data / "link").symlink_to(tmp / "outside", target_is_directory=True)
    (data / "alias.yaml").symlink_to(data / SAMPLE)
    text = client.get("/").get_data(as_text=True)
    assert "outside" not in text and "alias.yaml" not in text


def test_upload_size_is_limited(site, tmp_path):
    app = create_app(site[1], output=tmp_path / "o", registry=str(tmp_path / "r.sqlite"), max_upload_mb=1)
    c = app.test_client()
    tok = token(c, "/check")
    r = c.post("/check", data={"csrf_token": tok, "file": (io.BytesIO(b"x" * (2 * 1024 * 1024)), "big.docx")},
               content_type="multipart/form-data")
    assert r.status_code == 413
    assert "quá lớn" in r.get_data(as_text=True)


def test_server_errors_are_one_message_and_the_log_has_the_detail(client, monkeypatch, caplog):
    def broken(*a, **k):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(api, "issue_plan", broken)
    r = client.get(f"/doc/{DRAFT}/issue")
    assert r.status_code == 500
    body = r.get_data(as_text=True)
    assert "Đã xảy ra lỗi trong máy chủ" in body
    assert "secret internal detail" not in body and "Traceback" not in body
    assert "secret internal detail" in caplog.text


def test_unknown_pages_are_a_vietnamese_404(client):
    r = client.get("/no/such/page")
    assert r.status_code == 404 and "Không tìm thấy" in r.get_data(as_text=True)


@pytest.fixture
def users_file(tmp_path):
    from dispatch_gen.web.users import add_user

    path = tmp_path / "users.txt"
    add_user(path, "vanthu", "mat-khau-dai")
    return path


def test_login_is_required_with_a_users_file(site, users_file, tmp_path):
    app = create_app(site[1], output=tmp_path / "o", registry=str(tmp_path / "r.sqlite"), users_file=users_file)
    c = app.test_client()
    r = c.get("/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert c.get(f"/doc/{SAMPLE}").status_code == 302
    assert c.post(f"/doc/{SAMPLE}/save", data={}).status_code == 403
    tok = token(c, "/login")
    r = c.post("/login", data={"csrf_token": tok, "name": "vanthu", "password": "sai-mat-khau"})
    assert r.status_code == 401 and "không đúng" in r.get_data(as_text=True)
    r = c.post("/login", data={"name": "vanthu", "password": "mat-khau-dai"})
    assert r.status_code == 400  # the sign-in form needs its CSRF token too
    r = c.post("/login?next=/doc/" + SAMPLE, data={"csrf_token": tok, "name": "vanthu", "password": "mat-khau-dai"})
    assert r.status_code == 302 and r.headers["Location"].endswith(SAMPLE)
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
    assert c.get("/").status_code == 200
    tok = token(c, "/")
    assert c.post("/logout", data={"csrf_token": tok}).status_code == 302
    assert c.get("/").status_code == 302


def test_session_cookie_is_secure_over_https(site, users_file, tmp_path):
    app = create_app(site[1], output=tmp_path / "o", registry=str(tmp_path / "r.sqlite"), users_file=users_file)
    c = app.test_client()
    tok = token(c, "/login")
    r = c.post("/login", base_url="https://localhost", data={"csrf_token": tok, "name": "vanthu", "password": "mat-khau-dai"})
    assert "Secure" in r.headers["Set-Cookie"]


def test_serve_refuses_other_addresses_without_users(tmp_path, users_file):
    from click.testing import CliRunner

    from dispatch_gen.cli import main

    r = CliRunner().invoke(main, ["serve", "--data", str(ROOT / "data"), "--host", "0.0.0.0"])
    assert r.exit_code == 1 and "--users" in r.output
    r = CliRunner().invoke(main, ["serve", "--data", str(tmp_path / "none"), "--host", "127.0.0.1"])
    assert r.exit_code == 1 and "no such data folder" in r.output


def test_users_command_stores_argon2_hashes(tmp_path):
    from click.testing import CliRunner

    from dispatch_gen.cli import main
    from dispatch_gen.web.users import read_users, verify

    path = tmp_path / "u.txt"
    r = CliRunner().invoke(main, ["users", "add", "vanthu", "--file", str(path)], input="mat-khau-123\nmat-khau-123\n")
    assert r.exit_code == 0, r.output
    text = path.read_text()
    assert text.startswith("vanthu:$argon2id$") and "mat-khau-123" not in text
    assert verify(read_users(path), "vanthu", "mat-khau-123")
    assert not verify(read_users(path), "vanthu", "mat-khau-124")
    assert not verify(read_users(path), "ai-do", "mat-khau-123")
    r = CliRunner().invoke(main, ["users", "add", "x", "--file", str(path), "--password", "ngan"])
    assert r.exit_code == 1 and "at least 8" in r.output


def test_cli_start_up_does_not_import_the_web_framework():
    import subprocess
    import sys

    code = "import sys, dispatch_gen.cli; bad = [m for m in ('flask', 'waitress', 'argon2', 'werkzeug') if m in sys.modules]; print(bad)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- preview --------------------------------------------------------------------------------

def test_preview_without_libreoffice_is_the_text_with_a_notice(client, monkeypatch, tmp_path):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    r = client.get(f"/doc/{SAMPLE}/preview")
    assert r.status_code == 200
    text = r.get_data(as_text=True)
    assert "LibreOffice" in text
    paras = page(r).xpath("//div[@class='text-preview']/p/text()")
    assert any(p.startswith("Năm 2024 là năm bản lề") for p in paras)


def test_preview_of_an_invalid_file_lists_its_problems(client, site):
    _, data, _ = site
    path = data / SAMPLE
    path.write_text(path.read_text(encoding="utf-8").replace("place: Hà Nội", "place:"), encoding="utf-8")
    r = client.get(f"/doc/{SAMPLE}/preview")
    assert r.status_code == 200 and "place" in r.get_data(as_text=True)


@needs_soffice
def test_preview_pages_are_images_cached_by_content_hash(client, site):
    t = time.perf_counter()
    r = client.get(f"/doc/{SAMPLE}/preview")
    first = time.perf_counter() - t
    images = page(r).xpath("//img[@class='page']/@src")
    assert len(images) >= 2
    png = client.get(images[0])
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
    t = time.perf_counter()
    again = client.get(f"/doc/{SAMPLE}/preview")
    assert page(again).xpath("//img[@class='page']/@src") == images
    assert time.perf_counter() - t < first  # served from the cache, LibreOffice not run again
    assert client.get("/preview/" + "0" * 64 + "/1.png").status_code == 404
    assert client.get("/preview/..%2f..%2fetc/1.png").status_code == 404


# --- issue, build, history, downloads -------------------------------------------------------

def test_issue_shows_the_number_then_issues_through_the_book(client, site):
    _, data, tmp = site
    r = client.get(f"/doc/{DRAFT}/issue?date=2025-03-10")
    assert r.status_code == 200
    planned = page(r).xpath("//*[@data-testid='planned-number']/text()")[0]
    assert planned.startswith("Số: 01/KH-")
    assert "10/03/2025" in r.get_data(as_text=True)
    assert not (tmp / "registry.sqlite").exists()  # looking does not create the book
    tok = page(r).xpath("//input[@name='csrf_token']/@value")[0]
    base = page(r).xpath("//input[@name='base_hash']/@value")[0]
    r = client.post(f"/doc/{DRAFT}/issue", data={"csrf_token": tok, "base_hash": base, "date": "2025-03-10"})
    assert r.status_code == 302
    doc = api.load_document(data / DRAFT)
    assert doc.number == 1 and doc.date.isoformat() == "2025-03-10"
    entries = api.registry_entries(str(tmp / "registry.sqlite"))
    assert [(e.number, e.doc_id) for e in entries] == [(1, doc.id)]
    assert "Đã cấp số" in client.get(r.headers["Location"]).get_data(as_text=True)
    listing = client.get("/").get_data(as_text=True)
    assert "Đã ban hành" in listing and "Số 01/KH-" in listing


def test_two_issues_at_once_through_the_web_give_two_numbers(site, book_address):
    _, data, tmp = site
    app = create_app(data, output=tmp / "output", registry=book_address)
    source = (data / DRAFT).read_text(encoding="utf-8")
    for n in (1, 2):
        (data / f"kh-{n}.yaml").write_text(source.replace("id: ke-hoach-thi-dua-cdcs-2025", f"id: kh-{n}-2025"), encoding="utf-8")
    ids = [api.load_document(data / f"kh-{n}.yaml").id for n in (1, 2)]
    assert len(set(ids)) == 2, ids
    clients = [app.test_client() for _ in range(2)]
    tokens = [token(c, f"/doc/kh-{n}.yaml") for c, n in zip(clients, (1, 2))]
    barrier = threading.Barrier(2)
    codes = []

    def go(c, tok, n):
        barrier.wait()
        codes.append(c.post(f"/doc/kh-{n}.yaml/issue", data={"csrf_token": tok, "date": "2025-04-01"}).status_code)

    threads = [threading.Thread(target=go, args=(c, t, n)) for c, t, n in zip(clients, tokens, (1, 2))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [302, 302]
    numbers = sorted(api.load_document(data / f"kh-{n}.yaml").number for n in (1, 2))
    assert numbers == [1, 2]
    assert sorted(e.number for e in api.registry_entries(book_address)) == [1, 2]
    listing = app.test_client().get("/").get_data(as_text=True)
    assert listing.count("Đã ban hành</span>") == 2


def _issue(client, rel, date="2025-03-10"):
    tok = token(client, f"/doc/{rel}/issue")
    assert client.post(f"/doc/{rel}/issue", data={"csrf_token": tok, "date": date}).status_code == 302


def test_rebuild_after_an_edit_records_a_revision_shown_in_history_and_downloadable(client, site):
    _, data, _ = site
    _issue(client, DRAFT)
    pairs = form_pairs(client.get(f"/doc/{DRAFT}"))
    old = dict(pairs)["f.place"]
    replace(pairs, "f.place", "Vĩnh Yên")
    assert client.post(f"/doc/{DRAFT}/save", data=MultiDict(pairs)).status_code == 302
    tok = token(client, f"/doc/{DRAFT}")
    r = client.post(f"/doc/{DRAFT}/build", data={"csrf_token": tok})
    assert r.status_code == 302
    assert "bản sửa đổi 2" in client.get(r.headers["Location"]).get_data(as_text=True)
    r = client.get(f"/doc/{DRAFT}/history")
    assert r.status_code == 200
    assert len(page(r).xpath("//table[@class='list']/tbody/tr")) == 2
    table = page(r).xpath("//table[@class='diff']")
    shown = table[0].text_content().replace("\xa0", " ")
    assert "Vĩnh Yên" in shown and old in shown
    from dispatch_gen.readers.docx_text import paragraphs

    one = client.get(f"/doc/{DRAFT}/download.docx?rev=1")
    two = client.get(f"/doc/{DRAFT}/download.docx?rev=2")
    assert one.status_code == two.status_code == 200
    assert "attachment" in one.headers["Content-Disposition"]
    assert any(old in p for p in paragraphs(one.data)) and not any("Vĩnh Yên" in p for p in paragraphs(one.data))
    assert any("Vĩnh Yên" in p for p in paragraphs(two.data))
    assert client.get(f"/doc/{DRAFT}/download.docx?rev=9").status_code == 400


def test_history_of_a_draft_says_it_has_none(client):
    r = client.get(f"/doc/{DRAFT}/history")
    assert r.status_code == 200 and "chưa được cấp số" in r.get_data(as_text=True)


def test_download_of_the_current_docx(client):
    from dispatch_gen.readers.docx_text import paragraphs

    r = client.get(f"/doc/{SAMPLE}/download.docx")
    assert r.status_code == 200 and "31-PDTD-CTDP-CDC.docx" in r.headers["Content-Disposition"]
    assert any(p.startswith("Năm 2024 là năm bản lề") for p in paragraphs(r.data))


@needs_soffice
def test_download_pdf_of_a_revision(client):
    _issue(client, DRAFT)
    r = client.get(f"/doc/{DRAFT}/download.pdf?rev=1")
    assert r.status_code == 200 and r.data.startswith(b"%PDF")


def test_rollover_makes_next_years_draft_and_lists_review_items(client, site):
    _, data, _ = site
    r = client.get(f"/doc/{SAMPLE}/rollover")
    assert r.status_code == 200 and "phat-dong-thi-dua-2025.yaml" in r.get_data(as_text=True)
    tok = page(r).xpath("//input[@name='csrf_token']/@value")[0]
    r = client.post(f"/doc/{SAMPLE}/rollover", data={"csrf_token": tok, "year": "2025"})
    assert r.status_code == 200
    doc = api.load_document(data / "phat-dong-thi-dua-2025.yaml")
    assert doc.campaign_year == 2025 and doc.number is None
    review = page(r).xpath("//ul[@class='review']/li/text()")
    assert any("2020-2025" in line for line in review)
    r = client.post(f"/doc/{SAMPLE}/rollover", data={"csrf_token": tok, "year": "2025"})
    assert r.status_code == 400 and "already exists" in r.get_data(as_text=True)


# --- check, import --------------------------------------------------------------------------

def test_check_an_uploaded_docx_lists_findings_with_paragraph_text(client, built_sample):
    tok = token(client, "/check")
    r = client.post("/check", data={"csrf_token": tok, "file": (io.BytesIO(built_sample.read_bytes()), "vb.docx")},
                    content_type="multipart/form-data")
    assert r.status_code == 200
    assert "vb.docx" in r.get_data(as_text=True)
    broken = io.BytesIO()
    with zipfile.ZipFile(built_sample) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            raw = src.read(item.filename)
            if item.filename == "word/document.xml":
                raw = raw.replace(b'w:val="28"', b'w:val="20"', 3)
            dst.writestr(item, raw)
    r = client.post("/check", data={"csrf_token": tok, "file": (io.BytesIO(broken.getvalue()), "sai.docx")},
                    content_type="multipart/form-data")
    rows = page(r).xpath("//table[contains(@class,'findings')]/tbody/tr")
    assert rows and any(row.xpath("td[@class='snippet']/text()") for row in rows)
    r = client.post("/check", data={"csrf_token": tok, "file": (io.BytesIO(b"not a zip"), "x.docx")},
                    content_type="multipart/form-data")
    assert r.status_code == 400 and "Traceback" not in r.get_data(as_text=True)
    r = client.post("/check", data={"csrf_token": tok, "file": (io.BytesIO(b"x"), "x.exe")},
                    content_type="multipart/form-data")
    assert r.status_code == 400 and ".docx" in r.get_data(as_text=True)


def test_import_an_uploaded_text_into_a_new_data_file(client, site):
    _, data, _ = site
    seed = (ROOT / "tests" / "fixtures" / "seed-2024-31-PDTD-CTDP-CDC.txt").read_bytes()
    tok = token(client, "/import")
    r = client.post("/import", data={"csrf_token": tok, "name": "Văn bản cũ 2024", "file": (io.BytesIO(seed), "cu.txt")},
                    content_type="multipart/form-data")
    assert r.status_code == 200, r.get_data(as_text=True)
    target = data / "van-ban-cu-2024.yaml"
    assert target.is_file()
    assert "van-ban-cu-2024.yaml" in r.get_data(as_text=True)
    r = client.post("/import", data={"csrf_token": tok, "name": "van-ban-cu-2024", "file": (io.BytesIO(seed), "cu.txt")},
                    content_type="multipart/form-data")
    assert r.status_code == 400 and "đã có tệp" in r.get_data(as_text=True)
    r = client.post("/import", data={"csrf_token": tok, "name": "../../thoat", "file": (io.BytesIO(seed), "cu.txt")},
                    content_type="multipart/form-data")
    assert not (site[2] / "thoat.yaml").exists() and not (data.parent.parent / "thoat.yaml").exists()


# --- year-end -------------------------------------------------------------------------------

YE = f"campaign={SAMPLE}&results=ket-qua-thi-dua-2024.yaml"


def test_year_end_page_shows_targets_and_warnings(client):
    r = client.get("/year-end")
    assert r.status_code == 200
    assert page(r).xpath("//select[@name='campaign']/option[@selected]/@value") == [SAMPLE]
    r = client.get(f"/year-end?{YE}")
    rows = page(r).xpath("//table[contains(@class,'targets')]/tbody/tr")
    assert len(rows) >= 3
    assert "Chiến sỹ" in r.get_data(as_text=True) or page(r).xpath("//ul[@class='warnings']")


def test_results_workbook_download(client):
    from openpyxl import load_workbook

    r = client.get(f"/year-end/workbook.xlsx?{YE}")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.data))
    assert {"Đơn vị", "Cá nhân"} <= set(wb.sheetnames)
    names = [row[1] for row in wb["Đơn vị"].iter_rows(min_row=2, values_only=True) if row[1]]
    assert "Văn phòng Cục" in names


def _upload(client, data: bytes):
    tok = token(client, f"/year-end?{YE}")
    return client.post("/year-end/upload", data={"csrf_token": tok, "campaign": SAMPLE,
                                                 "results": "ket-qua-thi-dua-2024.yaml",
                                                 "file": (io.BytesIO(data), "ket-qua.xlsx")},
                       content_type="multipart/form-data")


def test_uploaded_workbook_errors_name_sheet_and_cell(client, site):
    from openpyxl import load_workbook

    wb = load_workbook(ROOT / "data" / "ket-qua-thi-dua-2024.xlsx")
    wb["Đơn vị"]["C3"] = "nhiều"
    wb["Đơn vị"]["D5"] = "-3"
    buf = io.BytesIO()
    wb.save(buf)
    r = _upload(client, buf.getvalue())
    assert r.status_code == 422
    problems = page(r).xpath("//ul[@data-testid='workbook-problems']/li/text()")
    assert any("Đơn vị!C3" in p for p in problems), problems
    assert any("Đơn vị!D5" in p for p in problems), problems
    assert any("phải là số nguyên" in p for p in problems), problems
    assert all("ket-qua.xlsx" in p for p in problems if "!" in p)
    r = client.get(f"/year-end?{YE}&source=workbook")
    assert "chưa tải lên bảng kết quả" in r.get_data(as_text=True)  # nothing was kept


def test_uploaded_workbook_is_used_then_certificates_made_with_progress_and_zipped(client, site):
    r = _upload(client, (ROOT / "data" / "ket-qua-thi-dua-2024.xlsx").read_bytes())
    assert r.status_code == 302 and "source=workbook" in r.headers["Location"]
    r = client.get(r.headers["Location"])
    assert page(r).xpath("//table[contains(@class,'targets')]/tbody/tr")
    tok = token(client, f"/year-end?{YE}")
    r = client.post("/year-end/certificates", data={"csrf_token": tok, "campaign": SAMPLE,
                                                    "results": "ket-qua-thi-dua-2024.yaml", "source": "workbook"})
    assert r.status_code == 302
    job_url = r.headers["Location"].split("?")[0]
    seen = []
    for _ in range(600):
        state = client.get(job_url + ".json").get_json()
        seen.append(state["percent"])
        if state["state"] != "running":
            break
        time.sleep(0.1)
    assert state["state"] == "done", state
    assert state["total"] > 0 and state["done"] == state["total"]
    page_ = client.get(job_url)
    assert "giấy khen" in page_.get_data(as_text=True)
    z = client.get(job_url + "/giay-khen.zip")
    names = zipfile.ZipFile(io.BytesIO(z.data)).namelist()
    assert len(names) == state["total"] and all(n.endswith(".docx") for n in names)
    assert client.get("/year-end").status_code == 200  # the job is listed there to come back to
    assert "Giấy khen" in client.get("/year-end").get_data(as_text=True)


def test_report_is_made_as_a_job(client, site):
    tok = token(client, f"/year-end?{YE}")
    r = client.post("/year-end/report", data={"csrf_token": tok, "campaign": SAMPLE,
                                              "results": "ket-qua-thi-dua-2024.yaml"})
    job_url = r.headers["Location"].split("?")[0]
    for _ in range(300):
        state = client.get(job_url + ".json").get_json()
        if state["state"] != "running":
            break
        time.sleep(0.1)
    assert state["state"] == "done", state
    body = client.get(job_url).get_data(as_text=True)
    assert "dự thảo" in body
    link = page(client.get(job_url)).xpath("//li/a/@href")[0]
    assert client.get(link).status_code == 200
    assert client.post("/year-end/other", data={"csrf_token": tok}).status_code == 404


def test_a_file_with_a_yaml_syntax_error_opens_in_the_source_tab(client, site):
    _, data, _ = site
    path = data / SAMPLE
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("place: Hà Nội", "place: [Hà Nội"), encoding="utf-8")
    r = client.get(f"/doc/{SAMPLE}")
    assert r.status_code == 200
    doc = page(r)
    assert doc.xpath("//section[@data-tab-panel='source'][not(@hidden)]")
    assert not doc.xpath("//form[@id='doc-form']")
    assert "lỗi cú pháp YAML" in r.get_data(as_text=True)
    tok = doc.xpath("//input[@name='csrf_token']/@value")[0]
    base = doc.xpath("//input[@name='base_hash']/@value")[0]
    r = client.post(f"/doc/{SAMPLE}/save", data={"csrf_token": tok, "base_hash": base, "mode": "form", "f.place": "x"})
    assert r.status_code == 400 and "tab Nguồn" in r.get_data(as_text=True)
    r = client.post(f"/doc/{SAMPLE}/save", data={"csrf_token": tok, "base_hash": base, "mode": "source", "source": good})
    assert r.status_code == 302 and path.read_text(encoding="utf-8") == good


def test_hostile_yaml_in_the_source_tab_is_refused_by_the_data_limits(client, site):
    _, data, _ = site
    before = (data / SAMPLE).read_bytes()
    doc = page(client.get(f"/doc/{SAMPLE}"))
    tok = doc.xpath("//input[@name='csrf_token']/@value")[0]
    base = doc.xpath("//input[@name='base_hash']/@value")[0]
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9))
    r = client.post(f"/doc/{SAMPLE}/save", data={"csrf_token": tok, "base_hash": base, "mode": "source", "source": bomb})
    assert r.status_code == 422 and "alias" in r.get_data(as_text=True)
    assert (data / SAMPLE).read_bytes() == before


def test_a_long_document_with_thousands_of_fields_saves(client, site):
    _, data, _ = site
    pairs = form_pairs(client.get(f"/doc/{SAMPLE}"))
    pairs += [(f"f.sections.2.items.{i}.text", f"Khoản bổ sung số {i}.") for i in range(3, 1203)]
    r = client.post(f"/doc/{SAMPLE}/save", data=MultiDict(pairs))
    assert r.status_code == 302, r.status_code
    assert len(api.load_document(data / SAMPLE).sections[2].items) == 1203


def _wait(client, job_url, seconds=300):
    for _ in range(seconds * 10):
        state = client.get(job_url + ".json").get_json()
        if state["state"] != "running":
            return state
        time.sleep(0.1)
    raise AssertionError("the job did not finish")


def test_decision_is_made_and_issued_as_a_job(client, site):
    _, _, tmp = site
    tok = token(client, f"/year-end?{YE}")
    r = client.post("/year-end/decision", data={"csrf_token": tok, "campaign": SAMPLE, "issue": "1",
                                                "results": "ket-qua-thi-dua-2024.yaml"})
    job_url = r.headers["Location"].split("?")[0]
    state = _wait(client, job_url)
    assert state["state"] == "done", state
    body = client.get(job_url).get_data(as_text=True)
    assert "Số: 01/QĐ-" in body
    assert [e.number for e in api.registry_entries(str(tmp / "registry.sqlite")) if e.series] == [1]


def test_import_an_uploaded_docx(client, site, built_sample):
    _, data, _ = site
    tok = token(client, "/import")
    r = client.post("/import", data={"csrf_token": tok, "file": (io.BytesIO(built_sample.read_bytes()), "Công văn cũ.docx")},
                    content_type="multipart/form-data")
    assert r.status_code == 200, r.get_data(as_text=True)
    target = data / "cong-van-cu.yaml"
    assert target.is_file()
    assert "PHÁT ĐỘNG" in target.read_text(encoding="utf-8").upper()


@needs_soffice
def test_certificates_with_the_merged_pdf_to_print(client, site):
    from pypdf import PdfReader

    from dispatch_gen.web.forms import dump_rt, load_rt

    _, data, _ = site
    results = load_rt((data / "ket-qua-thi-dua-2024.yaml").read_text(encoding="utf-8"))
    results["units"] = results["units"][:1]
    results["units"][0]["people"] = results["units"][0]["people"][:3]
    (data / "ket-qua-nho.yaml").write_text(dump_rt(results), encoding="utf-8")
    tok = token(client, "/year-end")
    r = client.post("/year-end/certificates", data={"csrf_token": tok, "campaign": SAMPLE, "pdf": "1",
                                                    "results": "ket-qua-nho.yaml"})
    job_url = r.headers["Location"].split("?")[0]
    state = _wait(client, job_url)
    assert state["state"] == "done", state
    link = page(client.get(job_url)).xpath("//a[@data-testid='merged-pdf']/@href")[0]
    pdf = client.get(link)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(pdf.data)).pages) == state["total"] >= 2


def test_real_server_beyond_loopback_asks_for_a_sign_in(tmp_path, users_file):
    """`serve --host 0.0.0.0 --users FILE` as started from the command line: every page needs a sign-in."""
    import http.cookiejar
    import socket
    import subprocess
    import sys
    import urllib.error
    import urllib.parse
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("registry.sqlite*", "decree30"))
    proc = subprocess.Popen([sys.executable, "-c", "from dispatch_gen.cli import main; main()", "serve",
                             "--data", str(data), "--host", "0.0.0.0", "--port", str(port), "--users", str(users_file),
                             "--output", str(tmp_path / "output")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        url = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                first = opener.open(url + "/", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None, proc.stdout.read().decode()
                time.sleep(0.1)
        assert first.url.startswith(url + "/login")
        tok = lxml_html.fromstring(first.read().decode()).xpath("//input[@name='csrf_token']/@value")[0]
        cookie = next(c for c in jar if c.name == "dispatch_gen_session")
        assert cookie.has_nonstandard_attr("HttpOnly")
        body = urllib.parse.urlencode({"csrf_token": tok, "name": "vanthu", "password": "sai"}).encode()
        with pytest.raises(urllib.error.HTTPError) as refused:
            opener.open(url + "/login", data=body, timeout=5)
        assert refused.value.code == 401
        body = urllib.parse.urlencode({"csrf_token": tok, "name": "vanthu", "password": "mat-khau-dai"}).encode()
        signed_in = opener.open(url + "/login", data=body, timeout=5)
        assert signed_in.url == url + "/"
        assert SAMPLE in signed_in.read().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
