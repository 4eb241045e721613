"""Paths from the browser, confined to their folder, and the loopback rule.

A path from a URL or a form names a file inside the data (or output) folder: each part is a
plain name (letters, digits, '.', '_', '-', not starting with a dot), there is no `..`, no part
is a symbolic link, and the resolved file is still inside the folder.
"""
from __future__ import annotations

import ipaddress
import os
import re
from pathlib import Path

from ..errors import DispatchGenError

_PART = re.compile(r"^[^\W][\w.-]{0,150}$", re.U)


class PathRefused(DispatchGenError):
    """A path that would leave its folder, or is not a plain file name."""


def confined(root: str | Path, rel: str, suffixes: tuple[str, ...] | None = None, must_exist: bool = True) -> Path:
    """The file `rel` inside `root`, or PathRefused."""
    root = Path(root).resolve()
    parts = rel.replace("\\", "/").split("/")
    if not rel or any(not _PART.match(p) or p in (".", "..") for p in parts):
        raise PathRefused(f"{rel!r}: không phải tên tệp hợp lệ trong thư mục dữ liệu")
    if suffixes and not parts[-1].lower().endswith(suffixes):
        raise PathRefused(f"{rel!r}: chỉ nhận tệp {', '.join(suffixes)}")
    path = root
    for part in parts:
        path = path / part
        if os.path.islink(path):
            raise PathRefused(f"{rel!r}: liên kết tượng trưng (symlink) không được theo")
    resolved = path.resolve()
    if resolved != root and root not in resolved.parents:
        raise PathRefused(f"{rel!r}: nằm ngoài thư mục dữ liệu")
    if must_exist and not resolved.is_file():
        raise PathRefused(f"{rel!r}: không có tệp này")
    return resolved


def safe_name(name: str, default_suffix: str) -> str:
    """A file name a person typed, reduced to a plain name with `default_suffix`."""
    import unicodedata

    base = unicodedata.normalize("NFKD", name.strip()).encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip(".-_").lower()
    if not base:
        raise PathRefused("tên tệp trống")
    if not base.endswith(default_suffix):
        base = re.sub(r"\.[a-z0-9]{1,5}$", "", base) + default_suffix
    return base


def is_loopback(host: str) -> bool:
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
