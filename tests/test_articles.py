"""Điều with a tiêu đề: Phụ lục I sets `Điều`, its number and its title bold; an article's text
(with its final stop) stays regular. Read back with python-docx and checked."""
from __future__ import annotations

from pathlib import Path

import docx
from ruamel.yaml import YAML

from dispatch_gen import api
from dispatch_gen.check import check_file
from docx_helpers import para_starting

ROOT = Path(__file__).resolve().parent.parent
DECISION = ROOT / "data" / "examples" / "decree30" / "1.2-quyet-dinh.yaml"


def test_an_article_title_is_bold_and_its_text_regular(tmp_path):
    yaml = YAML(typ="safe", pure=True)
    data = yaml.load(DECISION.read_text(encoding="utf-8"))
    data["articles"] = [
        {"article": "Phạm vi điều chỉnh", "content": [{"item": "Quy định này áp dụng cho các trường học."}]},
        {"article": "Quyết định này có hiệu lực kể từ ngày ký"},  # no stop, but no khoản: its text
        "Các đơn vị chịu trách nhiệm thi hành Quyết định này.",
    ]
    path = tmp_path / "qd.yaml"
    with open(path, "w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    out = api.build(path, out_dir=tmp_path / "out", registry=tmp_path / "book.sqlite")
    d = docx.Document(str(out.path))
    titled = para_starting(d, "Điều 1.")
    assert titled.text == "Điều 1. Phạm vi điều chỉnh"
    assert all(r.bold for r in titled.runs if r.text.strip())
    for start in ("Điều 2.", "Điều 3."):
        runs = [r for r in para_starting(d, start).runs if r.text.strip()]
        assert runs[0].bold and not any(r.bold for r in runs[1:]), start
    report = check_file(out.path)
    assert report.ok and not report.codes("warning"), [f.line() for f in report.findings]
