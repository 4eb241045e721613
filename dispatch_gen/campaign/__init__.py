"""The year-end of a campaign: the units' results, measured against the launch's targets, made into
the báo cáo tổng kết, the quyết định công nhận danh hiệu and the giấy khen.

    from dispatch_gen import campaign
    checked = campaign.check("data/phat-dong-thi-dua-2024.yaml", "data/ket-qua-thi-dua-2024.yaml")
    made = campaign.make_report("data/phat-dong-thi-dua-2024.yaml", "data/ket-qua-thi-dua-2024.yaml")
"""
from __future__ import annotations

__all__ = [
    "Campaign", "Checked", "DEFAULT_OUTPUT", "Produced", "Results", "TargetResult", "check",
    "check_results", "compute_targets", "load_campaign", "load_results", "make_certificates", "make_decision",
    "make_report", "render_batch", "results_workbook",
]

# Loaded on first use: `results check` of a YAML file needs neither openpyxl nor matplotlib.
_WHERE = {
    "render_batch": "batch", "check_results": "checks", "Campaign": "load", "Results": "load",
    "load_campaign": "load", "load_results": "load", "TargetResult": "targets", "compute_targets": "targets",
    "DEFAULT_OUTPUT": "workflow", "Checked": "workflow", "Produced": "workflow", "check": "workflow",
    "make_certificates": "workflow", "make_decision": "workflow", "make_report": "workflow",
    "results_workbook": "workflow",
}


def __getattr__(name: str):
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
