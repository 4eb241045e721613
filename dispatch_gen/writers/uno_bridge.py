"""Convert documents to PDF through a running LibreOffice (UNO), one after the other.

Run by the Python that has LibreOffice's `uno` module (Debian's python3-uno), not imported by
dispatch-gen: `python3 uno_bridge.py PIPE SOFFICE_PID OUT_DIR FILE…`. It connects to the
LibreOffice listening on the named pipe, loads each file hidden and stores it with the same PDF
filter as `soffice --convert-to pdf:writer_pdf_Export` (the same bytes), writes `OUT_DIR/<stem>.pdf`,
and prints one line per file (`done N` or `fail N reason`) so that the caller sees progress. A
document stays open only while it is converted; LibreOffice stays warm for the whole batch.

It gives up when LibreOffice exits before it accepts, and ends its process group (LibreOffice
with it) when the process that started it dies.
"""
import os
import signal
import sys
import threading
import time


def _watch_parent(parent: int) -> None:
    """The caller died (even by SIGKILL): take the whole group down rather than linger."""
    while True:
        if os.getppid() != parent:
            try:
                os.killpg(os.getpgrp(), signal.SIGKILL)
            finally:
                os._exit(1)
        time.sleep(0.2)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return True


def main() -> int:
    pipe, soffice_pid, out_dir, files = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()

    import uno
    from com.sun.star.beans import PropertyValue

    def prop(name, value):
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:  # NoConnectException until LibreOffice listens
            if not _alive(soffice_pid):
                print("fail - LibreOffice exited before accepting connections", flush=True)
                return 2
            time.sleep(0.02)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    load = (prop("Hidden", True), prop("ReadOnly", True))
    store = (prop("FilterName", "writer_pdf_Export"),)
    failed = 0
    for n, path in enumerate(files):
        stem = os.path.splitext(os.path.basename(path))[0]
        target = os.path.join(out_dir, stem + ".pdf")
        doc = None
        try:
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(path)), "_blank", 0, load)
            if doc is None:
                raise RuntimeError("not a document LibreOffice can open")
            doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(target)), store)
            print(f"done {n}", flush=True)
        except Exception as exc:  # one bad file is reported; the others still convert
            failed += 1
            reason = " ".join(str(getattr(exc, "Message", "") or exc).split())[:200]
            print(f"fail {n} {type(exc).__name__}: {reason}", flush=True)
            try:
                os.unlink(target)
            except OSError:
                pass
        finally:
            if doc is not None:
                try:
                    doc.close(True)
                except Exception:
                    pass
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
