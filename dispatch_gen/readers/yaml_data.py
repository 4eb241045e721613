"""Read a YAML data file into the model, with every problem located by file, line and field.

ruamel's round-trip loader keeps the line of every key and item, so a pydantic error location
such as ('signers', 1, 'authority') can be turned into `data/x.yaml:14: signers[1].authority`.
Dates are read as text and validated by the model, so `2024-02-30` is a located error and not a
crash inside the YAML library.
"""
from __future__ import annotations

import difflib
import io
import re
from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.events import AliasEvent, ScalarEvent
from ruamel.yaml.nodes import MappingNode, SequenceNode
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from .. import limits
from ..errors import DataError, Problem
from ..model import Document, consistency_problems
from .text_file import read_text
from ..profile import load_profile


class _TextDates(RoundTripConstructor):
    """Dates stay text until the model validates them (add_constructor is per class, so a
    subclass keeps every other round-trip loader of the process unchanged)."""


_TextDates.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


class _Refused(Exception):
    """A limit of `limits` broken while composing, with the mark where it happened."""

    def __init__(self, message: str, mark: Any):
        super().__init__(message)
        self.message, self.mark = message, mark


class _BoundedComposer(Composer):
    """Builds the node tree under the limits of `limits`, before anything is constructed: an
    alias, a too-deep nesting, a too-long value or list stops at its line, so that no alias bomb
    expands and no deep nesting reaches Python's recursion limit."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        self._nodes = getattr(self, "_nodes", 0) + 1
        if self._nodes > limits.MAX_NODES:
            raise _Refused(f"more than {limits.MAX_NODES} values in one file", event.start_mark)
        if isinstance(event, AliasEvent):
            raise _Refused(f"YAML alias *{event.anchor} refused: write the value out (aliases are not supported)",
                           event.start_mark)
        if self.depth >= limits.MAX_DEPTH:
            raise _Refused(f"nested more than {limits.MAX_DEPTH} levels deep", event.start_mark)
        if isinstance(parent, SequenceNode) and index >= limits.MAX_ITEMS:
            raise _Refused(f"a list of more than {limits.MAX_ITEMS} items", event.start_mark)
        if isinstance(parent, MappingNode) and index is None and len(parent.value) >= limits.MAX_ITEMS:
            raise _Refused(f"a mapping of more than {limits.MAX_ITEMS} keys", event.start_mark)
        if isinstance(event, ScalarEvent) and len(event.value) > limits.MAX_STRING:
            raise _Refused(f"a value of {len(event.value)} characters (at most {limits.MAX_STRING})",
                           event.start_mark)
        return super().compose_node(parent, index)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _TextDates
    yaml.Composer = _BoundedComposer
    return yaml


def load_yaml(path: Path) -> Any:
    """Parse a YAML file under the limits of `limits`; a syntax error or a broken limit becomes one
    located problem."""
    limits.check_file_size(path)
    return load_yaml_text(read_text(path), path)


def load_yaml_text(text: str, path: str | Path) -> Any:
    """Parse YAML text that is (or is about to become) the file `path`, for messages located there."""
    if len(text) > limits.MAX_DATA_BYTES:
        raise DataError(Problem(str(path), f"{len(text) / 1048576:.1f} MB is more than a data file may hold "
                                           f"({limits.MAX_DATA_BYTES // 1048576} MB)"))
    try:
        return _yaml().load(io.StringIO(text))
    except _Refused as exc:
        raise DataError(Problem(str(path), exc.message, line=exc.mark.line + 1, column=exc.mark.column + 1)) from None
    except RecursionError:
        raise DataError(Problem(str(path), "nested too deeply to read")) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        msg = f"YAML syntax error: {exc.problem or exc.context}"
        if mark is not None:
            raise DataError(Problem(str(path), msg, line=mark.line + 1, column=mark.column + 1)) from None
        raise DataError(Problem(str(path), msg)) from None
    except ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        char = limits.describe_char(char)
        raise DataError(Problem(str(path), f"character {char} is not allowed in a data file: delete it",
                                line=line, column=column)) from None
    except YAMLError as exc:
        raise DataError(Problem(str(path), f"YAML error: {exc}")) from None


def field_path(loc: Iterable[Any]) -> str:
    """('signers', 1, 'authority') -> 'signers[1].authority'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def line_of(data: Any, loc: Iterable[Any]) -> int | None:
    """The 1-based line of the deepest node of `loc` that exists in the loaded YAML."""
    line = None
    node = data
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        else:
            break
    else:
        if line is not None and isinstance(node, (FoldedScalarString, LiteralScalarString)):
            line += 1  # a `>-` or `|` block: point at its text, not at the marker line
    if line is None and isinstance(data, CommentedMap):
        line = 1
    return line


