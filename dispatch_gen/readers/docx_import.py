"""`import`: an existing dispatch (.docx, ours or typed by hand, or the seed's .txt) as our YAML data.

The .docx is mapped with the checker's element map (the same recognition `check` uses), the
runs' bold and italic become `**…**` and `*…*`, and the shared recogniser turns the text into
sections, items and targets. The YAML written is readable, commented, validated before it is
written, and builds back to the same text.
"""
from __future__ import annotations

import io
import tempfile
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
from docx.oxml.ns import qn

from ..check.reader import Para
from .dispatch_text import URGENCY, AnnexSource, BodyLine, Parsed, Source, group_bodies, parse
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
    are one body; a managing body's line (regular) never continues an issuing body's (bold)."""
    out: list[tuple[str, bool]] = []
    for text, is_parent in heads:
        if out and out[-1][1] == is_parent and len(group_bodies([out[-1][0], text])) == 1:
            out[-1] = (f"{out[-1][0]} {text}", out[-1][1] and is_parent)
        else:
            out.append((text, is_parent))
    return out


def _whole(runs: list[Run], attr: str) -> bool:
    visible = [r for r in runs if r.text.strip()]
    return bool(visible) and all(getattr(r, attr) for r in visible)


def _line(f: Found | Para) -> BodyLine:
    """A body paragraph as text with inline markup, and whether all of it is bold (a heading)."""
    runs = [r for pc in f.pieces for r in pc.runs]
    para = f.para if isinstance(f, Found) else f
    return BodyLine(_marked(runs), bold=_whole(runs, "bold"), italic=_whole(runs, "italic"),
                    center=para.props.align == "center")


class _Xml:
    """The document's own XML beside the checker's paragraphs: table grids and cell spans, pictures."""

    def __init__(self, path: Path, doc):
        import docx as python_docx

        self.document = python_docx.Document(str(path))
        body = self.document.element.body
        self.paras = [p for p in body.iter(qn("w:p")) if not any(a.tag == qn("w:p") for a in p.iterancestors())]
        self.ok = len(self.paras) == len(doc.paras)
        self.at = {id(p): k for k, p in enumerate(doc.paras)}

    def element(self, para: Para):
        return self.paras[self.at[id(para)]] if self.ok else None

    def table(self, para: Para, profile) -> dict | None:
        """The table a cell paragraph is in, as our data: header row, rows, widths, alignment, total."""
        p = self.element(para)
        tbl = next((a for a in p.iterancestors() if a.tag == qn("w:tbl")), None) if p is not None else None
        if tbl is None:
            return None
        return table_data(tbl, profile)

    def image(self, para: Para) -> tuple[bytes, str, float] | None:
        """A picture alone in a paragraph: its bytes, extension and width in cm."""
        p = self.element(para)
        if p is None:
            return None
        blip = next(p.iter(qn("a:blip")), None)
        extent = next(p.iter(qn("wp:extent")), None)
        if blip is None:
            return None
        rid = blip.get(qn("r:embed"))
        try:
            part = self.document.part.related_parts[rid]
        except KeyError:
            return None
        ext = Path(str(part.partname)).suffix.lstrip(".").lower() or "png"
        width = round(int(extent.get("cx")) / 360000, 2) if extent is not None else 12.0
        return part.blob, ext, width


def _cell_text(tc) -> str:
    texts = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iterfind(qn("w:p"))]
    return " ".join(" ".join(t.split()) for t in texts if t.strip())


def _cell_bold(tc) -> bool:
    runs = [r for r in tc.iter(qn("w:r")) if "".join(t.text or "" for t in r.iter(qn("w:t"))).strip()]
    def bold(r):
        b = r.find(f"{qn('w:rPr')}/{qn('w:b')}")
        return b is not None and b.get(qn("w:val")) not in ("0", "false")
    return bool(runs) and all(bold(r) for r in runs)


def _cell_align(tc) -> str:
    jc = tc.find(f"{qn('w:p')}/{qn('w:pPr')}/{qn('w:jc')}")
    value = jc.get(qn("w:val")) if jc is not None else "left"
    return {"both": "justify", "start": "left", "end": "right"}.get(value, value)


def table_data(tbl, profile=None) -> dict | None:
    """A body table as the `table:` entry that lays it out again."""
    grid = [int(g.get(qn("w:w")) or 0) for g in tbl.iterfind(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")]
    rows = []
    for tr in tbl.iterfind(qn("w:tr")):
        cells = []
        for tc in tr.iterfind(qn("w:tc")):
            span_el = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            cells.append({"text": _cell_text(tc), "span": span, "align": _cell_align(tc), "bold": _cell_bold(tc)})
        rows.append(cells)
    if not rows or any(c["span"] != 1 for c in rows[0]):
        return None
    n = len(rows[0])
    if any(sum(c["span"] for c in r) != n for r in rows):
        return None
    body, total = rows[1:], None
    if len(body) >= 2 and all(c["bold"] for c in body[-1] if c["text"]) and any(c["text"] for c in body[-1]):
        body, total = body[:-1], body[-1]
    first = next((r for r in body if all(c["span"] == 1 for c in r)), None)
    align = [c["align"] for c in first] if first else ["left"] * n

    def cell(c, col, in_total=False):
        extra = {}
        if c["span"] != 1:
            extra["span"] = c["span"]
        if c["align"] != align[col]:
            extra["align"] = c["align"]
        if c["bold"] and not in_total:
            extra["bold"] = True
        return {"text": c["text"], **extra} if extra else c["text"]

    def row(cells, in_total=False):
        out, col = [], 0
        for c in cells:
            out.append(cell(c, col, in_total))
            col += c["span"]
        return out

    data: dict = {"columns": [c["text"] for c in rows[0]]}
    if grid and len(grid) == n:
        data["widths_cm"] = [round(w / 567, 2) for w in grid]
    if any(a != "left" for a in align):
        data["align"] = align
    data["rows"] = [row(r) for r in body]
    if total is not None:
        data["total"] = row(total, True)
    size = _table_size(tbl)
    if size and profile is not None and abs(size - profile.element("table").size.value) > 0.01:
        data["font_pt"] = size
    return data


def _table_size(tbl) -> float | None:
    sz = next(tbl.iter(qn("w:sz")), None)
    return int(sz.get(qn("w:val"))) / 2 if sz is not None else None


def _stream(paras: list[Para], body: set, xml: _Xml, profile, skip: set) -> list:
    """Body paragraphs in order as lines, tables and pictures; a centred italic line under a table or
    a picture is its caption; what the layout placed nowhere is kept, in its place, as text."""
    out: list = []
    done_tables: set = set()
    for p in paras:
        if id(p) in skip or p.is_control:
            continue
        if p.table is not None:
            if p.table in done_tables:
                continue
            done_tables.add(p.table)
            if out and out[-1].extra.get("telegram") == []:  # a công điện's `- X;` lines beside its `… điện:`
                out[-1].extra["telegram"] = [q.clean for q in paras if q.table == p.table and q.clean]
                continue
            table = xml.table(p, profile)
            if table is None:
                cells = [q.clean for q in paras if q.table == p.table and q.clean]
                out.extend(BodyLine(t, loose=True) for t in cells)
            else:
                out.append(BodyLine(table=table))
            continue
        if p.is_empty:
            picture = xml.image(p) if p.drawing_twips else None
            if picture:
                out.append(BodyLine(image=picture))
            continue
        line = _line(p)
        prev = out[-1] if out else None
        if prev is not None and (prev.table or prev.image) and line.center and line.italic and "caption" not in prev.extra:
            prev.extra["caption"] = _plain(p)
            continue
        if id(p) not in body:
            line.loose = True
            if line.center and _plain(p).endswith(" điện:"):
                line.extra["telegram"] = []
        out.append(line)
    return out


def _plain(p: Para) -> str:
    return " ".join(p.text.split())


def read_docx_source(path: str | Path, profile: str | None = None) -> tuple[Source, str]:
    """The document's parts, read with `profile` (None: the family its header shows)."""
    doc = read_docx(path)
    prof = detect_profile(doc) if profile is None else load_profile(profile)
    layout = locate(doc, prof)
    xml = _Xml(Path(path), doc)
    src = Source(str(path))
    heads = sorted([*layout.parents, *layout.issuers], key=lambda f: (f.para.index, f.para.pieces.index(f.pieces[0])))
    src.bodies = _joined_bodies([(_text(f), f.role == "parent_body") for f in heads])
    src.number_line = _text(layout.number) if layout.number else None
    src.date_line = _text(layout.date) if layout.date else None
    src.title = [_text(f) for f in [layout.doc_type, *layout.summary] if f]
    src.authority = " ".join(_text(f) for f in layout.authority) or None
    src.action = _text(layout.action) if layout.action else None
    for s in sorted(layout.signers, key=lambda s: s.side != "left"):
        src.signers.append([_text(a) for a in s.authority] + ([_text(s.name)] if s.name else []))
    src.recipients = [_text(f) for f in layout.recipients]
    src.contact = [_text(f) for f in layout.contact]
    used = {id(p) for p in layout.header_zone}
    src.subject = _text(layout.subject) if layout.subject else None
    src.addressees = [_text(f) for f in layout.addressees]
    src.urgency = next((p.clean for p in layout.header_zone if p.clean in URGENCY), None)

    # the body: from the first line after the title and Kính gửi to the signature (or the phụ lục)
    heads_done = {id(f.para) for f in [*layout.addressees, layout.doc_type, *layout.summary] if f is not None} | used
    placed = heads_done | {id(f.para) for f in [*layout.authority, layout.action] if f is not None}
    tail = [f.para.index for s in layout.signers for f in [*s.authority, s.name] if f is not None]
    tail += [f.para.index for f in [layout.recipients_label, *layout.recipients] if f is not None]
    annex_starts = [a.start.index for a in layout.annexes]
    end = min(tail + annex_starts) if tail + annex_starts else float("inf")
    start = max([p.index for p in doc.paras if id(p) in heads_done], default=0)
    if layout.title_rule and layout.title_rule.para is not None:
        start = max(start, layout.title_rule.para.index)
    sig_tables = {f.para.table for s in layout.signers for f in [*s.authority, s.name] if f is not None and f.para.table is not None}
    sig_tables |= {f.para.table for f in [layout.recipients_label, *layout.recipients] if f is not None and f.para.table is not None}
    zone_tables = {p.table for p in layout.header_zone if p.table is not None}
    body_ids = {id(f.para) for f in layout.body}
    in_body = [p for p in doc.paras if start < p.index < end and p.table not in sig_tables | zone_tables - {None}
               and id(p) not in placed]
    src.body = _stream(in_body, body_ids, xml, prof, set())
    for k, annex in enumerate(layout.annexes):
        stop = annex_starts[k + 1] if k + 1 < len(annex_starts) else float("inf")
        own = [p for p in doc.paras if annex.start.index <= p.index < stop]
        head = {id(f.para) for f in [annex.heading, *annex.title, annex.note] if f is not None}
        first_table = next((p for p in own if not p.is_empty and not p.is_control), None)
        with_header = first_table is not None and first_table.table is not None
        after = max([p.index for p in own if id(p) in head], default=annex.start.index - 1)
        header_tables = {p.table for p in own if p.table is not None and p.index < after}
        rest = [p for p in own if p.index > after and (p.table is None or p.table not in header_tables)]
        src.annexes.append(AnnexSource(
            heading=_text(annex.heading) if annex.heading else None,
            title=[_text(f) for f in annex.title],
            note=_text(annex.note) if annex.note else None,
            with_header=with_header,
            body=_stream(rest, {id(f.para) for f in annex.body}, xml, prof, set())))
    done = {id(p) for p in in_body} | {id(p) for p in doc.paras if annex_starts and p.index >= annex_starts[0]}
    for p in layout.other:
        if id(p) not in used and id(p) not in placed and id(p) not in done and p.clean:
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


