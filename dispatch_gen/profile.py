"""Format profiles: Decree 30's numbers as data, shared by the template builder and the checker.

A profile is a YAML file in `dispatch_gen/profiles/` (or a user's path). Values are either plain
numbers or `{value: V, range: [lo, hi]}`: the builder uses `value`, the checker accepts `range`.
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from .errors import DataError, Problem

EMU_PER_MM = 36000
TWIPS_PER_MM = 1440 / 25.4
TWIPS_PER_PT = 20


def _profiles_dir():
    return resources.files("dispatch_gen.profiles")


def _deep_merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, val in override.items():
        if isinstance(val, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], val)
        else:
            merged[key] = val
    return merged


@dataclass(frozen=True)
class Spec:
    """One measurable format fact: the value we write and the range we accept."""

    value: Any
    range: tuple | None = None

    @classmethod
    def of(cls, raw: Any) -> "Spec":
        if isinstance(raw, dict) and "value" in raw:
            rng = raw.get("range")
            return cls(raw["value"], tuple(rng) if rng else None)
        return cls(raw, None)

    def accepts(self, found: float, tolerance: float = 0.0) -> bool:
        lo, hi = self.range if self.range else (self.value, self.value)
        return (lo is None or lo - tolerance <= found) and (hi is None or found <= hi + tolerance)


@dataclass(frozen=True)
class Element:
    """How one element of the document (Quốc hiệu, body, signer name …) is set."""

    name: str
    size: Spec
    bold: bool | None = None
    italic: bool | None = None
    upper: bool = False
    align: str | None = None
    align_checked: bool = True  # False: the builder's alignment is a choice, the decree sets none
    first_line_indent_cm: Spec | None = None
    space_after_pt: Spec | None = None
    line_spacing: Spec | None = None


class Profile:
    """A loaded format profile with typed accessors over its raw mapping."""

    def __init__(self, raw: dict, source: str, lineage: tuple[str, ...] = ()):
        self.raw = raw
        self.source = source
        self.name: str = raw["name"]
        # This profile's name, then the names of the profiles it extends, nearest first: a family's
        # own templates are looked up along this chain (`youth-union` → `party` → `decree30`).
        self.lineage: tuple[str, ...] = lineage or (self.name,)
        self.description: str = raw.get("description", "")
        self.font: str = raw.get("font", "Times New Roman")
        self.elements = {
            name: Element(
                name=name,
                size=Spec.of(spec["size_pt"]),
                bold=spec.get("bold"),
                italic=spec.get("italic"),
                upper=spec.get("case") == "upper",
                align=spec.get("align"),
                align_checked=spec.get("align_checked", True),
                first_line_indent_cm=Spec.of(spec["first_line_indent_cm"]) if "first_line_indent_cm" in spec else None,
                space_after_pt=Spec.of(spec["space_after_pt"]) if "space_after_pt" in spec else None,
                line_spacing=Spec.of(spec["line_spacing"]) if "line_spacing" in spec else None,
            )
            for name, spec in raw["elements"].items()
        }

    def page(self, key: str) -> Spec:
        return Spec.of(self.raw["page"][key])

    def landscape(self, key: str) -> float:
        return self.raw.get("landscape", {}).get(key, self.page(key).value)

    def header(self, key: str) -> Any:
        return self.raw["header"][key]

    def header_spec(self, key: str) -> Spec:
        return Spec.of(self.raw["header"][key])

    @property
    def page_number_size(self) -> Spec:
        return Spec.of(self.raw["page_number"]["size_pt"])

    @property
    def page_number_on_first_page(self) -> bool:
        return bool(self.raw["page_number"].get("first_page", False))

    @property
    def signature_space_pt(self) -> float:
        return self.raw["signature"]["space_pt"]

    @property
    def lead_position(self) -> str:
        return self.raw["signature"].get("lead_position", "right")

    def element(self, name: str) -> Element:
        return self.elements[name]

    # --- what differs between document families (state, trade union, Party, Đoàn) ---------------

    @property
    def motto(self) -> str | None:
        """The Tiêu ngữ under the national title; None for families that have none (Party, Đoàn)."""
        return self.raw["header"].get("motto") or None

    @property
    def national_rule(self) -> Spec | None:
        """The rule under the national title itself (share of its width), or None."""
        raw = self.raw["header"].get("national_rule")
        return Spec.of(raw) if raw not in (None, False) else None

    @property
    def national_label(self) -> str:
        return self.raw["header"].get("national_label") or "Quốc hiệu"

    @property
    def issuer_mark(self) -> str:
        """`rule` (a drawn rule under the issuing body) or the text set there instead (`*`, `***`)."""
        return str(self.raw["header"].get("issuer_mark") or "rule")

    @property
    def number_format(self) -> str:
        return self.raw.get("number", {}).get("format") or "Số: {number}/{symbol}"

    @property
    def symbol_format(self) -> str:
        return self.raw.get("number", {}).get("symbol") or "{type}-{issuers}"

    @property
    def type_required(self) -> bool:
        """Whether every ký hiệu carries a type code (Party: a công văn is `CV`)."""
        return bool(self.raw.get("number", {}).get("type_required", False))

    @property
    def mixed_case_codes(self) -> tuple[str, ...]:
        """Codes written with lower-case letters on purpose (`TTg`, `QyĐ`): no warning for them."""
        return tuple(self.raw.get("number", {}).get("mixed_case_codes") or ())

    @property
    def authorities(self) -> tuple[str, ...]:
        """The quyền hạn prefixes signers may use (TM., KT. … or the Party's T/M, K/T …)."""
        return tuple(self.raw["signature"].get("authorities") or ("TM.", "KT.", "Q.", "TL.", "TUQ."))


def _parse(text: str) -> dict:
    """The profile's YAML as plain data; parsed once and then read from the cache (start-up time)."""
    import marshal

    from . import cache

    digest = cache.key(text, "profile-yaml-1")
    blob = cache.get("profiles", digest)
    if blob is not None:
        try:
            return marshal.loads(blob)
        except (ValueError, EOFError, TypeError):
            pass
    raw = YAML(typ="safe").load(text)
    if not isinstance(raw, dict):
        raise ValueError("not a mapping of profile keys")
    try:
        cache.put("profiles", digest, marshal.dumps(raw))
    except ValueError:  # a value marshal cannot hold: parse it each time
        pass
    return raw


def _user_text(path: Path) -> str:
    """A profile a user names by path is people's input: bounded like a data file, aliases refused."""
    from ruamel.yaml.events import AliasEvent

    from . import limits

    limits.check_file_size(path, what="format profile")
    try:
        text = path.read_text(encoding="utf-8")
        if any(isinstance(event, AliasEvent) for event in YAML(typ="safe").parse(text)):
            raise DataError(Problem(str(path), "YAML aliases (*name) are not allowed in a format profile"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(Problem(str(path), f"cannot read the format profile: {exc}")) from None
    except RecursionError:
        raise DataError(Problem(str(path), "nested too deeply to read")) from None
    except DataError:
        raise
    except Exception as exc:  # ruamel's YAMLError and its scanner/parser errors
        raise DataError(Problem(str(path), f"YAML error: {str(exc).splitlines()[0]}")) from None
    return text


def _read_raw(path_or_name: str, seen: tuple[str, ...] = ()) -> tuple[dict, str, tuple[str, ...]]:
    if str(path_or_name) in seen:
        chain = " → ".join((*seen, str(path_or_name)))
        raise DataError(Problem(seen[0], f"format profiles extend each other in a circle: {chain}"))
    seen = (*seen, str(path_or_name))
    candidate = Path(path_or_name)
    if candidate.suffix in (".yaml", ".yml") and candidate.exists():
        text, source = _user_text(candidate), str(candidate)
    else:
        res = _profiles_dir() / f"{path_or_name}.yaml"
        if not res.is_file():
            known = ", ".join(sorted(available_profiles()))
            raise DataError(Problem(str(path_or_name), f"unknown format profile (known: {known})"))
        text, source = res.read_text(encoding="utf-8"), f"profiles/{path_or_name}.yaml"
    try:
        raw = _parse(text)
    except ValueError as exc:
        raise DataError(Problem(source, f"not a format profile: {exc}")) from None
    lineage: tuple[str, ...] = (raw.get("name", str(path_or_name)),)
    if "extends" in raw:
        base, _, base_lineage = _read_raw(str(raw["extends"]), seen)
        raw = _deep_merge(base, {k: v for k, v in raw.items() if k != "extends"})
        lineage += base_lineage
    return raw, source, lineage


@lru_cache(maxsize=None)
def load_profile(name: str = "decree30") -> Profile:
    """Load a profile by name (`decree30`, `trade-union`, `party`, `youth-union`) or from a YAML path; cached per process."""
    raw, source, lineage = _read_raw(name)
    try:
        return Profile(raw, source, lineage)
    except KeyError as exc:
        raise DataError(Problem(source, f"not a format profile: the key {exc} is missing")) from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise DataError(Problem(source, f"not a format profile: {exc}")) from None


def available_profiles() -> list[str]:
    return sorted(p.name[:-5] for p in _profiles_dir().iterdir() if p.name.endswith(".yaml"))


@lru_cache(maxsize=1)
def _widths() -> dict:
    return json.loads((_profiles_dir() / "tnr-widths.json").read_text(encoding="utf-8"))


def text_width_pt(text: str, size_pt: float, bold: bool = False) -> float:
    """Estimated printed width of `text` in Times New Roman (metrics of Liberation Serif).

    Vietnamese letters are measured by their base letter: tone and vowel marks do not change
    the advance width. Used to size the rules under the issuing body and the Tiêu ngữ.
    """
    table = _widths()["advance"]["bold" if bold else "regular"]
    fallback = table["n"]
    total = 0
    for ch in unicodedata.normalize("NFC", text):
        width = table.get(ch)
        if width is None:
            base = unicodedata.normalize("NFD", ch)[0]
            width = table.get(base, fallback)
        total += width
    return total * size_pt / 1000
