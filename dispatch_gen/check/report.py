"""Reports as people read them (one line per finding) and as programs read them (JSON)."""
from __future__ import annotations

import json

from .finding import CERTIFICATE_CODES, RULES, Report


def format_text(report: Report) -> str:
    head = (f"{report.path}: {report.errors} error(s), {report.count('warning')} warning(s)"
            + (f", {report.count('info')} note(s)" if report.count("info") else "")
            + (f" — {report.kind}" if report.kind in ("certificate", "register") else "")
            + (" — template" if report.template else ""))
    if not report.parts:
        return "\n".join([head, *("  " + f.line() for f in report.findings)])
    n = len(report.parts)
    lines = [head + f" — {n} document{'s' if n > 1 else ''}"]
    for part in [None, *report.parts]:
        mine = [f for f in report.findings if f.part == part]
        if part is None:
            lines.extend("  " + f.line() for f in mine)
            continue
        errors = sum(1 for f in mine if f.severity == "error")
        warnings = sum(1 for f in mine if f.severity == "warning")
        lines.append(f"  {part}: {errors} error(s), {warnings} warning(s)")
        lines.extend("    " + f.line() for f in mine)
    return "\n".join(lines)


def format_json(reports: list[Report], problems: list[str] = ()) -> str:
    data = {
        "ok": all(r.ok for r in reports) and not problems,
        "errors": sum(r.errors for r in reports),
        "files": [r.as_dict() for r in reports],
    }
    if problems:
        data["unreadable"] = list(problems)
    return json.dumps(data, ensure_ascii=False, indent=2)


def format_rules() -> str:
    lines = [f"{code:<9} {severity:<8} {'all' if code in CERTIFICATE_CODES else 'doc':<4} {title}"
             for code, (severity, title) in RULES.items()]
    return "\n".join([*lines, "",
                      "doc: administrative documents (Nghị định 30/2020/NĐ-CP): dispatches, plans, reports, decisions.",
                      "all: also certificates (giấy khen, bằng khen), recognised by their title on a line of its own",
                      "     (with a landscape page or no Nơi nhận): not administrative documents, so only paper",
                      "     (A4 landscape), font and text are checked, not header, body, signature or Nơi nhận."])