def _flow_tables(value) -> None:
    """A table's header, widths, alignment and each row on one line, as people type them."""
    if isinstance(value, CommentedMap):
        table = value.get("table")
        if isinstance(table, CommentedMap):
            for key in ("columns", "widths_cm", "align", "total"):
                if isinstance(table.get(key), CommentedSeq):
                    table[key].fa.set_flow_style()
            for row in table.get("rows") or []:
                row.fa.set_flow_style()
        for v in value.values():
            _flow_tables(v)
    elif isinstance(value, CommentedSeq):
        for v in value:
            _flow_tables(v)


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
    _flow_tables(data)
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


def _picture_names(parsed: Parsed, stem: str) -> dict[str, bytes]:
    """Pictures of the body are written beside the data file as `<data file>-hinh-N.png`; the data names them so."""
    renamed = {name: f"{stem}-{name}" for name in parsed.files}

    def walk(value):
        if isinstance(value, dict):
            image = value.get("image")
            if isinstance(image, dict) and image.get("path") in renamed:
                image["path"] = renamed[image["path"]]
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(parsed.data)
    return {renamed[name]: data for name, data in parsed.files.items()}


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
    pictures = _picture_names(parsed, Path(out_path).stem if out_path is not None else Path(path).stem)
    text = to_yaml(parsed, str(path))
    loaded = YAML(typ="rt").load(text)
    out = Path(out_path) if out_path is not None else None
    if out is not None and not force:
        for target in [out, *(out.parent / name for name in pictures)]:
            if target.exists():
                raise DataError(Problem(str(target), "already exists (use --force to overwrite)"))
    with tempfile.TemporaryDirectory() as tmp:  # validated beside its pictures, as it will be read
        for name, data in pictures.items():
            (Path(tmp) / name).write_bytes(data)
        _, problems = validation_problems(Path(tmp) / (out.name if out is not None else "imported.yaml"), loaded)
    problems = [str(p).replace(str(Path(tmp) / (out.name if out is not None else "imported.yaml")),
                               str(out if out is not None else "imported.yaml")) for p in problems]
    if out is not None:
        for name, data in pictures.items():
            write_bytes_atomic(out.parent / name, data)
        write_bytes_atomic(out, text.encode("utf-8"))
    return ImportResult(str(path), parsed, text, problems)


