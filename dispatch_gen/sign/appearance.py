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


# The organisation's signature on a văn bản kèm theo sent as its own file (Phụ lục I, I.8.b):
# no image; the main document's Số, ký hiệu and the signing time, Times New Roman 10 pt, upright,
# black, at the top right of the first page.
ATTACHMENT_SIZE = 10
_FONT_FILES = ("times.ttf", "Times New Roman.ttf", "Times_New_Roman.ttf", "TimesNewRoman.ttf",
               "LiberationSerif-Regular.ttf")
_FONT_DIRS = ("~/.local/share/fonts", "~/.fonts", "/usr/local/share/fonts", "/usr/share/fonts",
              "/Library/Fonts", "C:/Windows/Fonts")
_VIETNAMESE = "ảạẫệỉọởựỳđĐẮ"
_EDGE_MM = 15.0
"""From the right edge (the decree's smallest right margin) and, halved, from the top edge."""


def attachment_lines(number: str, when) -> list[str]:
    return [f"Số, ký hiệu: {number}", f"Thời gian ký: {when.isoformat()}"]


def _font_file() -> str:
    """Times New Roman if installed, else its metric twin Liberation Serif; it must have every
    Vietnamese letter (Liberation 1.x lacks some)."""
    import os

    from fontTools.ttLib import TTFont

    wanted = {name.lower(): rank for rank, name in enumerate(_FONT_FILES)}
    found: list[tuple[int, str]] = []
    for folder in _FONT_DIRS:
        for dirpath, _, files in sorted(os.walk(os.path.expanduser(folder))):
            found.extend((wanted[f.lower()], os.path.join(dirpath, f)) for f in sorted(files) if f.lower() in wanted)
    for _, path in sorted(found):
        try:
            cmap = TTFont(path, lazy=True).getBestCmap()
        except Exception:  # noqa: BLE001 (an unreadable font file is skipped)
            continue
        if all(ord(ch) in cmap for ch in _VIETNAMESE):
            return path
    raise SigningError("no Times New Roman (or Liberation Serif 2) font with Vietnamese letters found for the "
                       "attachment's signature text; on Debian: apt-get install fonts-liberation2")


def _font_per_mille(path: str, text: str, folder: str) -> str:
    """The font cut down to `text`'s letters and rescaled to 1000 units per em, in a temporary file.

    pyHanko writes a CID font's glyph widths in the font's own units, but PDF reads them per
    1000 (TrueType fonts such as Times New Roman use 2048): the letters would stand far apart."""
    import os

    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(path)
    subsetter = subset.Subsetter(subset.Options(layout_features=["*"], name_IDs=["*"], notdef_outline=True))
    subsetter.populate(text=text + " 0123456789:+-T/.,")
    subsetter.subset(font)
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    out = os.path.join(folder, "attachment-font.ttf")
    font.save(out)
    return out


def _text_width(path: str, lines: list[str], size: float) -> float:
    import unicodedata

    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    cmap, metrics, em = font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm
    width = lambda text: sum(metrics[cmap.get(ord(ch), ".notdef")][0] for ch in text) * size / em  # noqa: E731
    return max(width(unicodedata.normalize("NFC", line)) for line in lines)


def attachment_appearance(lines: list[str], page_width: float, page_height: float, folder: str):
    """(box, pyHanko style) of the attachment's text-only signature at the page's top right; the
    font it needs is written into `folder`, which must outlast the signing."""
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    path = _font_per_mille(_font_file(), "".join(lines), folder)
    margin = 2.0
    leading = ATTACHMENT_SIZE * 1.2
    width = _text_width(path, lines, ATTACHMENT_SIZE) + 2 * margin + 2
    height = leading * len(lines) + 2 * margin + 2
    right = page_width - _EDGE_MM * POINTS_PER_MM
    top = page_height - _EDGE_MM / 2 * POINTS_PER_MM
    box = Box(right - width, top - height, right, top)
    style = TextStampStyle(
        stamp_text="\n".join(lines).replace("%", "%%"), border_width=0, background=None,
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(path, font_size=ATTACHMENT_SIZE),
                                    font_size=ATTACHMENT_SIZE, leading=round(leading), border_width=0,
                                    box_layout_rule=layout.SimpleBoxLayoutRule(
                                        x_align=layout.AxisAlignment.ALIGN_MIN,
                                        y_align=layout.AxisAlignment.ALIGN_MID,
                                        margins=layout.Margins.uniform(0))),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(margin), inner_content_scaling=layout.InnerScaling.NO_SCALING),
    )
    return box, style
