"""The visible signatures as Phụ lục I draws them, placed from the signature block found on the page.

- the signer's signature (ô 7c): the handwritten signature, blue, PNG on a transparent
  background, centred between the chức vụ and the name;
- the organisation's signature (ô 8): the seal, red, at its real size, transparent PNG, over
  about the left third of the signer's image.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .keys import SigningError
from .locate import SignatureBlock

POINTS_PER_MM = 72 / 25.4
DEFAULT_SEAL_MM = 36.0
"""Seal width used when its PNG does not record a resolution (round seals are 32–42 mm)."""
_MARGIN = 2.0
"""Points kept clear between the signature image and the lines above and below it."""


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def rounded(self) -> tuple[int, int, int, int]:
        return (round(self.x0), round(self.y0), round(self.x1), round(self.y1))


@dataclass(frozen=True)
class Picture:
    """A checked PNG: the image, its aspect ratio, and its size on paper if it records one."""

    path: Path
    image: object  # PIL.Image in RGBA
    notes: tuple[str, ...]

    @property
    def aspect(self) -> float:
        w, h = self.image.size
        return w / h

    def paper_width(self) -> float | None:
        dpi = self.image.info.get("dpi")
        if not dpi or not dpi[0] or dpi[0] < 20:
            return None
        return self.image.size[0] / float(dpi[0]) * 72


def load_picture(path: str | Path, colour: str) -> Picture:
    """Open a signature or seal image and check what the decree asks of it: PNG, transparent
    background (else it hides the text below), and its colour (blue signature, red seal)."""
    from PIL import Image, ImageStat, UnidentifiedImageError

    path = Path(path)
    try:
        with Image.open(path) as raw:
            kind = raw.format
            image = raw.convert("RGBA")
            image.info.update(raw.info)
    except FileNotFoundError:
        raise SigningError(f"{path}: no such image") from None
    except (UnidentifiedImageError, OSError) as exc:
        raise SigningError(f"{path}: not a readable image ({exc})") from None
    if kind != "PNG":
        raise SigningError(f"{path}: the image must be a PNG with a transparent background (this is {kind})")
    alpha = image.getchannel("A")
    histogram = alpha.histogram()
    clear = sum(histogram[:16]) / max(1, sum(histogram))
    if clear < 0.05:
        raise SigningError(f"{path}: the background is not transparent; save the {colour} image as a PNG "
                           "with a transparent background so that it does not hide the text under it")
    notes = []
    ink = alpha.point(lambda a: 255 if a > 128 else 0)
    if ink.getbbox():
        r, g, b = ImageStat.Stat(image.convert("RGB"), ink).mean
        main = "blue" if b > r and b > g else "red" if r > g and r > b else "another colour"
        if main != colour:
            notes.append(f"{path}: the image is mostly {main}; Phụ lục I asks for a {colour} "
                         f"{'signature' if colour == 'blue' else 'seal'}")
    return Picture(path, image, tuple(notes))


def signer_box(block: SignatureBlock, aspect: float) -> Box:
    """The signature image's box: the full height of the space between chức vụ and name,
    centred on the block's axis, no wider than the block allows."""
    height = max(block.top - block.bottom - 2 * _MARGIN, block.size)
    max_width = max(block.width * 1.3, 4 * block.size)
    width = min(height * aspect, max_width)
    height = width / aspect
    middle = (block.top + block.bottom) / 2
    return Box(block.axis - width / 2, middle - height / 2, block.axis + width / 2, middle + height / 2)


def nominal_signer_box(block: SignatureBlock) -> Box:
    """Where a signer's image of ordinary proportions (5:2) would go, for a seal placed before
    or without a visible personal signature."""
    return signer_box(block, 2.5)


def seal_box(signature: Box, seal: Picture) -> tuple[Box, str | None]:
    """The seal at its real size, its right edge a third of the way into the signature image,
    centred on the signature's height; a note when its size had to be assumed."""
    width = seal.paper_width()
    note = None
    if width is None:
        width = DEFAULT_SEAL_MM * POINTS_PER_MM
        note = (f"{seal.path}: the PNG records no resolution, so the seal is drawn {DEFAULT_SEAL_MM:g} mm wide; "
                "save it with its dpi to print it at its real size")
    height = width / seal.aspect
    right = signature.x0 + signature.width / 3
    middle = (signature.y0 + signature.y1) / 2
    return Box(right - width, middle - height / 2, right, middle + height / 2), note


def image_style(picture: Picture):
    """A pyHanko stamp style that draws only the image, filling its box."""
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.stamp import StaticStampStyle

    return StaticStampStyle(
        background=PdfImage(picture.image, writer=None), border_width=0, background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0), inner_content_scaling=layout.InnerScaling.STRETCH_TO_FIT),
    )
