"""check layer of dispatch-gen: a Decree 30 compliance report for any .docx.

    from dispatch_gen.check import check_file, check_files
    report = check_file("output/2024/31-PDTD-CTDP-CDC.docx")
    report.ok, [f.code for f in report.findings]
"""
from .finding import RULES, Finding, Report
from .runner import check_file, check_files

__all__ = ["check_file", "check_files", "Finding", "Report", "RULES"]
