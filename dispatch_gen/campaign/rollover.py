"""Draft next year's launch from this year's data file (`dispatch-gen rollover`).

The year moves, the number and date are cleared for the number book to fill at issue, and
placeholders (`{year}`, `{previous_year}`, `{anniversary:KEY}`) recompute by themselves. Literal
years are turned into placeholders only where the meaning is certain ("năm 2024" in a 2024 file
is the campaign year); anniversaries typed as numbers become `{anniversary:KEY}` when their
founding date is known. Everything else that depends on the year (a plan period "2020-2025", a
congress "Đại hội XIII", a date, another year) is listed for a person to review, never guessed.
The file keeps its comments and layout (ruamel round-trip) and is written atomically.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import DataError, Problem
from ..model import PLACEHOLDER
from ..readers.yaml_data import load_document, validation_problems
from ..writers.atomic import write_bytes_atomic

# Founding dates a launch dispatch commonly cites (thi-dua domain notes); data may add others.
KNOWN_ANNIVERSARIES = {
    "cong_doan": ("Ngày thành lập Công đoàn Việt Nam", dt.date(1929, 7, 28)),
    "nganh_cong_thuong": ("Ngày truyền thống ngành Công Thương", dt.date(1951, 5, 14)),
    "loi_keu_goi_thi_dua": ("Ngày Chủ tịch Hồ Chí Minh ra Lời kêu gọi thi đua ái quốc", dt.date(1948, 6, 11)),
}

_YEAR = re.compile(r"(?<![\d{])((?:19|20)\d{2})(?![\d}])")
_RANGE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-–]\s*((?:19|20)\d{2})(?!\d)")
_CONGRESS = re.compile(r"Đại hội\s+(?:đại biểu\s+)?(?:[\wÀ-ỹ]+\s+){0,6}?(?:lần thứ\s+)?[IVXLC]+\b")
_TERM = re.compile(r"nhiệm kỳ\s+(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}", re.I)
_ANNIV = re.compile(r"(?<![\d{])(\d{1,3})\s+năm\s+(?=[Nn]gày|[Tt]hành lập|[Kk]ỷ niệm)")
_TEXT_KEYS = ("title", "subtitle", "opening", "closing")


@dataclass
class RolloverResult:
    path: Path
    year: int
    changes: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _texts(data: CommentedMap):
    """(container, key, location) of every running-text string in the data file."""
    for key in _TEXT_KEYS:
        value = data.get(key)
        if isinstance(value, str):
            yield data, key, key
        elif isinstance(value, CommentedSeq):
            for i, v in enumerate(value):
                if isinstance(v, str):
                    yield value, i, f"{key}[{i}]"
    for si, sec in enumerate(data.get("sections") or []):
        if isinstance(sec.get("heading"), str):
            yield sec, "heading", f"sections[{si}].heading"
        for pi, _ in enumerate(sec.get("paragraphs") or []):
            yield sec["paragraphs"], pi, f"sections[{si}].paragraphs[{pi}]"
        for ii, item in enumerate(sec.get("items") or []):
            if isinstance(item, str):
                yield sec["items"], ii, f"sections[{si}].items[{ii}]"
                continue
            yield item, "text", f"sections[{si}].items[{ii}].text"
            for kind in ("bullets", "points"):
                for bi, _ in enumerate(item.get(kind) or []):
                    yield item[kind], bi, f"sections[{si}].items[{ii}].{kind}[{bi}]"
    for ti, t in enumerate(data.get("targets") or []):
        for key in ("base", "text"):
            if isinstance(t.get(key), str):
                yield t, key, f"targets[{ti}].{key}"
        for oi, o in enumerate(t.get("of_which") or []):
            yield o, "text", f"targets[{ti}].of_which[{oi}].text"


def _set(container, key, new: str) -> None:
    old = container[key]
    container[key] = type(old)(new) if type(old) is not str else new


class _Roller:
    def __init__(self, data: CommentedMap, old: int, new: int, anniversaries: dict[str, tuple[str | None, dt.date]]):
        self.data, self.old, self.new = data, old, new
        self.anniversaries = anniversaries
        self.result_changes: list[str] = []
        self.review: list[str] = []

    def _anniversary(self, text: str, where: str) -> str:
        def sub(m: re.Match) -> str:
            n, rest = int(m.group(1)), text[m.end():]
            for key, (name, founded) in {**self.anniversaries,
                                         **{k: v for k, v in KNOWN_ANNIVERSARIES.items() if k not in self.anniversaries}}.items():
                if name and rest.startswith(name):
                    if self.old - founded.year != n:
                        self.review.append(f"{where}: “{n} năm {name}” does not match {founded.isoformat()} "
                                           f"({self.old - founded.year} năm in {self.old}): left as typed")
                        return m.group(0)
                    if key not in self.anniversaries:
                        self._add_anniversary(key, name, founded)
                    self.result_changes.append(f"{where}: “{n} năm {name}” → {{anniversary:{key}}} "
                                               f"({self.new - founded.year} năm in {self.new})")
                    return f"{{anniversary:{key}}} năm "
            snippet = (m.group(0) + rest)[:60]
            self.review.append(f"{where}: anniversary “{snippet.strip()}…” has no founding date under `anniversaries`")
            return m.group(0)
        return _ANNIV.sub(sub, text)

    def _add_anniversary(self, key: str, name: str, founded: dt.date) -> None:
        if "anniversaries" not in self.data or self.data["anniversaries"] is None:
            self.data.insert(list(self.data.keys()).index("subtitle") + 1 if "subtitle" in self.data else len(self.data),
                             "anniversaries", CommentedMap())
        self.data["anniversaries"][key] = CommentedMap([("name", name), ("founded", founded)])
        self.anniversaries[key] = (name, founded)
        self.result_changes.append(f"anniversaries.{key}: added ({name}, founded {founded.isoformat()})")

    def _years(self, text: str, where: str) -> str:
        protected = [m.span() for m in PLACEHOLDER.finditer(text)]
        for m in _RANGE.finditer(text):
            self.review.append(f"{where}: period “{m.group(0)}” (a plan or term: check it for {self.new})")
            protected.append(m.span())
        for m in _CONGRESS.finditer(text):
            self.review.append(f"{where}: “{m.group(0)}” (a congress term: check it for {self.new})")
        names = {self.old: "year", self.old - 1: "previous_year", self.old + 1: "next_year"}
        out, pos = [], 0
        for m in _YEAR.finditer(text):
            if any(a <= m.start() < b for a, b in protected):
                continue
            y = int(m.group(1))
            before, after = text[: m.start()], text[m.end():]
            if before.endswith("/") and after.startswith("/"):
                continue  # a legal reference: 98/2023/NĐ-CP
            if re.search(r"\bnăm\s+$", before, re.I) and y in names and not before.endswith("/"):
                out.append(text[pos:m.start()] + f"{{{names[y]}}}")
                pos = m.end()
                self.result_changes.append(f"{where}: “năm {y}” → “năm {{{names[y]}}}” ({y - self.old + self.new} in {self.new})")
                continue
            context = text[max(0, m.start() - 25): m.end() + 15].strip()
            self.review.append(f"{where}: year {y} in “…{context}…”")
        out.append(text[pos:])
        return "".join(out)

    def run(self) -> None:
        for container, key, where in list(_texts(self.data)):
            text = container[key]
            new = self._years(self._anniversary(text, where), where)
            if new != text:
                _set(container, key, new)


_COMMENT = re.compile(r"^(\s*#.*)$|^([^'\"#]*?\s)(#.*)$")


def _roll_comments(text: str, old: int, new: int, old_name: str, new_path: str, result: RolloverResult) -> str:
    """The clerk's comments follow the year too: `dispatch-gen build data/phat-dong-2024.yaml`
    names the new file (as given to rollover), "năm 2024" becomes "năm 2025" (comments only; the data is handled above)."""
    lines = text.split("\n")
    touched = []
    for n, line in enumerate(lines):
        m = _COMMENT.match(line)
        if not m:
            continue
        comment = m.group(1) if m.group(1) is not None else m.group(3)
        rolled = re.sub(rf"\S*{re.escape(old_name)}", lambda _: new_path, comment)
        rolled = re.sub(rf"(?<![\d{{]){old}(?![\d}}])", str(new), rolled)
        if rolled != comment:
            lines[n] = rolled if m.group(1) is not None else m.group(2) + rolled
            touched.append(n + 1)
    if touched:
        result.changes.append(f"comments: {old} → {new} and the file's name on line(s) {', '.join(map(str, touched))}")
    return "\n".join(lines)


def rollover(data_path: str | Path, year: int, out_path: str | Path, force: bool = False) -> RolloverResult:
    """Write next year's draft of `data_path` for campaign `year` to `out_path`.

    Raises DataError if the source is invalid, if `out_path` exists and `force` is false, or if the
    result would not validate (nothing is written then).
    """
    data_path, out_path = Path(data_path), Path(out_path)
    document = load_document(data_path)
    if out_path.exists() and not force:
        raise DataError(Problem(str(out_path), "already exists (use --force to overwrite)"))
    if out_path.resolve() == data_path.resolve():
        raise DataError(Problem(str(out_path), "is the source file: write next year's data to a new file"))
    old = document.campaign_year
    if not 1945 <= year <= 2999:
        raise DataError(Problem(str(data_path), f"year {year} is out of range"))
    yaml = _yaml()
    data = yaml.load(data_path.read_text(encoding="utf-8"))
    result = RolloverResult(out_path, year)

    if "year" in data:
        data["year"] = year
    else:
        data.insert(list(data.keys()).index("date") + 1 if "date" in data else len(data), "year", year)
    result.changes.append(f"year: {old} → {year}")
    for key in ("number", "date"):
        if data.get(key) is not None:
            result.changes.append(f"{key}: {data[key]} → (empty: filled when issued)")
            data[key] = None
    if str(old) in str(data.get("id", "")):
        new_id = str(data["id"]).replace(str(old), str(year))
        result.changes.append(f"id: {data['id']} → {new_id}")
        data["id"] = new_id
    elif "id" in data:
        result.review.append(f"id: {data['id']!r} has no year in it: give next year's document its own id")

    kept = sum(len(PLACEHOLDER.findall(str(c[k]))) for c, k, _ in _texts(data))
    anniversaries = {k: (a.name, a.founded) for k, a in document.anniversaries.items()}
    roller = _Roller(data, old, year, anniversaries)
    roller.run()
    result.changes += roller.result_changes
    result.review += roller.review
    if kept:
        result.changes.append(f"{kept} placeholder(s) kept: they recompute for {year}")

    buf = io.StringIO()
    yaml.dump(data, buf)
    text = _roll_comments(buf.getvalue(), old, year, Path(data_path).name, str(out_path), result)
    _, problems = validation_problems(out_path, _yaml().load(text))
    if problems:
        raise DataError(problems)
    from ..spelling import variants, yaml_texts

    result.review += variants(yaml_texts(_yaml().load(text), str(out_path)))
    write_bytes_atomic(out_path, text.encode("utf-8"))
    return result
