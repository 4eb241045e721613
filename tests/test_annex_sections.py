"""A phụ lục / danh sách with Mục of its own (`I. TẬP THỂ`, `II. CÁ NHÂN`) and pictures: the
commendation list of a quyết định khen thưởng, read back with python-docx and checked."""
from __future__ import annotations

from pathlib import Path

import docx
from ruamel.yaml import YAML

from dispatch_gen import api
from dispatch_gen.check import check_file
from docx_helpers import para

ROOT = Path(__file__).resolve().parent.parent
DECISION = ROOT / "data" / "examples" / "decree30" / "1.2-quyet-dinh.yaml"
PNG = ROOT / "data" / "examples" / "decree30" / "hinh-le-phat-dong.png"


def _decision_with(tmp_path: Path, annex: dict) -> Path:
    yaml = YAML(typ="safe", pure=True)
    data = yaml.load(DECISION.read_text(encoding="utf-8"))
    data["annexes"] = [annex]
    path = tmp_path / "qd.yaml"
    with open(path, "w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    return path


def test_a_list_annex_numbers_its_own_sections_and_items(tmp_path):
    (tmp_path / "anh.png").write_bytes(PNG.read_bytes())
    path = _decision_with(tmp_path, {
        "heading": "DANH SÁCH", "title": "tập thể và cá nhân được khen thưởng",
        "content": ["Danh sách gồm 02 tập thể và 02 cá nhân:"],
        "sections": [
            {"heading": "TẬP THỂ", "items": ["Trường Tiểu học Yên Lạc;", "Trường THCS Tam Hồng;"]},
            {"heading": "CÁ NHÂN", "items": ["Bà Trần Thị Bình, giáo viên Trường Tiểu học Yên Lạc;"],
             "content": [{"image": {"path": "anh.png", "width_cm": 6, "caption": "Hình 1. Lễ trao thưởng"}},
                         {"item": "Ông Lê Minh Cường, Phó Hiệu trưởng Trường THCS Tam Hồng."}]},
        ]})
    out = api.build(path, out_dir=tmp_path / "out", registry=tmp_path / "book.sqlite")
    d = docx.Document(str(out.path))
    texts = [p.text for p in d.paragraphs]
    start = texts.index("DANH SÁCH")
    annex = texts[start:]
    assert [t for t in annex if t[:3] in ("I. ", "II.") or t[:2] in ("1.", "2.")] == [
        "I. TẬP THỂ", "1. Trường Tiểu học Yên Lạc;", "2. Trường THCS Tam Hồng;",
        "II. CÁ NHÂN", "1. Bà Trần Thị Bình, giáo viên Trường Tiểu học Yên Lạc;",
        "2. Ông Lê Minh Cường, Phó Hiệu trưởng Trường THCS Tam Hồng./."]
    assert annex.index("Danh sách gồm 02 tập thể và 02 cá nhân:") < annex.index("I. TẬP THỂ")
    for heading in ("I. TẬP THỂ", "II. CÁ NHÂN"):
        assert all(r.bold for r in para(d, heading).runs if r.text.strip())
    # the picture in the phụ lục is placed there (it was silently left out), its caption under it
    drawings = [i for i, p in enumerate(d.paragraphs) if p._p.xpath(".//w:drawing")]
    assert len(drawings) == 1 and drawings[0] > start
    assert d.paragraphs[drawings[0] + 1].text == "Hình 1. Lễ trao thưởng"
    assert len(d.inline_shapes) == 1 and round(d.inline_shapes[0].width.cm, 1) == 6.0
    report = check_file(out.path)
    assert report.ok and not report.codes("warning"), [f.line() for f in report.findings]


def test_bad_annex_section_is_located(tmp_path):
    path = _decision_with(tmp_path, {"heading": "Phụ lục", "title": "Danh sách", "sections": [{"items": ["x"]}]})
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "dispatch_gen", "build", str(path), "-o", str(tmp_path / "out")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "annexes[0].sections[0].heading" in run.stderr and "qd.yaml" in run.stderr, run.stderr
    assert not (tmp_path / "out").exists()


def test_an_issuer_typed_in_capitals_is_a_warning_where_a_phu_luc_quotes_it(tmp_path):
    """The `(Kèm theo … của …)` line prints the issuer's name as typed: capitals there are a slip."""
    annex = {"heading": "Phụ lục", "title": "Danh sách", "content": ["Trường Tiểu học Yên Lạc."]}
    typed = _decision_with(tmp_path, annex)
    assert not [w for w in api.warnings(typed) if "capitals" in w]
    yaml = YAML(typ="safe", pure=True)
    data = yaml.load(typed.read_text(encoding="utf-8"))
    data["issuers"][0]["name"] = data["issuers"][0]["name"].upper()
    with open(typed, "w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    (line,) = [w for w in api.warnings(typed) if "capitals" in w]
    assert "issuers[0].name" in line and "qd.yaml" in line
    data["annexes"][0]["note"] = "(Kèm theo Quyết định số 12/QĐ-UBND ngày 05 tháng 3 năm 2025 của Chủ tịch UBND huyện)"
    with open(typed, "w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    assert not [w for w in api.warnings(typed) if "capitals" in w]
