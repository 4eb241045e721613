"""PDF export through headless LibreOffice.

Many documents go through one `soffice` process per worker, because starting LibreOffice costs
about a second while converting a small document costs a tenth of that. Each process gets a
private throw-away profile (two processes sharing a profile run one after the other), lives in
its own process group so that it can be killed whole, and writes into a private folder; finished
PDFs are made reproducible and then moved into place atomically.

Where LibreOffice's Python bridge is installed (Debian: python3-uno, with LibreOffice), each
process is started once as a listener and fed the whole share of the batch over UNO by a small
script (`uno_bridge.py`) run with that Python: no per-file dispatch of `--convert-to`, and the
same filter, so the same bytes. Without it, `soffice --convert-to` with every file of the share.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Sequence

from ..errors import ConverterError, Problem
from .atomic import atomic_path

INSTALL_HINT = (
    "LibreOffice is not installed (no soffice or libreoffice on PATH); on Debian/Ubuntu: "
    "apt-get install libreoffice-writer-nogui fonts-liberation2"
)
BATCH_THRESHOLD = 8
"""Batches larger than this are split over parallel LibreOffice processes."""

_OOXML_SUFFIXES = {".docx", ".docm", ".dotx", ".dotm"}
_POLL_SECONDS = 0.1


DEFAULT_TIMEOUT = 120.0
"""Seconds without progress after which a conversion is stopped (`DISPATCH_GEN_PDF_TIMEOUT`, `--timeout`)."""


def timeout_setting(timeout: float | None = None) -> float:
    """The no-progress limit: `timeout` if given, else $DISPATCH_GEN_PDF_TIMEOUT, else 120 s."""
    if timeout is not None:
        value, source = timeout, "--timeout"
    else:
        raw = os.environ.get("DISPATCH_GEN_PDF_TIMEOUT", "").strip()
        if not raw:
            return DEFAULT_TIMEOUT
        try:
            value, source = float(raw), "DISPATCH_GEN_PDF_TIMEOUT"
        except ValueError:
            raise ConverterError(f"DISPATCH_GEN_PDF_TIMEOUT={raw!r}: not a number of seconds") from None
    if not value > 0 or value != value or value == float("inf"):
        raise ConverterError(f"{source}: the converter's time-out must be a positive number of seconds, not {value:g}")
    return float(value)


def uno_python() -> list[str] | None:
    """The command running `uno_bridge.py` with a Python that has LibreOffice's `uno` module,
    or None (then `--convert-to` is used). $DISPATCH_GEN_UNO_PYTHON names one; `off` disables it."""
    setting = os.environ.get("DISPATCH_GEN_UNO_PYTHON", "").strip()
    if setting.lower() in ("off", "0", "no"):
        return None
    candidates = [setting] if setting else []
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        program = Path(os.path.realpath(soffice)).parent
        candidates += [str(program / "python"), str(program / "python.exe")]  # LibreOffice's own (Windows, macOS)
    candidates += ["/usr/bin/python3", shutil.which("python3") or ""]
    for python in candidates:
        if python and python in _UNO_PROBED:
            if _UNO_PROBED[python]:
                return [python, str(Path(__file__).with_name("uno_bridge.py"))]
            continue
        if not python or not os.access(python, os.X_OK) or os.path.isdir(python):
            continue
        try:
            ok = subprocess.run([python, "-c", "import uno"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, timeout=30).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            ok = False
        _UNO_PROBED[python] = ok
        if ok:
            return [python, str(Path(__file__).with_name("uno_bridge.py"))]
    return None


_UNO_PROBED: dict[str, bool] = {}


def find_soffice() -> str:
    """Return the LibreOffice executable, or stop with the command that installs it."""
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    raise ConverterError(INSTALL_HINT)


def convert_to_pdf(
    docx_files: Sequence[str | os.PathLike],
    out_dir: str | os.PathLike | None = None,
    *,
    timeout: float | None = None,
    workers: int | None = None,
) -> list[Path]:
    """Convert documents to PDF beside each source (or into `out_dir`); return the PDF paths.

    One PDF per distinct input file, in input order (a file named twice is converted once).
    All or nothing: if any file fails, ConverterError lists every failing file and no PDF is
    written. `timeout` bounds each single document (LibreOffice's start-up counts towards the
    first): a process that makes no progress for that long is killed, so a large batch never
    needs a larger limit (default: $DISPATCH_GEN_PDF_TIMEOUT, else 120 s). Converting the same
    file twice gives byte-identical PDFs.
    """
    timeout = timeout_setting(timeout)
    sources, labels = _check_sources(docx_files)
    if not sources:
        return []
    targets = _targets(labels, out_dir)
    soffice = find_soffice()
    count = _worker_count(len(sources), workers)
    bridge = uno_python()

    with tempfile.TemporaryDirectory(prefix="dispatch-gen-pdf-", ignore_cleanup_errors=True) as tmp:
        root = Path(tmp)
        staged_dir = root / "in"
        staged_dir.mkdir()
        staged: list[Path] = []
        for i, src in enumerate(sources):
            # Unique staged names let two sources called alike share one process, and keep
            # LibreOffice's lock files out of the user's folders.
            dst = staged_dir / f"{i:05d}{src.suffix.lower()}"
            shutil.copyfile(src, dst)
            staged.append(dst)

        jobs = [
            _Job(soffice, root / f"worker{k}", list(range(len(sources)))[k::count], staged, labels, root, bridge)
            for k in range(count)
        ]
        _run(jobs, timeout)

        problems: list[tuple[int, Problem]] = []
        ready: list[tuple[Path, Path]] = []
        for job in jobs:
            for i in job.indices:
                pdf = job.out_dir / f"{staged[i].stem}.pdf"
                problem = _finish(pdf, staged[i], labels[i], job.exit_problem, job.failure(i))
                if problem:
                    problems.append((i, problem))
                else:
                    ready.append((pdf, targets[i]))
        if problems:
            raise ConverterError([problem for _, problem in sorted(problems, key=lambda p: p[0])])
        for pdf, target in ready:
            with atomic_path(target) as part:
                shutil.copyfile(pdf, part)
    return targets


def merge_pdfs(pdfs: Sequence[str | os.PathLike], target: str | os.PathLike) -> Path:
    """Join PDFs into one file for printing a batch in one go; written atomically."""
    if not pdfs:
        raise ConverterError("nothing to merge: no PDF files given")
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    problems: list[Problem | str] = []
    for pdf in pdfs:
        try:
            writer.append(PdfReader(str(pdf)))
        except FileNotFoundError:
            problems.append(Problem(str(pdf), "no such file"))
        except Exception as exc:  # pypdf raises many kinds of errors on damaged files
            problems.append(Problem(str(pdf), f"not a valid PDF ({exc})"))
    if problems:
        raise ConverterError(problems)
    with atomic_path(target) as part:
        with open(part, "wb") as fh:
            writer.write(fh)
    return Path(target)


def _check_sources(files: Sequence[str | os.PathLike]) -> tuple[list[Path], list[str]]:
    """Reject missing files and fake .docx files before starting LibreOffice; drop repeats.

    A .docx that is not a ZIP archive must be caught here: LibreOffice would import it as plain
    text and happily produce a PDF of the garbage.
    """
    sources: list[Path] = []
    labels: list[str] = []
    problems: list[Problem | str] = []
    seen: set[Path] = set()
    for f in files:
        path = Path(f)
        if not path.exists():
            problems.append(Problem(str(f), "no such file"))
            continue
        if path.is_dir():
            problems.append(Problem(str(f), "is a folder, not a document"))
            continue
        if path.suffix.lower() == ".pdf":
            problems.append(Problem(str(f), "is already a PDF"))
            continue
        if path.suffix.lower() in _OOXML_SUFFIXES:
            problem = _ooxml_problem(path)
            if problem:
                problems.append(Problem(str(f), problem))
                continue
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            sources.append(resolved)
            labels.append(str(f))
    if problems:
        raise ConverterError(problems)
    return sources, labels


def _ooxml_problem(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as zf:
            if "[Content_Types].xml" not in zf.namelist():
                return "not a valid .docx file (no [Content_Types].xml in the archive)"
    except (zipfile.BadZipFile, OSError) as exc:
        return f"not a valid .docx file ({exc})"
    return None


def _targets(labels: list[str], out_dir: str | os.PathLike | None) -> list[Path]:
    sources = [Path(label) for label in labels]
    targets = [(Path(out_dir) if out_dir is not None else s.parent) / f"{s.stem}.pdf" for s in sources]
    owner: dict[Path, Path] = {}
    problems: list[Problem | str] = []
    for src, target in zip(sources, targets):
        key = target.resolve()
        if key in owner:
            problems.append(Problem(str(src), f"would overwrite {target}, also made from {owner[key]}"))
        owner.setdefault(key, src)
    if problems:
        raise ConverterError(problems)
    return targets


def _worker_count(files: int, workers: int | None) -> int:
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if files > BATCH_THRESHOLD else 1
    return max(1, min(workers, files))


@dataclass
class _Job:
    """One soffice process converting a share of the batch."""

    soffice: str
    home: Path
    indices: list[int]
    staged: list[Path]
    labels: list[str]
    tmp_root: Path
    bridge: list[str] | None = None
    proc: subprocess.Popen | None = None
    feeder: subprocess.Popen | None = None
    returncode: int | None = None
    last_state: tuple = ()
    last_change: float = 0.0
    _log: object = field(default=None, repr=False)

    @property
    def out_dir(self) -> Path:
        return self.home / "out"

    @property
    def log_path(self) -> Path:
        return self.home / "soffice.log"

    def start(self) -> None:
        self.out_dir.mkdir(parents=True)
        profile = self.home / "profile"
        env = dict(os.environ, TMPDIR=str(self.tmp_root))
        common = [
            self.soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
        ]
        files = [str(self.staged[i]) for i in self.indices]
        pipe = f"dispatch-gen-{os.getpid()}-{self.home.name}-{os.urandom(4).hex()}"
        if self.bridge:
            args = [*common, f"--accept=pipe,name={pipe};urp;"]
        else:
            args = [*common, "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(self.out_dir), *files]
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=env,
            process_group=0,  # its own group (not the terminal's: Ctrl-C is ours to handle), same session
        )
        if self.bridge:
            # In LibreOffice's process group, so that killing the group ends both.
            self.feeder = subprocess.Popen(
                [*self.bridge, pipe, str(self.proc.pid), str(self.out_dir), *files],
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                env=env,
                process_group=self.proc.pid,
            )
        self.last_change = time.monotonic()

    @property
    def exit_problem(self) -> int | None:
        """The exit status worth reporting (the bridge's 1 only means it named failed files)."""
        return None if self.bridge and self.returncode == 1 else self.returncode

    @property
    def driver(self) -> subprocess.Popen:
        """The process whose exit ends this job: the bridge feeding files, else soffice itself."""
        return self.feeder or self.proc  # type: ignore[return-value]

    def failure(self, index: int) -> str | None:
        """Why the bridge could not convert file `index` (its own words), if it said so."""
        if not self.bridge or not self.log_path.exists():
            return None
        n = self.indices.index(index)
        for line in self.log_path.read_text(errors="replace").splitlines():
            if line.startswith(f"fail {n} "):
                return line.split(" ", 2)[2]
        return None

    def progressed(self) -> bool:
        """True if LibreOffice logged a line or wrote output since the last look."""
        entries = []
        for entry in os.scandir(self.out_dir):
            try:
                entries.append((entry.name, entry.stat().st_size))
            except FileNotFoundError:
                continue
        state = (self.log_path.stat().st_size, tuple(entries))
        changed = state != self.last_state
        self.last_state = state
        return changed

    def stuck_source(self) -> str:
        """The file LibreOffice was most likely busy with: the one after the last it announced."""
        log = self.log_path.read_text(errors="replace")
        if self.bridge:
            finished = [int(m) for m in re.findall(r"^(?:done|fail) (\d+)", log, re.M)]
            return self.labels[self.indices[min(max(finished, default=-1) + 1, len(self.indices) - 1)]]
        announced = [n for n, i in enumerate(self.indices) if f"convert {self.staged[i]} " in log]
        n = min(announced[-1] + 1, len(self.indices) - 1) if announced else 0
        return self.labels[self.indices[n]]

    def kill(self) -> None:
        """Kill the whole process group: soffice is a launcher whose soffice.bin child does the work."""
        if self.proc is not None:
            _kill_group(self.proc)
        if self._log is not None:
            self._log.close()
            self._log = None


def _kill_group(proc: subprocess.Popen) -> None:
    """Kill a process group and wait until none of it is left.

    The children go first so that the launcher reaps them itself: children orphaned by killing
    the launcher first would wait as zombies for init, which in containers may never come.
    """
    pgid = proc.pid
    if proc.poll() is None:
        children = [pid for pid in _group_members(pgid) if pid != pgid]
        for pid in children:
            _signal(pid, signal.SIGKILL)
        if children:
            try:
                proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()
    deadline = time.monotonic() + 5
    while _group_members(pgid) and time.monotonic() < deadline:
        time.sleep(0.01)


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes of a group, read from /proc; empty where there is no /proc."""
    members = []
    try:
        entries = list(os.scandir("/proc"))
    except OSError:
        return members
    for entry in entries:
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != b"Z" and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


@contextmanager
def _ctrl_c_deferred() -> Iterator[None]:
    """Hold Ctrl-C (and SIGTERM/SIGHUP where they are handled like it) while processes start or
    are killed, so that none is left untracked or alive; a held signal is delivered after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    saved = {}
    for sig in (signal.SIGINT, *_TERMINATING):
        previous = signal.getsignal(sig)
        if callable(previous):  # a Python handler: ours to hold; the defaults end the process anyway
            saved[sig] = previous
            signal.signal(sig, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        for sig, previous in saved.items():
            signal.signal(sig, previous)
        for signum in dict.fromkeys(received):
            os.kill(os.getpid(), signum)


_TERMINATING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def _run(jobs: list[_Job], timeout: float) -> None:
    """Run the jobs in parallel; kill every process group on stall, error or Ctrl-C."""
    try:
        with _ctrl_c_deferred():
            for job in jobs:
                job.start()
        running = list(jobs)
        while running:
            try:
                running[0].driver.wait(timeout=_POLL_SECONDS)
            except subprocess.TimeoutExpired:
                pass
            now = time.monotonic()
            for job in list(running):
                code = job.driver.poll()
                if code is not None:
                    job.returncode = code
                    running.remove(job)
                elif job.progressed():
                    job.last_change = now
                elif now - job.last_change > timeout:
                    raise ConverterError(
                        Problem(
                            job.stuck_source(),
                            f"LibreOffice made no progress for {timeout:g} s; conversion stopped",
                        )
                    )
    finally:
        with _ctrl_c_deferred():
            for job in jobs:
                job.kill()


def _finish(pdf: Path, staged: Path, label: str, returncode: int | None,
            failure: str | None = None) -> Problem | None:
    """Check one PDF LibreOffice wrote and make it reproducible in place; describe what is wrong."""
    if not pdf.is_file():
        if failure:
            return Problem(label, f"LibreOffice could not open it (damaged file or not a document: {failure})")
        if returncode:
            return Problem(label, f"LibreOffice exited with status {returncode} before converting it")
        return Problem(label, "LibreOffice could not open it (damaged file or not a document)")
    from pypdf import PdfReader

    data = pdf.read_bytes()
    try:
        if not data.rstrip().endswith(b"%%EOF"):
            raise ValueError("file is truncated")
        reader = PdfReader(io.BytesIO(data))
        if not reader.pages:
            raise ValueError("no pages")
        data = _normalise(data, reader, _document_date(staged))
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        return Problem(label, f"LibreOffice produced an invalid PDF ({exc})")
    pdf.write_bytes(data)
    return None


_DATE_ENTRY = re.compile(rb"/(CreationDate|ModDate)\s*\((?:[^()\\]|\\.)*\)", re.S)
_ID_ENTRY = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
_CHECKSUM_ENTRY = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]+)")


