"""A picture's size in pixels, read from its header: no imaging library, no template engine (the
checker and the data loader measure pictures without loading either)."""
from __future__ import annotations

import struct


def image_size(data: bytes) -> tuple[int, int, str]:
    """Pixel width, height and file extension of a PNG or JPEG picture; ValueError for anything else."""
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        w, h = png_size(data)
        return w, h, "png"
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                break
            marker = data[i + 1]
            length = struct.unpack(">H", data[i + 2:i + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                h, w = struct.unpack(">HH", data[i + 5:i + 9])
                return w, h, "jpeg"
            i += 2 + length
        raise ValueError("a JPEG file without its size (corrupt?)")
    raise ValueError("not a PNG or JPEG image")


def png_size(png: bytes) -> tuple[int, int]:
    """Pixel width and height from the PNG header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG image")
    return struct.unpack(">II", png[16:24])
