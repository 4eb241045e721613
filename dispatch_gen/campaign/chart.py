"""The report's bar chart: each measurable target, its target share beside the achieved share.

Drawn with matplotlib's object API (no pyplot: no global figure state, safe in any process),
in a serif face close to Times New Roman, with Vietnamese percentages (`92,4%`) on the bars.
The PNG carries no software or date metadata, so the same figures give the same bytes.
"""
from __future__ import annotations

import io
import textwrap
from functools import lru_cache

from .. import vn
from .targets import TargetResult

SERIF = ("Times New Roman", "Liberation Serif", "DejaVu Serif")
WIDTH_CM, HEIGHT_CM = 16.0, 9.0
DPI = 200
TARGET_COLOUR, ACHIEVED_COLOUR = "#bdbdbd", "#1f4e79"

# Font files by name, best first: Times New Roman, else its metric twin Liberation Serif (2.x has
# every Vietnamese letter; 1.x lacks some, e.g. ả). Looked up on disk, never through matplotlib's
# font cache, which may predate the fonts installed since.
_FONT_FILES = (
    ("times.ttf", "timesi.ttf"), ("Times_New_Roman.ttf", "Times_New_Roman_Italic.ttf"),
    ("Times New Roman.ttf", "Times New Roman Italic.ttf"), ("TimesNewRoman.ttf", "TimesNewRomanItalic.ttf"),
    ("LiberationSerif-Regular.ttf", "LiberationSerif-Italic.ttf"),
)
_FONT_DIRS = ("~/.local/share/fonts", "~/.fonts", "/usr/local/share/fonts", "/usr/share/fonts",
              "/Library/Fonts", "/System/Library/Fonts", "C:/Windows/Fonts")
_VIETNAMESE = "ảạẫệỉọởựỳđĐ%"


def _covers(path: str) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        charmap = FT2Font(path).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    return all(ord(ch) in charmap for ch in _VIETNAMESE)


@lru_cache(maxsize=1)
def font_files() -> tuple[str, str] | None:
    """(regular, italic) font files of the chart, or None: no serif with Vietnamese letters found."""
    import os

    found: dict[str, list[str]] = {}
    for folder in _FONT_DIRS:
        root = os.path.expanduser(folder)
        for dirpath, _, files in sorted(os.walk(root)):
            for name in sorted(files):
                found.setdefault(name.lower(), []).append(os.path.join(dirpath, name))
    for regular, italic in _FONT_FILES:
        for path in found.get(regular.lower(), ()):
            if _covers(path):
                folder = os.path.dirname(path)
                slanted = [p for p in found.get(italic.lower(), ()) if _covers(p)]
                slanted.sort(key=lambda p: os.path.dirname(p) != folder)  # its own family's italic first
                return path, slanted[0] if slanted else path
    return None


def _fonts():
    """(regular, italic) FontProperties factories: from the files, else by family name."""
    from matplotlib import font_manager

    files = font_files()
    if files:
        return (lambda size: font_manager.FontProperties(fname=files[0], size=size),
                lambda size: font_manager.FontProperties(fname=files[1], size=size))
    available = {f.name for f in font_manager.fontManager.ttflist}
    family = next((name for name in SERIF if name in available), "serif")
    return (lambda size: font_manager.FontProperties(family=family, size=size),
            lambda size: font_manager.FontProperties(family=family, style="italic", size=size))


def caption(year: int) -> str:
    return f"Biểu đồ: chỉ tiêu và kết quả thực hiện năm {year}"


def chart_png(rows: list[TargetResult], year: int) -> bytes:
    """A grouped bar chart (target vs achieved, in %) of the measurable targets, its caption below.

    The caption is part of the picture, so the chart stays one block wherever a page breaks.
    """
    from matplotlib.figure import Figure  # matplotlib loads only when a chart is drawn
    from matplotlib.ticker import FuncFormatter

    regular, italic = _fonts()
    fig = Figure(figsize=(WIDTH_CM / 2.54, HEIGHT_CM / 2.54), dpi=DPI)
    ax = fig.add_subplot()
    xs = range(len(rows))
    width = 0.38
    targets = [float(r.share) * 100 for r in rows]
    achieved = [float(r.ratio or 0) * 100 for r in rows]
    bars_t = ax.bar([x - width / 2 for x in xs], targets, width, color=TARGET_COLOUR, label="Chỉ tiêu")
    bars_a = ax.bar([x + width / 2 for x in xs], achieved, width, color=ACHIEVED_COLOUR, label=f"Kết quả năm {year}")
    for bars, values in ((bars_t, [r.share for r in rows]), (bars_a, [r.ratio for r in rows])):
        for bar, value in zip(bars, values):
            ax.annotate(vn.format_percent(value) if value is not None else "—",
                        (bar.get_x() + bar.get_width() / 2, bar.get_height()), xytext=(0, 2),
                        textcoords="offset points", ha="center", va="bottom", fontproperties=regular(7.5))
    ax.set_xticks(list(xs))
    ax.set_xticklabels([f"({r.number}) " + "\n".join(textwrap.wrap(r.short, 18)) for r in rows],
                       fontproperties=regular(8))
    ax.set_ylim(0, 115)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}%"))
    for label in ax.get_yticklabels():
        label.set_fontproperties(regular(8))
    ax.set_ylabel("Tỷ lệ", fontproperties=regular(9))
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(prop=regular(8), frameon=False, loc="upper center", ncols=2,
              bbox_to_anchor=(0.5, 1.12))
    fig.supxlabel(caption(year), fontproperties=italic(10))
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()
