"""The edit form, generated from the data model, and the way back into the clerk's YAML.

Every field of the pydantic model becomes a widget by its type: text, number, date, a choice
for a `Literal`, a checkbox, a fieldset for a nested model, a list of entries (add / remove /
move) for a `list[...]`, and a small YAML box for anything else (a mapping such as
`anniversaries`). A field added to the model appears without touching this module.

Input names are paths (`sections.1.items.0.text`). A save parses them back into a tree and
merges it into the round-trip YAML of the file: keys keep their place, comments and quoting, a
folded `>-` paragraph stays folded, a shorthand (`- Lãnh đạo Cục` for a recipient) stays short,
and only what changed is rewritten.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import types
import typing
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from .labels import label_of

LIST_MARK = "__list__"
BOOL_MARK = "__bool__"


def yaml_rt() -> YAML:
    """The round-trip YAML settings under which the data files survive a load and dump unchanged."""
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load_rt(text: str) -> Any:
    return yaml_rt().load(io.StringIO(text))


def dump_rt(data: Any) -> str:
    buf = io.StringIO()
    yaml_rt().dump(data, buf)
    return buf.getvalue()


# --- types --------------------------------------------------------------------------------------

@dataclass
class Kind:
    """What widget a type calls for."""

    name: str  # text | textarea | int | decimal | date | bool | choice | model | list | yaml
    optional: bool = False
    choices: tuple[str, ...] = ()
    model: type[BaseModel] | None = None
    item: "Kind | None" = None


def kind_of(annotation: Any, key: str = "") -> Kind:
    optional = False
    origin = get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        optional = len(args) < len(get_args(annotation))
        if len(args) == 1:
            inner = kind_of(args[0], key)
            inner.optional = inner.optional or optional
            return inner
        return Kind("yaml", optional)
    if origin is Literal:
        return Kind("choice", optional, tuple(str(a) for a in get_args(annotation)))
    if origin is list:
        (item,) = get_args(annotation) or (Any,)
        return Kind("list", optional, item=kind_of(item, key))
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return Kind("model", optional, model=annotation)
        if annotation is bool:
            return Kind("bool", optional)
        if annotation is int:
            return Kind("int", optional)
        if annotation is Decimal:
            return Kind("decimal", optional)
        if annotation is dt.date:
            return Kind("date", optional)
        if annotation is str:
            return Kind("textarea" if key in LONG_TEXT else "text", optional)
    return Kind("yaml", optional)


LONG_TEXT = {"text", "subject", "heading"}
"""Keys whose text is running prose, typed in a box rather than on one line."""


def model_fields(model: type[BaseModel]) -> list[tuple[str, Any, Any]]:
    """(YAML key, annotation, default) of each field, by alias where it has one (`for`)."""
    out = []
    for name, f in model.model_fields.items():
        default = None if f.is_required() else f.get_default(call_default_factory=True)
        out.append((f.alias or name, f.annotation, default))
    return out


def primary_key(model: type[BaseModel]) -> str | None:
    """The field a plain string stands for (`text` of an item, `name` of a recipient)."""
    for name, f in model.model_fields.items():
        key = f.alias or name
        if f.is_required() and kind_of(f.annotation, key).name in ("text", "textarea"):
            return key
    return None


# --- widgets ------------------------------------------------------------------------------------

@dataclass
class Widget:
    path: str
    key: str
    label: str
    kind: Kind
    value: Any = None
    children: list["Widget"] = field(default_factory=list)
    template: "Widget | None" = None  # for lists: an empty entry, path with `__i__`
    default: Any = None

    @property
    def dom_id(self) -> str:
        return "f-" + self.path.replace(".", "-")

    @property
    def text(self) -> str:
        v = self.value
        if v is None:
            return ""
        if isinstance(v, (dt.date,)):
            return v.isoformat()
        if isinstance(v, bool):
            return "true" if v else "false"
        if self.kind.name == "yaml":
            return dump_rt(v).rstrip("\n") if isinstance(v, (dict, list)) else str(v)
        return str(v)


def _normal(value: Any, kind: Kind) -> Any:
    """The raw YAML value in the shape the model sees (a shorthand string widened)."""
    if kind.name == "list":
        if value is None:
            return []
        if isinstance(value, str):
            if kind.item is not None and kind.item.name == "text" and "," in value:
                return [v.strip() for v in value.rstrip(".").split(",") if v.strip()]
            return [value]
        return value if isinstance(value, list) else [value]
    if kind.name == "model" and isinstance(value, str) and kind.model is not None:
        key = primary_key(kind.model)
        return {key: value} if key else {}
    return value


def build(model: type[BaseModel], raw: Any, path: str = "", depth: int = 0,
          within: tuple[type[BaseModel], ...] = ()) -> list[Widget]:
    """The widgets of `model`'s fields, filled from the raw YAML mapping `raw`.

    A list's empty entry (what "Thêm" adds) has `__i<depth>__` for its index, one mark per
    level of nesting, so that adding a section does not touch the item template inside it.
    """
    raw = raw if isinstance(raw, dict) else {}
    widgets = []
    for key, annotation, default in model_fields(model):
        kind = kind_of(annotation, key)
        widgets.append(_widget(f"{path}{key}", key, kind, raw.get(key), default, depth, within + (model,)))
    return widgets


def _recursive(kind: Kind, within: tuple[type[BaseModel], ...]) -> bool:
    """A model that holds itself (a body entry's `content`): below its first level, a YAML box."""
    inner = kind.item if kind.name == "list" else kind
    return inner is not None and inner.name == "model" and inner.model in within


def _widget(path: str, key: str, kind: Kind, value: Any, default: Any = None, depth: int = 0,
            within: tuple[type[BaseModel], ...] = ()) -> Widget:
    if _recursive(kind, within):
        kind = Kind("yaml", kind.optional)
    value = _normal(value, kind)
    w = Widget(path, key, label_of(key), kind, value, default=default)
    if kind.name == "model" and kind.model is not None:
        w.children = build(kind.model, value, path + ".", depth, within)
    elif kind.name == "list" and kind.item is not None:
        w.children = [_widget(f"{path}.{i}", key, kind.item, v, depth=depth + 1, within=within)
                      for i, v in enumerate(value or [])]
        w.template = _widget(f"{path}.__i{depth}__", key, kind.item, None, depth=depth + 1, within=within)
    return w


# --- back from the form -------------------------------------------------------------------------

def form_tree(pairs: list[tuple[str, str]]) -> dict:
    """Nested dicts from dotted names, in the order given; list indices stay dict keys here."""
    root: dict = {}
    for name, value in pairs:
        if not name.startswith("f."):
            continue
        parts = name[2:].split(".")
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                break
        else:
            last = parts[-1]
            if last == BOOL_MARK or last == LIST_MARK:
                node.setdefault(last, True)
            elif isinstance(node.get(last), list):
                node[last].append(value)
            else:
                node[last] = value
    return root


_EMPTY = object()


def _from_form(node: Any, kind: Kind, default: Any = None) -> Any:
    """A form value converted for YAML, or _EMPTY when the person left it blank."""
    if kind.name == "bool":
        if not isinstance(node, dict):
            return _EMPTY
        value = node.get("value") == "on"
        return _EMPTY if value == bool(default) else value
    if kind.name == "list":
        if not isinstance(node, dict):
            return _EMPTY
        entries = [node[k] for k in sorted((k for k in node if k.isdigit()), key=int)]
        values = [_from_form(e, kind.item) for e in entries] if kind.item else []
        values = [v for v in values if v is not _EMPTY]
        return values if values else ([] if LIST_MARK in node else _EMPTY)
    if kind.name == "model" and kind.model is not None:
        if not isinstance(node, dict):
            return _EMPTY
        out = {}
        for key, annotation, default in model_fields(kind.model):
            v = _from_form(node.get(key), kind_of(annotation, key), default)
            if v is not _EMPTY and v != []:
                out[key] = v
        return out or _EMPTY
    if not isinstance(node, str):
        return _EMPTY
    text = node.replace("\r\n", "\n").strip()
    if text == "":
        return _EMPTY
    if kind.name == "int" and re.fullmatch(r"-?\d+", text):
        return int(text)
    if kind.name == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    if kind.name == "yaml":
        try:
            return load_rt(text)
        except Exception:
            return text  # validation names the field: a person sees the message beside it
    return text


def _scalar_like(old: Any, new: Any) -> Any:
    """`new`, written the way `old` was (folded, literal or quoted), or `old` itself if equal."""
    if isinstance(old, str) and isinstance(new, str):
        if str(old) == new:
            return old
        if isinstance(old, FoldedScalarString) and "\n" not in new:
            return FoldedScalarString(new)
        if isinstance(old, LiteralScalarString) or "\n" in new:
            return LiteralScalarString(new)
        if type(old) is not str:  # a quoted scalar keeps its quotes
            return type(old)(new)
    if old == new and type(old) is type(new):
        return old
    return new


def merge(old: Any, new: Any, kind: Kind) -> Any:
    """`new` (from the form) merged into `old` (round-trip YAML), keeping what did not change."""
    if kind.name == "model" and kind.model is not None:
        if isinstance(old, str) and isinstance(new, dict):
            key = primary_key(kind.model)
            if key and set(new) == {key}:
                return _scalar_like(old, new[key])
        if not isinstance(old, CommentedMap):
            old = CommentedMap()
        merge_map(old, new, kind.model)
        return old
    if kind.name == "list" and kind.item is not None:
        if not isinstance(old, CommentedSeq):
            seq = CommentedSeq()
            if isinstance(old, list):
                seq.extend(old)
            old = seq
        for i, value in enumerate(new):
            if i < len(old):
                old[i] = merge(old[i], value, kind.item)
            else:
                old.append(merge(None, value, kind.item))
        del old[len(new):]
        return old
    if kind.name == "yaml":
        return old if _plain(new) == _plain(old) else new
    return _scalar_like(old, new)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def merge_map(data: CommentedMap, new: dict, model: type[BaseModel]) -> None:
    """Set, add (in the model's order) or drop the model's keys in `data`; other keys stay."""
    order = [key for key, _, _ in model_fields(model)]
    for key, annotation, _ in model_fields(model):
        kind = kind_of(annotation, key)
        value = new.get(key, _EMPTY)
        if value is _EMPTY:
            if key in data and not _blank(data[key]):
                if isinstance(data[key], (dict, list)):
                    del data[key]
                else:
                    data[key] = None  # `number:` stays, with its comment, empty
            continue
        if key in data:
            data[key] = merge(data[key], value, kind)
            continue
        before = [k for k in order[: order.index(key)] if k in data]
        position = list(data.keys()).index(before[-1]) + 1 if before else 0
        data.insert(position, key, merge(None, value, kind))


def apply_form(text: str, pairs: list[tuple[str, str]], model: type[BaseModel]) -> str:
    """The data file's new text: the form's values merged into `text`, comments kept."""
    data = load_rt(text)
    if not isinstance(data, CommentedMap):
        data = CommentedMap()
    tree = form_tree(pairs)
    root = _from_form(tree, Kind("model", model=model))
    merge_map(data, root if isinstance(root, dict) else {}, model)
    out = dump_rt(data)
    if "\r\n" in text:
        out = out.replace("\r\n", "\n").replace("\n", "\r\n")
    return out


def form_path(field_path: str | None) -> str:
    """`sections[1].items[0].text` (a validation message's field) → `sections.1.items.0.text`."""
    if not field_path:
        return ""
    return re.sub(r"\[(\d+)\]", r".\1", field_path)
