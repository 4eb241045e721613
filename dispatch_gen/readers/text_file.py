"""Reading a clerk's text file (YAML data, a dispatch saved as .txt): one clear error per failure."""
from __future__ import annotations

from pathlib import Path

from ..errors import DataError, Problem


def read_text(path: str | Path) -> str:
    """The file's text as UTF-8 (a BOM is dropped); missing, unreadable or non-UTF-8 → DataError."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(Problem(str(path), "file not found")) from None
    except UnicodeDecodeError as exc:
        raise DataError(Problem(str(path), f"not UTF-8 text (byte {exc.start}): save it as UTF-8")) from None
    except OSError as exc:
        raise DataError(Problem(str(path), exc.strerror or str(exc))) from None
