"""`import`: an existing dispatch (.docx, ours or typed by hand, or the seed's .txt) as our YAML data.

The .docx is mapped with the checker's element map (the same recognition `check` uses), the
runs' bold and italic become `**…**` and `*…*`, and the shared recogniser turns the text into
sections, items and targets. The YAML written is readable, commented, validated before it is
written, and builds back to the same text.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString

from ..check.layout import Found, locate
from ..check.reader import Run, read_docx
from ..check.runner import detect_profile
from ..errors import DataError, Problem
from ..profile import load_profile
from ..writers.atomic import write_bytes_atomic
from .dispatch_text import URGENCY, Parsed, Source, group_bodies, parse
from .txt_import import read_txt
from .yaml_data import validation_problems


def _marked(runs: list[Run]) -> str:
    """Runs as our inline markup; emphasis that covers the whole paragraph is its format, not markup."""
    runs = [r for r in runs if r.text]
    visible = [r for r in runs if r.text.strip()]
    whole_bold = bool(visible) and all(r.bold for r in visible)
    whole_italic = bool(visible) and all(r.italic for r in visible)
    spans: list[list] = []
    for r in runs:
        flags = (r.bold and not whole_bold, r.italic and not whole_italic)
        text = r.text.replace("*", "\\*")
        if spans and (spans[-1][1] == flags or not r.text.strip()):
            spans[-1][0] += text
        else:
            spans.append([text, flags])
    out = []
    for text, (bold, italic) in spans:
        core = text.strip()
        if not core or not (bold or italic):
            out.append(text)
            continue
        mark = ("**" if bold else "") + ("*" if italic else "")
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        out.append(f"{lead}{mark}{core}{mark[::-1]}{trail}")
    return " ".join("".join(out).split())


def _text(f: Found) -> str:
    return " ".join(f.text.split())


def _joined_bodies(heads: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Header lines that continue a body's name (`THỦ TƯỚNG` / `CHÍNH PHỦ`, `ỦY BAN NHÂN DÂN` / `TỈNH …`)
    are one body; it is the issuing body if any of its lines was read as one."""
    out: list[tuple[str, bool]] = []
    for text, is_parent in heads:
        if out and len(group_bodies([out[-1][0], text])) == 1:
            out[-1] = (f"{out[-1][0]} {text}", out[-1][1] and is_parent)
        else:
            out.append((text, is_parent))
    return out


def read_docx_source(path: str | Path, profile: str | None = None) -> tuple[Source, str]:
    """The document's parts, read with `profile` (None: the family its header shows)."""
    doc = read_docx(path)
    prof = detect_profile(doc) if profile is None else load_profile(profile)
    layout = locate(doc, prof)
    src = Source(str(path))
    heads = sorted([*layout.parents, *layout.issuers], key=lambda f: (f.para.index, f.para.pieces.index(f.pieces[0])))
    src.bodies = _joined_bodies([(_text(f), f.role == "parent_body") for f in heads])
    src.number_line = _text(layout.number) if layout.number else None
    src.date_line = _text(layout.date) if layout.date else None
    src.title = [_text(f) for f in [layout.doc_type, *layout.summary] if f]
    src.body = [_marked([r for pc in f.pieces for r in pc.runs]) for f in layout.body]
    for s in sorted(layout.signers, key=lambda s: s.side != "left"):
        src.signers.append([_text(a) for a in s.authority] + ([_text(s.name)] if s.name else []))
    src.recipients = [_text(f) for f in layout.recipients]
    used = {id(p) for p in layout.header_zone}
    src.subject = _text(layout.subject) if layout.subject else None
    src.addressees = [_text(f) for f in layout.addressees]
    for p in layout.body_tables:
        if p.clean:
            src.unsorted.append(f"¶{p.index} (table): {p.clean}")
    src.urgency = next((p.clean for p in layout.header_zone if p.clean in URGENCY), None)
    for p in layout.other:
        if id(p) not in used and p.clean:
            src.unsorted.append(f"¶{p.index}: {p.clean}")
    return src, prof.name


@dataclass
class ImportResult:
    """What `import` recognised: the data, its YAML text, and what a person must still sort."""

    source: str
    parsed: Parsed
    yaml_text: str
    problems: list[str]

    @property
    def data(self) -> dict:
        return self.parsed.data

    @property
    def summary(self) -> list[str]:
        return self.parsed.summary

    @property
    def review(self) -> list[str]:
        return self.parsed.review

    @property
    def unsorted(self) -> list[str]:
        return self.parsed.unsorted


