"""Deterministic .docx (zip) writing with members compressed once and copied raw.

python-docx and zipfile stamp entries with the current time; we write fixed timestamps and a
fixed member order so that the same data gives the same bytes. Members that never change
between renders (styles, settings, fonts, images) are deflated once per template and their
compressed bytes copied into every output, which is what makes batch rendering cheap.
"""
from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import BinaryIO, Iterable

_DOS_TIME = 0
_DOS_DATE = (1980 - 1980) << 9 | 1 << 5 | 1  # 1980-01-01, the zip epoch
_VERSION = 20
_FLAGS = 0x0800  # names are UTF-8


@dataclass(frozen=True)
class Member:
    """A zip entry ready to be written: name, CRC, sizes and deflated bytes."""

    name: str
    crc: int
    size: int
    compressed: bytes

    @classmethod
    def deflate(cls, name: str, data: bytes, level: int = 6) -> "Member":
        comp = zlib.compressobj(level, zlib.DEFLATED, -15)
        packed = comp.compress(data) + comp.flush()
        return cls(name, zlib.crc32(data) & 0xFFFFFFFF, len(data), packed)


def write_zip(out: BinaryIO, members: Iterable[Member]) -> None:
    """Write a zip archive of pre-deflated members, byte-for-byte reproducible."""
    central = []
    offset = 0
    for m in members:
        name = m.name.encode("utf-8")
        header = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, _VERSION, _FLAGS, 8, _DOS_TIME, _DOS_DATE,
            m.crc, len(m.compressed), m.size, len(name), 0,
        )
        out.write(header)
        out.write(name)
        out.write(m.compressed)
        central.append(struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, _VERSION, _VERSION, _FLAGS, 8, _DOS_TIME, _DOS_DATE,
            m.crc, len(m.compressed), m.size, len(name), 0, 0, 0, 0, 0o100644 << 16, offset,
        ) + name)
        offset += len(header) + len(name) + len(m.compressed)
    cd = b"".join(central)
    out.write(cd)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(cd), offset, 0))