def _normalise(data: bytes, reader, date: str | None) -> bytes:
    """Replace what LibreOffice varies from run to run, keeping every byte offset valid.

    The dates become the document's own last-modified date (or disappear when it has none);
    the /ID and LibreOffice's /DocChecksum become a digest of the rest of the file.
    """
    buf = bytearray(data)
    info = reader.trailer.raw_get("/Info") if "/Info" in reader.trailer else None
    start = reader.xref.get(info.generation, {}).get(info.idnum) if info is not None else None
    if start is not None:
        end = data.index(b"endobj", start)
        for m in _DATE_ENTRY.finditer(data, start, end):
            entry = b"/%s(%s)" % (m[1], date.encode()) if date else b""
            if len(entry) > len(m[0]):
                entry = b""
            buf[m.start() : m.end()] = entry.ljust(len(m[0]))
    tail = data.rfind(b"trailer")
    spans = []
    if tail >= 0:
        for m in _ID_ENTRY.finditer(data, tail):
            spans += [m.span(1), m.span(2)]
        for m in _CHECKSUM_ENTRY.finditer(data, tail):
            spans.append(m.span(1))
    for a, b in spans:
        buf[a:b] = b"0" * (b - a)
    digest = hashlib.md5(buf).hexdigest().upper().encode()
    for a, b in spans:
        buf[a:b] = (digest * (1 + (b - a) // len(digest)))[: b - a]
    return bytes(buf)


_CORE_DATE = re.compile(r"<dcterms:(modified|created)\b[^>]*>\s*([^<\s]+)\s*<")


def _document_date(source: Path) -> str | None:
    """The source's last-modified date as a PDF date, so the PDF's date follows the document's."""
    try:
        with zipfile.ZipFile(source) as zf:
            core = zf.read("docProps/core.xml").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError):
        return None
    found = dict((kind, value) for kind, value in _CORE_DATE.findall(core))
    value = found.get("modified") or found.get("created")
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).strftime("D:%Y%m%d%H%M%SZ")