def _known_fields(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names (by alias) of the model class that `loc` points into, for 'did you mean'."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            field = next((f for f in getattr(current, "model_fields", {}).values() if f.alias == part), None)
        current = _inner_model(field.annotation) if field else None
    if current is None or not hasattr(current, "model_fields"):
        return []
    return [f.alias or name for name, f in current.model_fields.items()]


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


QUOTE_HINT = "text with `: ` in it (or ending with `:`) must be in quotes: \"Nội dung như sau:\""


def _message(err: dict, model: type[BaseModel]) -> tuple[tuple, str]:
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and ("[" in p or p.startswith("function-"))))
    kind, value = err["type"], err.get("input")
    if kind == "extra_forbidden" and not re.fullmatch(r"[a-z_]+", str(loc[-1] if loc else "")):
        return loc, (f"“{loc[-1]}” is not a key: a text with `,` or `: ` in it must be in quotes "
                     f"(`{{name: \"Đảng ủy, HĐND xã\", …}}`)")
    if kind == "string_type" and isinstance(value, dict) and len(value) == 1:
        (key, rest), = value.items()
        shown = f"{key}:" + (f" {rest}" if rest is not None else "")
        return loc, f"{QUOTE_HINT} (YAML read “{shown}” as a key and its value)"
    if kind == "extra_forbidden":
        *parent, key = loc
        known = _known_fields(model, tuple(parent))
        hint = difflib.get_close_matches(str(key), known, n=1)
        msg = "unknown key" + (f" (did you mean {hint[0]!r}?)" if hint else f" (known: {', '.join(known)})")
        return loc, msg
    if kind == "missing":
        return loc, "required field is missing"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        options = ", ".join(o.strip().strip("'") for o in expected.replace(" or ", ", ").split(","))
        return loc, f"{value!r} is not one of {options}"
    if kind.startswith("date"):
        return loc, f"{value!r} is not a valid date (YYYY-MM-DD): {err['msg'].split(', ', 1)[-1]}"
    if kind == "too_short":
        return loc, "must not be empty"
    if kind == "value_error":
        msg = str(err.get("ctx", {}).get("error", err["msg"]))
        row = re.match(r"rows\[(\d+)\] ", msg)  # a table's ragged row: located at the row's own line
        return (loc + ("rows", int(row.group(1))), msg[row.end():]) if row else (loc, msg)
    if kind == "string_pattern_mismatch" and loc and loc[-1] in ("id", "template"):
        return loc, f"{value!r} must be lower-case ASCII letters, digits, '-', '_' or '.'"
    if kind == "string_pattern_mismatch" and loc and loc[-1] in ("code", "type_code", "drafting_unit"):
        return loc, f"{value!r} is part of the ký hiệu and a file name: no spaces, '/', '\\' or ':'"
    if kind == "string_too_long":
        limit = err.get("ctx", {}).get("max_length")
        return loc, f"{len(value)} characters is too long (at most {limit})"
    if kind == "int_type" and isinstance(value, bool):
        return loc, f"must be a whole number, not {str(value).lower()}"
    return loc, f"{err['msg'].lower()} (found {value!r})" if value is not None and not isinstance(value, (dict, list)) else err["msg"].lower()


def _raw_authority_problems(where: str, data: dict) -> list[Problem]:
    """Authority prefixes checked on the raw data, so that they are reported with schema errors
    (the profile's set is not a schema type: `consistency_problems` checks them on a valid model)."""
    try:
        authorities = load_profile(profile_beside(where, str(data.get("profile") or "decree30"))).authorities
    except DataError:
        return []
    problems = []
    signers = data.get("signers")
    for idx, signer in enumerate(signers if isinstance(signers, list) else []):
        if not isinstance(signer, dict):
            continue
        for key in ("authority", "then_authority"):
            value = signer.get(key)
            if value is not None and str(value).strip() not in authorities:
                loc = ("signers", idx, key)
                problems.append(Problem(where, f"{value!r} is not one of {', '.join(authorities)}",
                                        line=line_of(data, loc), field=field_path(loc)))
    return problems


def _strings(data: Any, loc: tuple = ()) -> Iterable[tuple[tuple, str]]:
    """Every text of the loaded data (keys included) with its location."""
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                yield (*loc, key), key
            yield from _strings(value, (*loc, key))
    elif isinstance(data, list):
        for idx, value in enumerate(data):
            yield from _strings(value, (*loc, idx))


def character_problems(where: str, data: Any) -> list[Problem]:
    """Characters a Word file cannot hold (XML 1.0), reported where they were typed, before
    anything is rendered: a NUL or a vertical tab is a located error, never a silent change."""
    problems = []
    for loc, text in _strings(data):
        found = limits.illegal_char(text)
        if found:
            pos, name = found
            problems.append(Problem(where, f"character {name} at position {pos + 1} cannot be written to a "
                                           "Word document: delete it", line=line_of(data, loc), field=field_path(loc)))
    return problems


