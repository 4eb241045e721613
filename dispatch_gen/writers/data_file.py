"""Write values back into a clerk's YAML data file, keeping every comment and the layout.

Only top-level scalar keys are written (number, date, year …). The value on the key's own line
is replaced in place, so the rest of the file stays byte for byte as the clerk typed it; a
missing key is added on a new line after `after`. The write is atomic.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from ..errors import DataError, Problem
from .atomic import write_bytes_atomic


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, int)):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    text = str(value)
    return text if re.fullmatch(r"[\w .,/-]*", text) and text.strip() == text else '"' + text.replace('"', '\\"') + '"'


def update_fields(path: str | Path, values: dict[str, Any], after: str | None = None) -> None:
    """Set top-level scalar keys in the YAML file at `path`, atomically, comments kept."""
    write_bytes_atomic(path, updated_bytes(path, [(values, after)]))


def updated_bytes(path: str | Path, changes: list[tuple[dict[str, Any], str | None]]) -> bytes:
    """The bytes of the YAML file at `path` with each (values, after) change of `changes` made in
    turn, nothing written: a caller stages them beside the file and renames when its record is safe."""
    path = Path(path)
    with open(path, encoding="utf-8", newline="") as fh:  # keep the file's own line endings (CRLF)
        text = fh.read()
    for values, after in changes:
        text = _updated_text(path, text, values, after)
    return text.encode("utf-8")


def _updated_text(path: Path, text: str, values: dict[str, Any], after: str | None) -> str:
    data = YAML(typ="rt").load(io.StringIO(text)) or {}
    lines = re.findall(r"[^\n]*\n|[^\n]+$", text)  # YAML's own line breaks only, ends kept
    newline = "\r\n" if "\r\n" in text else "\n"
    inserts: list[str] = []
    for key, value in values.items():
        if key in data:
            row = data.lc.key(key)[0]
            m = re.match(rf"^\ufeff?({re.escape(key)}:[ \t]?)([^#\r\n]*?)([ \t]*#.*?)?(\r?\n)?$", lines[row])
            if m is None:
                raise DataError(Problem(str(path), f"cannot rewrite `{key}` in place (write it as `{key}: value` on one line)",
                                        line=row + 1))
            comment, eol = m.group(3) or "", m.group(4) or ""
            new_value = _scalar(value)
            if comment and len(new_value) < len(m.group(2)):
                new_value = new_value.ljust(len(m.group(2)))
            bom = "\ufeff" if lines[row].startswith("\ufeff") else ""
            lines[row] = bom + (f"{key}: {new_value}{comment}{eol}" if new_value or comment else f"{key}:{eol}")
        else:
            inserts.append(f"{key}: {_scalar(value)}{newline}")
    if inserts:
        if after in data:
            row = data.lc.key(after)[0] + 1
        else:
            row = len(lines)
            if lines and not lines[-1].endswith("\n"):
                lines[-1] += newline
        lines[row:row] = inserts
    return "".join(lines)
