"""SIGTERM and SIGHUP stop a command as Ctrl-C does, and children die with their parent (issue 11, item 6).

Real commands in real processes receive the real signals; afterwards no LibreOffice or worker
process and no temporary or staging folder may be left.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from test_campaign_common import CAMPAIGN, RESULTS

needs_soffice = pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                                   reason="LibreOffice is not installed: apt-get install libreoffice-writer-nogui")


def env_with(tmp: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ, TMPDIR=str(tmp), DISPATCH_GEN_CACHE=str(tmp.parent / "cache"), **extra)
    env.pop("PYTEST_CURRENT_TEST", None)
    return env


def wait_for(check, seconds: float = 60.0, what: str = "condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def soffice_under(root: Path) -> str:
    out = subprocess.run(["pgrep", "-af", f"UserInstallation=file://{root}"], capture_output=True, text=True)
    return out.stdout.strip()


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_bytes().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != b"Z":
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
    except OSError:
        return False
    return state != b"Z"


def make_docx(path: Path, n: int) -> Path:
    from docx import Document

    doc = Document()
    for k in range(40):
        doc.add_paragraph(f"Giấy khen số {n}, dòng {k}: Tập thể lao động xuất sắc năm 2024.")
    doc.save(path)
    return path


@needs_soffice
@pytest.mark.parametrize("signum, status", [(signal.SIGTERM, 143), (signal.SIGHUP, 129)], ids=["SIGTERM", "SIGHUP"])
def test_signal_during_pdf_stops_libreoffice_and_removes_its_folders(tmp_path, signum, status):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    src = tmp_path / "src"
    src.mkdir()
    files = [make_docx(src / f"{n:02d}.docx", n) for n in range(12)]
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "dispatch_gen", "pdf", *map(str, files), "-o", str(out)],
                            env=env_with(tmp), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: soffice_under(tmp), what="LibreOffice to start")
        os.kill(proc.pid, signum)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == status, err
    assert f"stopped by signal {int(signum)}" in err and "Traceback" not in err
    assert soffice_under(tmp) == ""
    assert list(tmp.iterdir()) == [], "the converter's temporary folder is removed"
    assert not out.exists() or not list(out.iterdir()), "a stopped batch writes no PDF"


@needs_soffice
def test_pdf_timeout_option_and_environment_set_the_no_progress_limit(tmp_path):
    from click.testing import CliRunner

    from dispatch_gen.cli import main

    doc = make_docx(tmp_path / "a.docx", 1)
    result = CliRunner().invoke(main, ["pdf", str(doc), "-o", str(tmp_path / "o"), "--timeout", "0.05"])
    assert result.exit_code == 1
    assert "LibreOffice made no progress for 0.05 s; conversion stopped" in result.output
    script = ("from dispatch_gen.writers.pdf import convert_to_pdf; import sys\n"
              f"convert_to_pdf([{str(doc)!r}], {str(tmp_path / 'o2')!r})")
    run = subprocess.run([sys.executable, "-c", script], env=env_with(tmp_path, DISPATCH_GEN_PDF_TIMEOUT="0.05"),
                         capture_output=True, text=True, timeout=120)
    assert "LibreOffice made no progress for 0.05 s" in run.stderr
    bad = CliRunner().invoke(main, ["pdf", str(doc), "--timeout", "-1"])
    assert bad.exit_code == 1 and "must be a positive number of seconds" in bad.output
    assert not (tmp_path / "o").exists() and not (tmp_path / "o2").exists()


def many_results(tmp_path: Path, copies: int) -> Path:
    """The sample's results with every unit's people repeated: a batch that takes a while."""
    yaml = YAML(typ="safe")
    data = yaml.load(RESULTS.read_text(encoding="utf-8"))
    for unit in data["units"]:
        people = unit.get("people") or []
        unit["people"] = [dict(p, name=f"{p['name']} {k}") for k in range(copies) for p in people]
        unit["staff"] = unit["union_members"] = max(unit.get("staff", 0), len(unit["people"]))
    data.pop("quotas", None)
    path = tmp_path / "ket-qua.yaml"
    path.write_text(json.dumps(data, ensure_ascii=False, default=str, indent=1), encoding="utf-8")  # JSON is YAML
    return path


def test_sigterm_during_certificates_stops_the_workers_and_removes_the_staging_folder(tmp_path):
    results = many_results(tmp_path, 25)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "dispatch_gen", "certificates", str(CAMPAIGN), "--results",
                             str(results), "-o", str(out), "--registry", str(tmp_path / "book.sqlite"),
                             "--workers", "2"],
                            env=env_with(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        staging = wait_for(lambda: list((out / "2024").glob(".giay-khen.*new*")) if (out / "2024").exists() else [],
                           seconds=240, what="the batch to start")
        workers = wait_for(lambda: children_of(proc.pid), what="the workers")
        wait_for(lambda: len(list(staging[0].iterdir())) > 50, what="some certificates")
        os.kill(proc.pid, signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 143, err[-2000:]
    assert "stopped by signal 15" in err and "Traceback" not in err
    wait_for(lambda: not any(alive(w) for w in workers), seconds=10, what="the workers to end")
    assert not list((out / "2024").iterdir()), "no staging folder and no half batch"


_PARENT = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from dispatch_gen.campaign.batch import render_batch
    from dispatch_gen.campaign.certificates import certificate_contexts, issued_decision
    from dispatch_gen.campaign.load import load_campaign, load_results
    from dispatch_gen.campaign.workflow import template_file

    campaign = load_campaign(sys.argv[1])
    results = load_results(sys.argv[2], campaign)
    folder = Path(sys.argv[3])
    decision = issued_decision(campaign, results, folder / "none.sqlite")
    base = [ctx for _, ctx in certificate_contexts(campaign, results, decision, folder)]

    def items():
        n = 0
        while True:
            n += 1
            if n == 200:
                print("running", flush=True)
            time.sleep(0.001)
            yield folder / f"{n % 500:03d}.docx", base[n % len(base)]

    render_batch(template_file("giay-khen"), items(), workers=2)
""")


def test_workers_end_when_their_parent_is_killed(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", _PARENT, str(CAMPAIGN), str(RESULTS), str(out)],
                            env=env_with(tmp_path), stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "running"
        workers = children_of(proc.pid)
        assert len(workers) >= 2, workers
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        wait_for(lambda: not any(alive(w) for w in workers), seconds=10, what="the workers to end with their parent")
    finally:
        if proc.poll() is None:
            proc.kill()