def _image_problems(where: str, data: Any, doc: Document) -> list[Problem]:
    """A picture that is missing, unreadable or not a PNG/JPEG is one located problem (nothing is written)."""
    from ..model import images_of

    images = list(images_of(doc))
    if not images:
        return []
    from ..render.pixels import image_size

    problems = []
    for loc, image in images:
        loc = loc + ("path",)
        path = Path(image.path) if Path(image.path).is_absolute() else Path(doc._source_dir or ".") / image.path
        try:
            image_size(path.read_bytes())
        except FileNotFoundError:
            problems.append(Problem(where, f"{image.path!r}: no such file ({path})", line=line_of(data, loc),
                                    field=field_path(loc)))
        except OSError as exc:
            problems.append(Problem(where, f"{image.path!r}: cannot be read ({exc.strerror or exc})",
                                    line=line_of(data, loc), field=field_path(loc)))
        except ValueError as exc:
            problems.append(Problem(where, f"{image.path!r}: {exc}", line=line_of(data, loc), field=field_path(loc)))
    return problems


def validation_problems(path: Path, data: Any, model: type[BaseModel] = Document) -> tuple[BaseModel | None, list[Problem]]:
    """Validate loaded YAML against `model`; return the instance or every located problem."""
    where = str(path)
    if not isinstance(data, dict):
        return None, [Problem(where, "the file must hold a mapping of keys (id:, issuers:, …)", line=1)]
    if model is Document and "campaign" in data and ("units" in data or "units_file" in data):
        return None, [Problem(where, "this is a results file (the units' results of a campaign), not a document: "
                                     f"check it against its launch (`{data['campaign']}`) with `dispatch-gen results check CAMPAIGN.yaml --results {path}`")]
    characters = character_problems(where, data)
    try:
        doc = model.model_validate(data)
    except ValidationError as exc:
        problems = list(characters)
        reported = {p.field for p in characters}
        for err in exc.errors():
            loc, msg = _message(err, model)
            here = field_path(loc)
            if any(here == f or here.startswith((f + ".", f + "[")) for f in reported):
                continue  # the bad character typed there is the problem, already reported
            problems.append(Problem(where, msg, line=line_of(data, loc), field=field_path(loc) or None))
        if model is Document:
            problems += _raw_authority_problems(where, data)
        return None, problems
    problems = list(characters)
    if isinstance(doc, Document):
        doc.profile = profile_beside(path, doc.profile)
        try:
            profile = load_profile(doc.profile)
        except DataError as exc:
            loc = ("profile",)
            return None, [Problem(where, f"{doc.profile!r}: " + exc.problems[0].message, line=line_of(data, loc),
                                  field=field_path(loc))]
        for loc, msg in consistency_problems(doc, profile.authorities, profile.type_required):
            problems.append(Problem(where, msg, line=line_of(data, loc), field=field_path(loc)))
        doc._source_dir = str(Path(path).parent)
        problems += _image_problems(where, data, doc)
    return (doc if not problems else None), problems


def profile_beside(path: str | Path, profile: str) -> str:
    """A profile file named relative to the data file that names it (as pictures are), so the
    document builds the same from any working folder; else as given (a name, or a path from here)."""
    candidate = Path(profile)
    if candidate.suffix in (".yaml", ".yml") and not candidate.is_absolute():
        beside = Path(path).parent / candidate
        if beside.is_file():
            return str(beside)
    return profile


def document_warnings_of(path: str | Path, required: tuple[str, ...] = ()) -> list[Problem]:
    """Warnings on a valid data file (`validate` prints them; they never stop a build), located."""
    from ..model import document_warnings

    path = Path(path)
    data = load_yaml(path)
    doc = load_document(path)
    profile = load_profile(doc.profile)
    found = document_warnings(doc, profile.mixed_case_codes, required) + picture_warnings(doc, profile)
    return [Problem(str(path), msg, line=line_of(data, loc), field=field_path(loc)) for loc, msg in found]


def picture_warnings(doc: Document, profile) -> list[tuple[tuple, str]]:
    """A picture with too few pixels for the width it is printed at (the profile's `pictures.min_dpi`,
    the number `check` holds the built document to, IMG-003)."""
    from ..model import images_of
    from ..render.pixels import image_size

    least = float((profile.raw.get("pictures") or {}).get("min_dpi", 0))
    text_cm = (profile.page("width_mm").value - profile.page("margin_left_mm").value
               - profile.page("margin_right_mm").value) / 10
    out = []
    for loc, image in images_of(doc):
        path = Path(image.path) if Path(image.path).is_absolute() else Path(doc._source_dir or ".") / image.path
        try:
            w, h, _ = image_size(path.read_bytes())
        except (OSError, ValueError):
            continue  # reported as an error by the loader
        width_cm = min(image.width_cm, text_cm)
        dpi = w / (width_cm / 2.54)
        if dpi < least:
            out.append((loc + ("path",), f"{image.path!r} has {w}×{h} px: printed {width_cm:g} cm wide it is "
                                          f"{dpi:.0f} dpi, under {least:.0f} (blurred on paper): use a larger "
                                          "picture or a smaller `width_cm`"))
    return out


def load_document(path: str | Path) -> Document:
    """Load and validate a document data file; raise DataError listing every problem."""
    path = Path(path)
    data = load_yaml(path)
    doc, problems = validation_problems(path, data)
    if problems:
        raise DataError(sorted(problems, key=lambda p: (p.line or 0, p.field or "")))
    return doc  # type: ignore[return-value]
