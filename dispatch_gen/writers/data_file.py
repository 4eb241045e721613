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
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    data = YAML(typ="rt").load(io.StringIO(text)) or {}
    lines = text.splitlines(keepends=True)
    inserts: list[str] = []
    for key, value in values.items():
        if key in data:
            row = data.lc.key(key)[0]
            m = re.match(rf"^({re.escape(key)}:[ \t]?)([^#\r\n]*?)([ \t]*#.*?)?(\r?\n)?$", lines[row])
            if m is None:
                raise ValueError(f"{path}:{row + 1}: cannot rewrite `{key}` in place")
            comment, eol = m.group(3) or "", m.group(4) or ""
            new_value = _scalar(value)
            if comment and len(new_value) < len(m.group(2)):
                new_value = new_value.ljust(len(m.group(2)))
            lines[row] = f"{key}: {new_value}{comment}{eol}" if new_value or comment else f"{key}:{eol}"
        else:
            inserts.append(f"{key}: {_scalar(value)}\n")
    if inserts:
        if after in data:
            row = data.lc.key(after)[0] + 1
        else:
            row = len(lines)
            if lines and not lines[-1].endswith("\n"):
                lines[-1] += "\n"
        lines[row:row] = inserts
    write_bytes_atomic(path, "".join(lines).encode("utf-8"))
