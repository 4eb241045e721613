"""`profile: path/to/own.yaml` changes every printed text and size it sets, with no template build."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest
from ruamel.yaml import YAML

from dispatch_gen import api
from dispatch_gen.errors import TemplateError
from docx_helpers import all_paragraphs, para

ROOT = Path(__file__).resolve().parent.parent


def _data(tmp_path: Path, profile: str) -> Path:
    yaml = YAML()
    data = yaml.load((ROOT / "data" / "examples" / "decree30" / "1.7-giay-moi.yaml").read_text(encoding="utf-8"))
    data["profile"] = profile
    path = tmp_path / "giay-moi.yaml"
    with open(path, "w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    return path


def test_own_profile_changes_printed_text_and_sizes(tmp_path):
    own = tmp_path / "own.yaml"
    own.write_text(
        "name: own\nextends: decree30\n"
        "header:\n  national_title: CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "elements:\n  doc_type: {size_pt: {value: 13, range: [13, 14]}, bold: true, case: upper, align: center}\n",
        encoding="utf-8")
    out = api.build(_data(tmp_path, str(own)), out_dir=tmp_path / "out", registry=tmp_path / "book.sqlite")
    document = docx.Document(str(out.path))
    texts = [p.text for p in all_paragraphs(document)]
    assert "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in texts
    assert para(document, "GIẤY MỜI").runs[0].font.size.pt == 13


def test_own_profile_with_a_kind_that_has_no_layout_is_an_error(tmp_path):
    own = tmp_path / "own.yaml"
    own.write_text("name: own\nextends: decree30\n", encoding="utf-8")
    with pytest.raises(TemplateError) as exc:
        api.compiled_template("khong-co", None, str(own))
    assert "khong-co" in exc.value.lines[0] and "own.yaml" in exc.value.lines[0]


@pytest.mark.parametrize("text, message", [
    ("name: own\nextends: {self}\n", "format profiles extend each other in a circle"),
    ("name: own\na: &x [1, 2]\nb: *x\n", "YAML aliases (*name) are not allowed in a format profile"),
    ("name: own\n", "not a format profile: the key 'elements' is missing"),
    ("name: [\n", "YAML error"),
    ("- just\n- a list\n", "not a format profile: not a mapping"),
])
def test_a_bad_profile_given_by_path_is_one_located_line(tmp_path, text, message):
    import subprocess
    import sys

    own = tmp_path / "own.yaml"
    own.write_text(text.replace("{self}", str(own)), encoding="utf-8")
    data = _data(tmp_path, str(own))
    for command in ("validate", "build"):
        run = subprocess.run([sys.executable, "-m", "dispatch_gen", command, str(data), "-o", str(tmp_path / "out")]
                             if command == "build" else [sys.executable, "-m", "dispatch_gen", command, str(data)],
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 1, run.stderr
        assert "Traceback" not in run.stderr and message in run.stderr, run.stderr
    assert not (tmp_path / "out").exists()


def test_year_end_documents_follow_a_profile_file_beside_the_data(tmp_path, monkeypatch):
    """The report, the decision and the certificates are laid out from the launch's own profile
    file (named relative to the data file, whatever the working folder), as `build` is."""
    import shutil

    from dispatch_gen.campaign import make_certificates, make_decision, make_report

    data = tmp_path / "data"
    data.mkdir()
    for name in ("phat-dong-thi-dua-2024.yaml", "ket-qua-thi-dua-2024.yaml"):
        shutil.copy(ROOT / "data" / name, data / name)
    launch = data / "phat-dong-thi-dua-2024.yaml"
    text = launch.read_text(encoding="utf-8")
    assert "profile: decree30 " in text
    launch.write_text(text.replace("profile: decree30 ", "profile: own.yaml ", 1), encoding="utf-8")
    (data / "own.yaml").write_text(
        "name: own\nextends: decree30\nheader:\n  national_title: CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n",
        encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    results, book = data / "ket-qua-thi-dua-2024.yaml", tmp_path / "book.sqlite"
    made = [make_report(launch, results, tmp_path / "out", registry=book).outcome.path,
            make_decision(launch, results, tmp_path / "out", registry=book).outcome.path,
            make_certificates(launch, results, tmp_path / "certs", registry=book).paths[0],
            api.build(launch, out_dir=tmp_path / "out", registry=book).path]
    for path in made:
        texts = [p.text for p in all_paragraphs(docx.Document(str(path)))]
        assert "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts, path.name
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in texts, path.name
