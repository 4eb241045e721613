"""Which template a document renders with, for every command alike (build, issue, copy, the
year-end report, decision and certificates).

A profile named by the package (`party`, `youth-union` …) picks its family's folder of built
templates; a profile given as a path to the user's own YAML lays the template out from that
profile at first use (its Quốc hiệu spelling, sizes …), with no separate `templates build`. A kind
the builder has no layout for is an error, never the default template silently.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..errors import TemplateError
from .engine import TEMPLATES, CompiledTemplate, template_in


def default_templates_dir() -> Path:
    """The templates that travel inside the package (a copy of the repository's `templates/`)."""
    try:
        return Path(str(resources.files("dispatch_gen.templates")))
    except ModuleNotFoundError:  # imported from a source checkout that was not installed
        return Path(__file__).resolve().parent.parent.parent / "templates"


def template_path(name: str, templates_dir: str | Path | None = None, profile: str | None = None) -> Path:
    """The template `name` for a profile: `<dir>/<profile>/<name>.docx` (its family's own layout,
    e.g. `party/`, or that of a profile it extends), else `<dir>/<name>.docx`."""
    from ..profile import load_profile

    folder = Path(templates_dir) if templates_dir else default_templates_dir()
    return template_in(folder, name, load_profile(profile).lineage if profile else ())


def own_profile(profile: str | None, templates_dir: str | Path | None) -> bool:
    """A profile file of the user's own, to lay templates out from (unless a folder is given)."""
    return bool(profile) and templates_dir is None and Path(profile).suffix in (".yaml", ".yml") \
        and Path(profile).is_file()


def compiled_template(name: str, templates_dir: str | Path | None = None,
                      profile: str | None = None) -> CompiledTemplate:
    """The compiled template `name` (for `profile`), compiled once per process."""
    if own_profile(profile, templates_dir):
        source = _laid_out_from(name, profile)
        if id(source) not in _COMPILED:
            _COMPILED[id(source)] = CompiledTemplate(source, name=f"{name}.docx (laid out from {profile})")
        return _COMPILED[id(source)]
    return TEMPLATES.get(template_path(name, templates_dir, profile))


def template_source(name: str, templates_dir: str | Path | None = None, profile: str | None = None) -> Path | bytes:
    """The template `name` as a file, or as the bytes laid out from the user's own profile (for
    the batch engine, which hands the template to its worker processes)."""
    if own_profile(profile, templates_dir):
        return _laid_out_from(name, profile)
    return template_path(name, templates_dir, profile)


_LAID_OUT: dict[tuple[str, int, str], bytes] = {}
_COMPILED: dict[int, CompiledTemplate] = {}  # by the laid-out bytes' identity: they live in _LAID_OUT


def _laid_out_from(name: str, profile: str) -> bytes:
    """The template `name` built from the profile file `profile`, once per file version."""
    from ..profile import load_profile
    from .template_builder import build_template

    path = Path(profile).resolve()
    key = (str(path), path.stat().st_mtime_ns, name)
    if key not in _LAID_OUT:
        try:
            _LAID_OUT[key] = build_template(name, load_profile(profile))
        except KeyError:
            raise TemplateError(f"{name}: no layout of that name to build from the profile {profile} "
                                "(give your own template folder with --templates)") from None
    return _LAID_OUT[key]
