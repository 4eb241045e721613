"""The báo cáo tổng kết (BC): figures against every target, titles earned, then the narrative.

The skeleton is the usual one: I. kết quả đạt được; II. tồn tại, hạn chế và nguyên nhân;
III. bài học kinh nghiệm; IV. phương hướng, nhiệm vụ năm sau; V. đề xuất, kiến nghị. What can be
counted is counted (the target table and chart, the titles earned, the targets missed, the list
proposed for recognition); what must be written comes from the results file, and a missing part
prints a visible “[Cần bổ sung …]” line and raises a warning rather than disappearing.
"""
from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..errors import Problem
from ..model import Document
from ..render import ooxml as ox
from ..render.image import inline_picture, png_size
from . import titles as catalogue
from .awards import KIND_NOUN, awardees, by_highest_title
from .chart import HEIGHT_CM, WIDTH_CM
from .documents import build_document, fill, fill_own, launch_reference, placeholder_problems
from .load import Campaign, Results
from .targets import TargetResult

CHART_REL = "rIdChart"
CHART_MEDIA = "chart.png"
q = catalogue.quoted

NARRATIVE = {
    "results": "các kết quả nổi bật khác của phong trào",
    "shortcomings": "tồn tại, hạn chế và nguyên nhân",
    "lessons": "bài học kinh nghiệm",
    "next_year": "phương hướng, nhiệm vụ năm sau",
    "proposals": "đề xuất, kiến nghị",
}
TEXT_FIELDS = ("subtitle", "opening", "closing") + tuple(NARRATIVE)


def _defaults(campaign: Campaign) -> dict[str, Any]:
    names = " và ".join(i.name for i in campaign.document.issuers)
    return {
        "id": f"{campaign.document.id}-bao-cao",
        "template": "bao-cao",
        "type_code": "BC",
        "title": "Báo cáo",
        "subtitle": "Tổng kết phong trào thi đua năm {year}",
        "opening": [f"Thực hiện văn bản phát động phong trào thi đua năm {{year}} {{launch}} của {names}, "
                    "trên cơ sở báo cáo của các đơn vị, xin báo cáo tổng kết phong trào thi đua năm {year} như sau:"],
        "closing": [f"Trên đây là báo cáo tổng kết phong trào thi đua năm {{year}} của {names}./."],
    }


def report_document(campaign: Campaign, results: Results) -> Document:
    """The report as a Decree 30 document, with `{launch}` resolved in its opening and closing."""
    settings = results.data.report
    doc = build_document(campaign, results, "report", settings, _defaults(campaign))
    values = {"launch": launch_reference(campaign.document)}
    return doc.model_copy(update={
        "opening": [fill_own(t, values) for t in doc.opening],
        "closing": [fill_own(t, values) for t in doc.closing],
        "subtitle": fill_own(doc.subtitle, values) if doc.subtitle else None,
    })


