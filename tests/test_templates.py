"""The committed templates are exactly what the builder makes from the profile."""
from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document as Docx

from dispatch_gen.render.template_builder import BUILDERS, build_template, profile_folders

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = profile_folders()  # families laid out otherwise than Decree 30: party/, youth-union/


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_committed_template_matches_builder(kind):
    committed = (ROOT / "templates" / f"{kind}.docx").read_bytes()
    assert committed == build_template(kind, "decree30"), (
        f"templates/{kind}.docx is stale: run `dispatch-gen templates build`")


@pytest.mark.parametrize("profile, kind", [(p, k) for p in sorted(FOLDERS) for k in sorted(BUILDERS)])
def test_committed_profile_template_matches_builder(profile, kind):
    committed = (ROOT / "templates" / FOLDERS[profile] / f"{kind}.docx").read_bytes()
    assert committed == build_template(kind, profile), (
        f"templates/{FOLDERS[profile]}/{kind}.docx is stale: run `dispatch-gen templates build`")


def test_every_profile_folder_is_a_family_laid_out_otherwise():
    """Party and Đoàn need their own templates; the trade union's are Decree 30's."""
    assert {"party", "youth-union"} <= set(FOLDERS) and "trade-union" not in FOLDERS
    on_disk = {p.name for p in (ROOT / "templates").iterdir() if p.is_dir() and not p.name.startswith("__")}
    assert on_disk == set(FOLDERS.values())


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_template_opens_in_python_docx_and_holds_jinja_tags(kind):
    doc = Docx(str(ROOT / "templates" / f"{kind}.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "{{" in text or any("{{" in c.text for t in doc.tables for r in t.rows for c in r.cells)


def test_installed_package_carries_the_templates():
    from dispatch_gen import api

    folder = api.default_templates_dir()
    for kind in BUILDERS:
        assert (folder / f"{kind}.docx").is_file()
        for sub in FOLDERS.values():
            assert (folder / sub / f"{kind}.docx").is_file()


def test_user_templates_folder(tmp_path):
    """A clerk's own copy of a template (here: changed text) is used with --templates."""
    import io
    import zipfile

    from dispatch_gen import api
    from dispatch_gen.readers.docx_text import paragraphs
    from dispatch_gen.writers.docx_zip import Member, write_zip

    src = zipfile.ZipFile(io.BytesIO((ROOT / "templates" / "phat-dong.docx").read_bytes()))
    members = []
    for info in src.infolist():
        data = src.read(info)
        if info.filename == "word/document.xml":
            data = data.replace("Nơi nhận:".encode(), "Nơi nhận (bản sửa):".encode())
        members.append(Member.deflate(info.filename, data))
    mine = tmp_path / "mine"
    mine.mkdir()
    with open(mine / "phat-dong.docx", "wb") as fh:
        write_zip(fh, members)
    out = api.build(ROOT / "data" / "phat-dong-thi-dua-2024.yaml", out_dir=tmp_path / "o",
                    registry=tmp_path / "r.sqlite", templates_dir=mine)
    assert "Nơi nhận (bản sửa):" in paragraphs(out.path)


def test_profile_folders_are_packaged():
    """`pip install .` carries `templates/<profile>/*.docx` too, not only the top-level files."""
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "*/*.docx" in data["dispatch_gen.templates"]


def _rewrite_template(tmp_path, change) -> Path:
    """A copy of the dispatch template whose document.xml went through `change` (as Word would)."""
    import io
    import zipfile

    from dispatch_gen.writers.docx_zip import Member, write_zip

    src = zipfile.ZipFile(io.BytesIO((ROOT / "templates" / "phat-dong.docx").read_bytes()))
    members = []
    for info in src.infolist():
        data = src.read(info)
        if info.filename == "word/document.xml":
            data = change(data.decode("utf-8")).encode("utf-8")
        members.append(Member.deflate(info.filename, data))
    folder = tmp_path / "edited"
    folder.mkdir(parents=True)
    with open(folder / "phat-dong.docx", "wb") as fh:
        write_zip(fh, members)
    return folder


def test_template_edited_in_word_with_split_tags_renders_the_same(tmp_path):
    """Word splits `{{r text }}` over runs and adds spell-check marks; the rich text keeps its
    run's formatting, and text typed beside a tag stays."""
    import re

    from docx import Document as Docx

    from dispatch_gen import api
    from dispatch_gen.readers.docx_text import paragraphs

    def split(xml: str) -> str:
        # every `{{r text }}` split in two runs with a proofing mark between them
        xml = re.sub(r'(<w:r>(<w:rPr>(?:(?!</w:rPr>).)*</w:rPr>)<w:t xml:space="preserve">)\{\{r text \}\}</w:t></w:r>',
                     r'\1{{r te</w:t></w:r><w:proofErr w:type="spellStart"/><w:r w:rsidR="00A1">\2<w:t>xt }}</w:t></w:r>',
                     xml)
        assert xml.count("{{r te</w:t>") >= 3, "the template holds several `{{r text }}` tags"
        return xml

    doc = api.load_document(ROOT / "data" / "phat-dong-thi-dua-2024.yaml")
    expected = api.render(doc)
    edited = _rewrite_template(tmp_path, split)
    got = api.render(doc, templates_dir=edited)
    assert paragraphs(got) == paragraphs(expected)
    opening = next(p for p in Docx(__import__("io").BytesIO(got)).paragraphs if p.text.startswith("Năm 2024"))
    assert {r.font.size.pt for r in opening.runs} == {14} and all(r.font.name == "Times New Roman" for r in opening.runs)

    beside = _rewrite_template(tmp_path / "b", lambda xml: xml.replace(
        '<w:t xml:space="preserve">{{r b.text }}</w:t>', '<w:t xml:space="preserve">Mục {{r b.text }} —</w:t>', 1))
    paras = paragraphs(api.render(doc, templates_dir=beside))
    assert "Mục I. Mục đích: —" in paras
