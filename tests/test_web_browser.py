"""`dispatch-gen serve` in a real browser: Debian's Chromium driven by Playwright.

The test starts the real server (waitress, as `dispatch-gen serve` runs it) on a free loopback
port over a copy of the sample data, and clicks through what a văn thư does. Screenshots go to
$DISPATCH_GEN_SCREENSHOTS, else output/screenshots/ (git-ignored; CI keeps it as an artefact).
"""
from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed (apt-get install chromium)")
HAS_SOFFICE = bool(shutil.which("soffice") or shutil.which("libreoffice"))

SAMPLE = "phat-dong-thi-dua-2024.yaml"
SHOTS = Path(os.environ.get("DISPATCH_GEN_SCREENSHOTS") or ROOT / "output" / "screenshots")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve")
    data = root / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("registry.sqlite*"))
    port = _free_port()
    log = open(root / "server.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from dispatch_gen.cli import main; main()", "serve", "--data", str(data), "--port", str(port),
         "--output", str(root / "output"), "--registry", str(root / "registry.sqlite")],
        stdout=log, stderr=subprocess.STDOUT, cwd=root)
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(url + "/", timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError((root / "server.log").read_text())
            time.sleep(0.1)
    yield url, data, root
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                              args=["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True, locale="vi-VN")
    pg = context.new_page()
    pg.set_default_timeout(120_000)  # the preview runs LibreOffice: slow on a busy two-core machine
    errors = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def _preview_sources(page) -> list[str]:
    frame = page.frame_locator("iframe")
    if HAS_SOFFICE:
        frame.locator("img.page").first.wait_for(timeout=120_000)
        return frame.locator("img.page").evaluate_all("els => els.map(e => e.getAttribute('src'))")
    frame.locator(".text-preview").wait_for(timeout=60_000)
    return [frame.locator(".text-preview").inner_text()]


def test_edit_save_preview_issue_download(server, page):
    from docx import Document as Docx

    url, data, _ = server
    page.goto(url + "/")
    shot(page, "01-documents")
    page.get_by_role("link", name=SAMPLE).click()
    page.wait_for_url(f"**/doc/{SAMPLE}")
    before = _preview_sources(page)
    shot(page, "02-edit-with-preview")

    sentence = "Tổ chức khen thưởng kịp thời, đúng người, đúng thành tích những tập thể, cá nhân tiêu biểu."
    box = page.locator("textarea[name='f.sections.2.items.2.text']")
    box.fill(sentence)
    page.get_by_role("button", name="Lưu", exact=True).first.click()
    page.wait_for_selector("p.notice:has-text('Đã lưu.')")
    after = _preview_sources(page)
    assert after != before, "the preview did not change after the save"
    if not HAS_SOFFICE:
        assert "kịp thời, đúng người" in after[0]
    shot(page, "03-saved-preview-changed")
    assert sentence in (data / SAMPLE).read_text(encoding="utf-8")

    page.get_by_test_id("issue").click()
    number = page.get_by_test_id("planned-number").inner_text()
    assert number == "Số: 31/PĐTĐ-CTĐP-CĐC"
    shot(page, "04-issue-confirm")
    page.get_by_test_id("confirm-issue").click()
    page.wait_for_selector("p.notice:has-text('31/PĐTĐ-CTĐP-CĐC')")
    assert page.locator(".doc-head .badge.issued").count() == 1
    shot(page, "05-issued")

    with page.expect_download() as dl:
        page.get_by_role("link", name="Tải .docx").click()
    path = dl.value.path()
    texts = [p.text for p in Docx(path).paragraphs]
    assert any(sentence in t for t in texts)
    assert dl.value.suggested_filename == "31-PDTD-CTDP-CDC.docx"

    # an edit after issuing, rebuilt: a second revision, shown side by side in the history
    page.locator("textarea[name='f.sections.2.items.2.text']").fill(sentence.replace("kịp thời", "thường xuyên"))
    page.get_by_role("button", name="Lưu", exact=True).first.click()
    page.wait_for_selector("p.notice:has-text('Đã lưu.')")
    page.get_by_role("button", name="Tạo lại văn bản").click()
    page.wait_for_selector("p.notice:has-text('bản sửa đổi 2')")
    page.get_by_role("link", name="Lịch sử").click()
    assert page.locator("table.list tbody tr").count() == 2
    diff = page.locator("table.diff").inner_text().replace("\xa0", " ")
    assert "kịp thời" in diff and "thường xuyên" in diff
    shot(page, "06-history-diff")


def test_list_entries_added_moved_and_removed_in_the_browser(server, page):
    url, data, _ = server
    rel = "examples/cong-van-ubnd.yaml"
    page.goto(f"{url}/doc/{rel}")
    recipients = page.locator("div[data-list='f.recipients']")
    count = recipients.locator(":scope > .entries > .entry").count()
    recipients.locator(":scope > button[data-add]").click()
    new = recipients.locator(":scope > .entries > .entry").nth(count)
    new.locator("input[name$='.name'], textarea[name$='.name']").first.fill("Phòng Nội vụ huyện")
    new.locator("button[data-move='-1']").click()  # now second to last
    recipients.locator(":scope > .entries > .entry").first.locator("button[data-remove]").click()
    names = recipients.locator(":scope > .entries > .entry").evaluate_all(
        "els => els.map(e => e.querySelector('[name$=\".name\"]').getAttribute('name'))")
    assert names == [f"f.recipients.{i}.name" for i in range(count)]
    shot(page, "06b-list-entries")
    page.get_by_role("button", name="Lưu", exact=True).first.click()
    page.wait_for_selector("p.notice:has-text('Đã lưu.')")
    from dispatch_gen import api

    doc = api.load_document(data / rel)
    assert len(doc.recipients) == count
    assert doc.recipients[-2].name == "Phòng Nội vụ huyện"


def test_invalid_value_shows_its_message_next_to_the_field(server, page):
    url, data, _ = server
    before = (data / SAMPLE).read_bytes()
    page.goto(f"{url}/doc/{SAMPLE}")
    page.locator("input[name='f.signers.1.authority']").fill("XYZ.")
    page.get_by_role("button", name="Lưu", exact=True).first.click()
    message = page.locator("#f-signers-1-authority .field-error")
    message.wait_for()
    assert "XYZ." in message.inner_text() and "KT." in message.inner_text()
    message.scroll_into_view_if_needed()
    shot(page, "07-invalid-value")
    assert (data / SAMPLE).read_bytes() == before


def test_rollover_makes_a_draft(server, page):
    url, data, _ = server
    page.goto(f"{url}/doc/{SAMPLE}")
    page.get_by_role("link", name="Chuyển sang năm sau").click()
    page.get_by_role("button", name="Tạo bản dự thảo").click()
    link = page.get_by_test_id("new-draft")
    link.wait_for()
    assert page.locator("ul.review li").count() >= 1
    shot(page, "08-rollover")
    link.click()
    assert page.locator("input[name='f.year']").input_value() == "2025"
    assert page.locator(".doc-head .badge.draft").count() == 1
    assert (data / "phat-dong-thi-dua-2025.yaml").is_file()


def test_year_end_workbook_certificates_zip(server, page):
    url, _, _ = server
    page.goto(f"{url}/year-end")
    page.locator("input[type=file][name=file]").set_input_files(str(ROOT / "data" / "ket-qua-thi-dua-2024.xlsx"))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.wait_for_url(re.compile(r".*source=workbook.*"))
    assert page.locator("table.targets tbody tr").count() >= 3
    shot(page, "09-year-end")
    page.get_by_test_id("make-certificates").click()
    page.wait_for_url(re.compile(r".*/jobs/.*"))
    page.get_by_test_id("progress").wait_for()
    shot(page, "10-certificates-progress")
    page.get_by_test_id("zip").wait_for(timeout=180_000)
    total = int(re.search(r"(\d+) giấy khen", page.locator("section.job").inner_text()).group(1))
    shot(page, "11-certificates-done")
    with page.expect_download() as dl:
        page.get_by_test_id("zip").click()
    names = zipfile.ZipFile(dl.value.path()).namelist()
    assert len(names) == total > 10
    assert all(n.endswith(".docx") for n in names)