def report_problems(campaign: Campaign, results: Results) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) of the report section: unknown placeholders; missing narrative."""
    settings = results.data.report
    fields = {k: getattr(settings, k) for k in TEXT_FIELDS if getattr(settings, k) is not None}
    errors = placeholder_problems(results, campaign.document, "report", fields, ("launch",))
    warnings = [results.at(("report", key), f"no `report.{key}` text ({what}): the report shows a placeholder")
                for key, what in NARRATIVE.items() if not getattr(settings, key)]
    return errors, warnings


def placeholder(key: str) -> str:
    return f"**[Cần bổ sung: {NARRATIVE[key]} — mục `report.{key}` của tệp kết quả]**"


def _clause(text: str, lines=(), after=(), table: bool = False, chart: bool = False) -> dict[str, Any]:
    return {"text": text, "lines": list(lines), "after": list(after), "table": table, "chart": chart}


def _list(items: list[str]) -> list[str]:
    """`- a;` … `- z.`: dash lines, the last one closed by a full stop."""
    return [f"- {t}{'.' if i == len(items) - 1 else ';'}" for i, t in enumerate(items)]


def _title_counts(results: Results) -> list[str]:
    everyone = awardees(results)
    staff = sum(u.staff for u in results.units)
    lines = []
    for title in sorted(catalogue.CATALOGUE, key=lambda t: (t.kind != "unit", -t.rank)):
        holders = [a for a in everyone if title.name in a.titles]
        if not holders:
            continue
        if title.kind == "unit":
            lines.append(f"{len(holders)}/{len(results.units)} tập thể đạt danh hiệu {q(title.name)}")
        else:
            lines.append(f"{len(holders)}/{staff} cán bộ công chức đạt danh hiệu {q(title.name)}")
    return _list(lines)


def _missed(rows: list[TargetResult]) -> str:
    missed = [r for r in rows if r.met is False]
    if not missed:
        return f"Cả {len(rows)} chỉ tiêu đo được của phong trào đều đạt."
    parts = "; ".join(f"{_lower(r.label.removeprefix('Trong đó: '))} (đạt {r.ratio_text}, chỉ tiêu {r.share_text})"
                      for r in missed)
    return f"Còn {len(missed)}/{len(rows)} chỉ tiêu chưa đạt: {parts}."


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _proposed(results: Results) -> list[str]:
    lines = []
    for title, group in by_highest_title(awardees(results)):
        noun = KIND_NOUN[group[0].kind]
        if catalogue.BY_NAME[title].rank > 1 or group[0].kind == "unit":
            names = ", ".join(a.name if a.kind == "unit" else f"{a.name} ({a.unit})" for a in group)
            lines.append(f"{len(group)} {noun} đạt danh hiệu {q(title)}: {names}")
        else:
            lines.append(f"{len(group)} {noun} đạt danh hiệu {q(title)} (danh sách kèm theo quyết định công nhận)")
    return _list(lines)


def chart_paragraph(png: bytes) -> Markup:
    """The chart, centred, at the width the chart was drawn for (its aspect kept from the PNG)."""
    w, h = png_size(png)
    picture = inline_picture(CHART_REL, WIDTH_CM, WIDTH_CM * h / w if w else HEIGHT_CM, 101,
                             "Biểu đồ chỉ tiêu", "Chỉ tiêu và kết quả thực hiện")
    return Markup(f"<w:p>{ox.ParaFormat(align='center', before_pt=6, after_pt=6).xml()}{picture}</w:p>")


def report_context(doc: Document, campaign: Campaign, results: Results, rows: list[TargetResult],
                   png: bytes) -> dict[str, Any]:
    """What the report template shows beyond the dispatch's context: Mục I–V, the table, the chart."""
    settings = results.data.report
    year = results.year
    values = {"launch": launch_reference(campaign.document)}
    x = lambda t: fill(t, values, campaign.document, year)  # noqa: E731

    def narrative(key: str) -> list[str]:
        texts = getattr(settings, key)
        return [x(t) for t in texts] if texts else [placeholder(key)]

    units = len(results.units)
    met = sum(1 for r in rows if r.met)
    sections = [
        {"heading": "I. KẾT QUẢ ĐẠT ĐƯỢC", "paragraphs": [], "clauses": [
            _clause("**1. Kết quả thực hiện các chỉ tiêu thi đua**",
                    [f"Tổng hợp báo cáo của {units} đơn vị, kết quả thực hiện các chỉ tiêu do văn bản phát động "
                     f"{values['launch']} đề ra như sau:"],
                    [f"Kết quả: đạt {met}/{len(rows)} chỉ tiêu đo được."],
                    table=True, chart=True),
            _clause("**2. Kết quả công nhận danh hiệu thi đua**", _title_counts(results)),
            _clause("**3. Một số kết quả khác**", narrative("results")),
        ]},
        {"heading": "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
         "paragraphs": ([_missed(rows)] if met < len(rows) else []) + narrative("shortcomings"), "clauses": []},
        {"heading": "III. BÀI HỌC KINH NGHIỆM", "paragraphs": narrative("lessons"), "clauses": []},
        {"heading": f"IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {year + 1}", "paragraphs": narrative("next_year"), "clauses": []},
        {"heading": "V. ĐỀ XUẤT, KIẾN NGHỊ", "paragraphs": [], "clauses": [
            _clause(f"**1. Đề nghị công nhận danh hiệu thi đua năm {year}**", _proposed(results)),
            _clause("**2. Kiến nghị**", narrative("proposals")),
        ]},
    ]
    return {
        "sections": sections,
        "targets": [{"number": r.number, "label": r.label, "share": r.share_text, "count": r.count_text,
                     "ratio": r.ratio_text, "verdict": r.verdict} for r in rows],
        "chart": chart_paragraph(png),
    }
