"""The docxtpl engine, compiled once per template and rendered many times.

docxtpl re-opens the .docx, re-runs its regex preprocessing, re-compiles Jinja and re-deflates
every zip member for each document. Here a template is read once: its XML parts go through
docxtpl's own preprocessing (so `{%p %}`, `{%tr %}`, `{{r }}`, `{{p }}` keep their meaning) and
are compiled in a sandboxed, autoescaping, strict Jinja environment; the other members are
deflated once. Rendering a document is then Jinja plus deflating the changed parts.
"""
from __future__ import annotations

import hashlib
import io
import marshal
import re
import sys
import traceback
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import jinja2
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from .. import cache, limits
from ..errors import TemplateError
from ..writers.docx_zip import Member, write_zip
from . import filters
from .richtext import runs
from .sandbox import BoundedEnvironment, RenderLimit, new_budget, reset_budget

_TEMPLATED = re.compile(r"^(word/document\.xml|word/header\d*\.xml|word/footer\d*\.xml|word/footnotes\.xml|docProps/core\.xml)$")
# A run whose text holds a `{{r expr }}` tag: the run's properties are kept for the rich text, and
# text typed beside the tag in the same run stays in runs of its own.
_RICH_RUN = re.compile(
    r"<w:r(?: [^>]*)?>(?:(<w:rPr>(?:(?!</w:rPr>).)*</w:rPr>))?<w:t(?: [^>]*)?>"
    r"((?:(?!\{[{%]|</w:t>).)*)\{\{r\s+((?:(?!\}\}|<).)+?)\s*\}\}((?:(?!\{[{%]|</w:t>).)*)</w:t></w:r>",
    re.S,
)
_TAG_SPLIT = re.compile(r"(?<={)(<[^>]*>)+(?=[\{%\#])|(?<=[%\}\#])(<[^>]*>)+(?=\})", re.S)
_BREAK_IN_TEXT = re.compile(r"<w:t[ >][^<]*\n")  # a line typed inside a value becomes a <w:br/>
_TAG_TEXT = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
_TAG = re.compile(r"{%(?:(?!%}).)*|{#(?:(?!#}).)*|{{(?:(?!}}).)*", re.S)


def join_split_tags(xml: str) -> str:
    """Word splits a typed tag over several runs (after an edit, a spell-check mark): put each tag
    back into the run where it starts. This is docxtpl's own first step, done early so that the
    run properties of `{{r }}` tags are found."""
    xml = _TAG_SPLIT.sub("", xml)
    return _TAG.sub(lambda m: re.sub(r"</w:t>.*?(<w:t>|<w:t [^>]*>)", "", m.group(0), flags=re.S), xml)


def _plain_run(rpr: str, text: str) -> str:
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>' if text else ""


def make_environment() -> SandboxedEnvironment:
    """Data is text from people: sandboxed with bounds, autoescaped for XML, and strict about
    missing keys."""
    env = BoundedEnvironment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters.update(filters.FILTERS)
    env.filters["rich"] = runs
    env.globals.update(filters.GLOBALS)
    return env


@dataclass
class RenderExtras:
    """Members a render adds or replaces (images of a chart, their relationships)."""

    members: dict[str, bytes] = field(default_factory=dict)


