"""The year-end of a campaign: the units' results, measured against the launch's targets, made into
the báo cáo tổng kết, the quyết định công nhận danh hiệu and the giấy khen.

    from dispatch_gen import campaign
    checked = campaign.check("data/phat-dong-thi-dua-2024.yaml", "data/ket-qua-thi-dua-2024.yaml")
    made = campaign.make_report("data/phat-dong-thi-dua-2024.yaml", "data/ket-qua-thi-dua-2024.yaml")
"""
from __future__ import annotations

from .batch import render_batch
from .checks import check_results
from .load import Campaign, Results, load_campaign, load_results
from .targets import TargetResult, compute_targets
from .workflow import (DEFAULT_OUTPUT, Checked, Produced, check, make_certificates, make_decision, make_report,
                       results_workbook)

__all__ = [
    "Campaign", "Checked", "DEFAULT_OUTPUT", "Produced", "Results", "TargetResult", "check",
    "check_results", "compute_targets", "load_campaign", "load_results", "make_certificates", "make_decision",
    "make_report", "render_batch", "results_workbook",
]
