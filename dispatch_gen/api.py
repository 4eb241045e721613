"""The importable API: what the CLI calls, and what a Python user calls directly.

    from dispatch_gen import api
    doc = api.load_document("data/phat-dong-thi-dua-2024.yaml")
    data = api.render(doc)                      # .docx bytes
    result = api.build("data/phat-dong-thi-dua-2024.yaml", out_dir="output")
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from . import vn
from .errors import TemplateError
from .model import Document
from .readers.yaml_data import load_document
from .render.context import document_context, symbol_of
from .render.engine import TEMPLATES, CompiledTemplate
from .render.template_builder import build_templates
from .writers.atomic import write_bytes_atomic

__all__ = ["load_document", "render", "build", "validate", "output_name", "template_path",
           "default_templates_dir", "build_templates", "BuildResult"]

DEFAULT_OUTPUT = Path("output")


def default_templates_dir() -> Path:
    """The templates that travel inside the package (a copy of the repository's `templates/`)."""
    return Path(str(resources.files("dispatch_gen.templates")))


def template_path(name: str, templates_dir: str | Path | None = None) -> Path:
    folder = Path(templates_dir) if templates_dir else default_templates_dir()
    path = folder / f"{name}.docx"
    if not path.is_file():
        raise TemplateError(f"{path}: template not found (templates folder: {folder})")
    return path


def compiled_template(name: str, templates_dir: str | Path | None = None) -> CompiledTemplate:
    """The compiled template `name`, compiled once per process."""
    return TEMPLATES.get(template_path(name, templates_dir))


def render(document: Document, templates_dir: str | Path | None = None) -> bytes:
    """Render a validated document to .docx bytes (deterministic)."""
    return compiled_template(document.template, templates_dir).render(document_context(document))


def output_name(document: Document) -> str:
    """`31-PDTD-CTDP-CDC.docx` for a numbered document; `<id>-du-thao.docx` for a draft."""
    if document.number is None:
        return f"{vn.to_ascii(document.id)}-du-thao.docx"
    return vn.to_ascii(f"{vn.doc_number(document.number)}/{symbol_of(document)}") + ".docx"


def output_path(document: Document, out_dir: str | Path = DEFAULT_OUTPUT) -> Path:
    """`output/<year>/<name>.docx`: one folder per year, as văn thư files are kept."""
    return Path(out_dir) / str(document.campaign_year if document.date is None else document.date.year) / output_name(document)


@dataclass(frozen=True)
class BuildResult:
    document: Document
    path: Path
    written: bool = True


def build(data_path: str | Path, out_dir: str | Path = DEFAULT_OUTPUT,
          templates_dir: str | Path | None = None) -> BuildResult:
    """Load, validate, render and atomically write one document; return where it went."""
    document = load_document(data_path)
    data = render(document, templates_dir)
    path = output_path(document, out_dir)
    write_bytes_atomic(path, data)
    return BuildResult(document, path)


def validate(data_path: str | Path) -> Document:
    """Validate a data file; raise DataError listing every problem."""
    return load_document(data_path)