class CompiledTemplate:
    """A .docx template read, preprocessed and compiled once; `render(context)` gives .docx bytes."""

    def __init__(self, source: str | Path | bytes, name: str | None = None,
                 env: SandboxedEnvironment | None = None):
        self.name = name or (Path(source).name if not isinstance(source, bytes) else "template")
        self._own_env = env is None
        self.env = env or make_environment()
        raw = source if isinstance(source, bytes) else self._read(source)
        limits.check_zip(raw, self.name if isinstance(source, bytes) else str(source), error=TemplateError)
        try:
            zf = zipfile.ZipFile(io.BytesIO(raw))
            infos = zf.infolist()
        except zipfile.BadZipFile:
            raise TemplateError(f"{self.name}: not a .docx file (not a zip archive)") from None
        if "word/document.xml" not in zf.namelist():
            raise TemplateError(f"{self.name}: not a .docx file (no word/document.xml)")
        self._order: list[str] = []
        self._checked: dict[str, bytes] = {}
        self._last: dict[str, tuple[bytes, Member]] = {}
        self._static: dict[str, Member] = {}
        self._parts: dict[str, tuple[Any, list[str]]] = {}
        self._sources: dict[str, bytes] = {}
        digest = self._cache_key(raw)
        cached = self._load_cached(digest)
        compiled: dict[str, tuple[bytes, list[str]]] = {}
        for info in infos:
            self._order.append(info.filename)
            data = zf.read(info)
            if _TEMPLATED.match(info.filename):
                self._sources[info.filename] = data
                code, rprs = cached[info.filename] if cached else self._compile(info.filename, data.decode("utf-8"))
                compiled[info.filename] = (marshal.dumps(code), rprs)
                template = self.env.template_class.from_code(self.env, code, self.env.make_globals(None), None)
                self._parts[info.filename] = (template, rprs)
            else:
                self._static[info.filename] = Member.deflate(info.filename, data)
        if digest and not cached:
            cache.put("templates", digest, marshal.dumps(compiled))

    def _cache_key(self, raw: bytes) -> str | None:
        """What shapes the compiled code: the template, our preprocessing, Jinja and the environment."""
        env = self.env
        if not self._own_env:
            return None  # a caller's environment: compile afresh
        return cache.key(raw, _ENGINE_DIGEST, jinja2.__version__, sys.version, type(env).__module__,
                         type(env).__qualname__,
                         repr((sorted(env.filters), sorted(env.globals), env.autoescape, sorted(env.extensions), sorted(getattr(env, "intercepted_binops", ())),
                               sorted(getattr(env, "intercepted_unops", ())), env.optimized,
                               env.block_start_string, env.variable_start_string, env.comment_start_string,
                               env.keep_trailing_newline, env.trim_blocks, env.lstrip_blocks)))

    def _load_cached(self, digest: str | None) -> dict[str, tuple[Any, list[str]]] | None:
        blob = cache.get("templates", digest) if digest else None
        if blob is None:
            return None
        try:
            return {part: (marshal.loads(code), rprs) for part, (code, rprs) in marshal.loads(blob).items()}
        except (ValueError, EOFError, TypeError):
            return None

    @staticmethod
    def _read(path: str | Path) -> bytes:
        try:
            return Path(path).read_bytes()
        except FileNotFoundError:
            raise TemplateError(f"{path}: template not found") from None

    def _compile(self, part: str, xml: str):
        xml, rprs = self._preprocess(xml)
        try:
            return self.env.compile(xml), rprs
        except TemplateSyntaxError as exc:
            snippet = re.sub(r"<[^>]+>", "", (exc.source or xml).splitlines()[max(exc.lineno - 1, 0)])[:80]
            raise TemplateError(f"{self.name}: {part}: Jinja syntax error: {exc.message} near {snippet!r}") from None

    @staticmethod
    def _preprocess(xml: str) -> tuple[str, list[str]]:
        """docxtpl's tags as Jinja, one paragraph a line (so that a line number names a paragraph)."""
        rprs: list[str] = []

        def keep_rpr(m: re.Match) -> str:
            rpr, before, expr, after = m.group(1) or "", m.group(2), m.group(3), m.group(4)
            rprs.append(rpr)
            tag = "{{ (%s)|rich(_rpr[%d]) }}" % (expr, len(rprs) - 1)
            return _plain_run(rpr, before) + tag + _plain_run(rpr, after)

        from docxtpl import DocxTemplate  # its preprocessing only: loaded when a template is compiled

        xml = _RICH_RUN.sub(keep_rpr, join_split_tags(xml))
        xml = DocxTemplate.patch_xml(None, xml)  # type: ignore[arg-type]
        xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)
        return xml, rprs

    def _tag_at(self, part: str, exc: BaseException) -> str:
        """The Jinja tag(s) of the paragraph where rendering failed, as typed in the template."""
        lineno = None
        for frame, line in traceback.walk_tb(exc.__traceback__):
            if frame.f_code.co_filename == "<template>":
                lineno = line
        if lineno is None or part not in self._sources:
            return ""
        lines = self._preprocess(self._sources[part].decode("utf-8", "replace"))[0].splitlines()
        if not 0 < lineno <= len(lines):
            return ""
        tags = [" ".join(re.sub(r"<[^>]*>", "", t).split()) for t in _TAG_TEXT.findall(lines[lineno - 1])]
        text = " … ".join(dict.fromkeys(t for t in tags if t))
        return f" at {text[:160]}" if text else ""

    def original_member(self, name: str) -> bytes:
        """An unchanged member as the template holds it (e.g. the relationships a picture extends)."""
        member = self._static[name]
        return zlib.decompress(member.compressed, -15)

    def _deflated(self, name: str, data: bytes) -> Member:
        """The part deflated; a part whose bytes are those of the last render (a header, the
        footer, core properties shared by a batch) reuses that compression: same bytes out."""
        last = self._last.get(name)
        if last is not None and last[0] == data:
            return last[1]
        member = Member.deflate(name, data)
        self._last[name] = (data, member)
        return member

    def render_parts(self, context: dict[str, Any]) -> dict[str, bytes]:
        out = {}
        for part, (template, rprs) in self._parts.items():
            token = new_budget()
            try:
                xml = self._render_bounded(template, {**context, "_rpr": rprs})
            except (RenderLimit, OverflowError, RecursionError, MemoryError) as exc:
                message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                if isinstance(exc, RecursionError):
                    message = "calls nested too deeply (a macro that calls itself?)"
                raise TemplateError(f"{self.name}: {part}{self._tag_at(part, exc)}: refused: {message}") from None
            except UndefinedError as exc:
                raise TemplateError(f"{self.name}: {part}: {exc.message} (the data does not provide it)") from None
            except JinjaTemplateError as exc:
                raise TemplateError(f"{self.name}: {part}: {exc}") from None
            except (TypeError, ValueError, AttributeError, KeyError, ZeroDivisionError, IndexError) as exc:
                raise TemplateError(f"{self.name}: {part}{self._tag_at(part, exc)}: {type(exc).__name__}: "
                                    f"{str(exc).splitlines()[0] if str(exc) else ''}") from None
            finally:
                reset_budget(token)
            xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
            if "_" in xml and ("{_" in xml or "_}" in xml):
                xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
            if part == "word/document.xml" and (any(c in xml for c in "\t\a\f") or _BREAK_IN_TEXT.search(xml)):
                from docxtpl import DocxTemplate

                xml = DocxTemplate.resolve_listing(None, xml)  # type: ignore[arg-type]
            data = xml.encode("utf-8")
            if self._checked.get(part) != data:  # a part that renders the same every time is checked once
                try:
                    etree.fromstring(data, limits.xml_parser())
                except etree.XMLSyntaxError as exc:
                    raise TemplateError(f"{self.name}: {part}: rendering produced invalid XML ({exc.msg})") from None
                self._checked[part] = data
            out[part] = data
        return out

    @staticmethod
    def _render_bounded(template, context: dict[str, Any]) -> str:
        """Render, counting the characters as they come (`limits.MAX_OUTPUT_CHARS` per part)."""
        chunks, size = [], 0
        for chunk in template.generate(context):
            size += len(chunk)
            if size > limits.MAX_OUTPUT_CHARS:
                raise RenderLimit(f"the part renders to more than {limits.MAX_OUTPUT_CHARS:,} characters")
            chunks.append(chunk)
        return "".join(chunks)

    def render(self, context: dict[str, Any], extras: RenderExtras | None = None) -> bytes:
        """Render one document; same context and template give the same bytes."""
        buf = io.BytesIO()
        self.render_to(buf, context, extras)
        return buf.getvalue()

    def render_to(self, out, context: dict[str, Any], extras: RenderExtras | None = None) -> None:
        parts = self.render_parts(context)
        added = dict(extras.members) if extras else {}
        members = []
        for name in self._order:
            if name in parts:
                members.append(self._deflated(name, parts[name]))
            elif name in added:
                members.append(Member.deflate(name, added.pop(name)))
            else:
                members.append(self._static[name])
        members.extend(Member.deflate(name, data) for name, data in sorted(added.items()))
        write_zip(out, members)


_ENGINE_DIGEST = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


class TemplateCache:
    """Compile each template file once per process (keyed by path and modification time)."""

    def __init__(self, loader: Callable[[Path], CompiledTemplate] | None = None):
        self._cache: dict[tuple[str, int], CompiledTemplate] = {}
        self._loader = loader or (lambda p: CompiledTemplate(p))

    def get(self, path: Path) -> CompiledTemplate:
        try:
            key = (str(path.resolve()), path.stat().st_mtime_ns)
        except FileNotFoundError:
            raise TemplateError(f"{path}: template not found") from None
        if key not in self._cache:
            self._cache[key] = self._loader(path)
        return self._cache[key]


TEMPLATES = TemplateCache()


def template_in(folder: Path, name: str, lineage: tuple[str, ...] = ()) -> Path:
    """`<folder>/<profile>/<name>.docx` for the first profile of `lineage` that has one (a family
    laid out differently, e.g. `party/`), else `<folder>/<name>.docx` (Decree 30's layout)."""
    for profile in lineage:
        path = folder / profile / f"{name}.docx"
        if path.is_file():
            return path
    path = folder / f"{name}.docx"
    if not path.is_file():
        raise TemplateError(f"{path}: template not found (templates folder: {folder})")
    return path
