"""The report's bar chart: each measurable target, its target share beside the achieved share.

Drawn with matplotlib's object API (no pyplot: no global figure state, safe in any process),
in a serif face close to Times New Roman, with Vietnamese percentages (`92,4%`) on the bars.
The PNG carries no software or date metadata, so the same figures give the same bytes.
"""
from __future__ import annotations

import io
import textwrap


from .. import vn
from .targets import TargetResult

SERIF = ("Times New Roman", "Liberation Serif", "DejaVu Serif")
WIDTH_CM, HEIGHT_CM = 16.0, 9.0
DPI = 200
TARGET_COLOUR, ACHIEVED_COLOUR = "#bdbdbd", "#1f4e79"


def _font() -> str:
    from matplotlib import font_manager

    available = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in SERIF if name in available), "serif")


def caption(year: int) -> str:
    return f"Biểu đồ: chỉ tiêu và kết quả thực hiện năm {year}"


def chart_png(rows: list[TargetResult], year: int) -> bytes:
    """A grouped bar chart (target vs achieved, in %) of the measurable targets, its caption below.

    The caption is part of the picture, so the chart stays one block wherever a page breaks.
    """
    from matplotlib.figure import Figure  # matplotlib loads only when a chart is drawn
    from matplotlib.ticker import FuncFormatter

    font = _font()
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
                        textcoords="offset points", ha="center", va="bottom", fontsize=7.5, family=font)
    ax.set_xticks(list(xs))
    ax.set_xticklabels([f"({r.number}) " + "\n".join(textwrap.wrap(r.short, 18)) for r in rows],
                       fontsize=8, family=font)
    ax.set_ylim(0, 115)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}%"))
    for label in ax.get_yticklabels():
        label.set_fontsize(8)
        label.set_family(font)
    ax.set_ylabel("Tỷ lệ", fontsize=9, family=font)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(prop={"family": font, "size": 8}, frameon=False, loc="upper center", ncols=2,
              bbox_to_anchor=(0.5, 1.12))
    fig.supxlabel(caption(year), fontsize=10, family=font, style="italic")
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()