def _folded(value):
    """Long paragraphs as `>-` blocks, one line each, as in the project's sample data."""
    if isinstance(value, str) and len(value) > 80 and "\n" not in value and not value.startswith(" "):
        return FoldedScalarString(value)
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            if v is not None or k in ("number", "date"):
                out[k] = _folded(v)
        return out
    if isinstance(value, list):
        seq = CommentedSeq(_folded(v) for v in value)
        return seq
    return value


_COMMENTS = {
    "issuers": "Cơ quan ban hành (cơ quan chủ trì đứng trước); `code` là chữ viết tắt trong ký hiệu.",
    "number": "Số văn bản; bỏ trống để tạo bản dự thảo.",
    "title": "Tên loại văn bản; `subtitle` là trích yếu.",
    "opening": "Đoạn mở đầu.",
    "sections": "Các mục I, II, III…; mỗi mục có các khoản 1., 2., 3.…",
    "targets": "Chỉ tiêu phấn đấu: <tỷ lệ> <đối tượng> <nội dung>[, trong đó <tỷ lệ> <nội dung>].",
    "closing": "Đoạn kết (kết thúc bằng ./.).",
    "signers": "Người ký: authority TM. | KT. | Q. | TL. | TUQ.; `for` là phần đi sau.",
    "recipients": "Nơi nhận; `purpose` in trong ngoặc (để b/c, để t/h, để p/h).",
}


UNSORTED_NOTE = ("CHƯA XẾP ĐƯỢC (unsorted): các dòng của văn bản gốc mà dispatch-gen chưa biết đặt vào đâu.\n"
                 "Chuyển từng dòng vào đúng mục ở trên rồi xoá mục này (mục này không được in ra).")


def to_yaml(parsed: Parsed, source: str) -> str:
    data = _folded(parsed.data)
    if parsed.unsorted:
        data["unsorted"] = list(parsed.unsorted)
        data.yaml_set_comment_before_after_key("unsorted", before=UNSORTED_NOTE)
    for r in data.get("recipients", []):
        if isinstance(r, CommentedMap):
            r.fa.set_flow_style()
    if "archive" in data:
        data["archive"].fa.set_flow_style()
    for key, text in _COMMENTS.items():
        if key in data:
            data.yaml_set_comment_before_after_key(key, before=text)
    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    buf = io.StringIO()
    yaml.dump(data, buf)
    head = [f"# Nhập từ {Path(source).name} bằng `dispatch-gen import`. Kiểm tra lại trước khi dùng:",
            "#   dispatch-gen validate <tệp này>   rồi   dispatch-gen build <tệp này>"]
    if parsed.review:
        head.append("# Cần xem lại (review):")
        head += [f"#   - {line}" for line in parsed.review]
    return "\n".join(head) + "\n\n" + buf.getvalue()


def import_document(path: str | Path, out_path: str | Path | None = None, force: bool = False,
                    profile: str | None = None) -> ImportResult:
    """Read an old dispatch (.docx or .txt) and, if `out_path` is given, write its YAML data there.

    Refuses to overwrite an existing file unless `force`. The data is validated with the model
    first: problems are returned in `problems` (the file is still written, for a person to fix).
    """
    path = Path(path)
    if path.suffix.lower() == ".txt":
        src = read_txt(path)
        profile = profile or src.national_title or "decree30"
    elif path.suffix.lower() == ".docx":
        src, profile = read_docx_source(path, profile)
    else:
        raise DataError(Problem(str(path), "import reads .docx or .txt files"))
    parsed = parse(src, load_profile(profile).lead_position, load_profile(profile).name)
    text = to_yaml(parsed, str(path))
    loaded = YAML(typ="rt").load(text)
    _, problems = validation_problems(Path(out_path or "imported.yaml"), loaded)
    if out_path is not None:
        out = Path(out_path)
        if out.exists() and not force:
            raise DataError(Problem(str(out), "already exists (use --force to overwrite)"))
        write_bytes_atomic(out, text.encode("utf-8"))
    return ImportResult(str(path), parsed, text, [str(p) for p in problems])


