"""Turn the text of an existing dispatch into our data format (the shared half of `import`).

The .docx and .txt readers only say which lines are the header, the title, the body, the
signatures and the recipients; this module recognises the structure inside them (Mục, khoản,
điểm, dash lines, target lines with their shares) and builds data that renders back to the same
text. Anything it cannot place is kept, in `unsorted`, never dropped.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from functools import lru_cache

from .. import vn
from ..check.layout import fold, is_upper
from ..model import AUTHORITIES, Target
from ..render.context import target_line

# Phụ lục III type abbreviations: tell a type code from an issuing body's code in a ký hiệu.
TYPE_CODES = {"NQ", "QĐ", "CT", "QC", "QYĐ", "TC", "TB", "HD", "CTR", "KH", "PA", "ĐA", "DA", "BC", "BB",
              "TTR", "HĐ", "CĐ", "BGN", "BTT", "GUQ", "GM", "GGT", "GNP", "PG", "PC", "PB", "SY", "TRS", "SL"}

# `Số: 31/PĐTĐ-CTĐP-CĐC` (Decree 30) or `Số 127-QĐ/TW`, `Số: 367-QĐ/TWĐTN-VP` (Party, Đoàn).
_NUMBER = re.compile(r"^S[ốỐ]\s*:?\s*(?P<num>\d*)\s*[/-]\s*(?P<sym>.+)$")
_DATE = re.compile(r"^(?P<place>[^,]+),\s*ngày\s*(?P<d>\d*)\s*tháng\s*(?P<m>\d*)\s*năm\s*(?P<y>\d{4})")
_ROMAN = re.compile(r"^([IVXLC]+)\.\s+(.*)$", re.S)
_CLAUSE = re.compile(r"^(\d+)\.\s+(.*)$", re.S)
_POINT = re.compile(r"^([a-zđ])\)\s+(.*)$", re.S)
_DASH = re.compile(r"^[-–—]\s*(\S.*)$", re.S)
_SHARE = re.compile(r"^(\d+(?:,\d+)?%)\s+(.*)$", re.S)
_OF_WHICH = ", trong đó "
# Where the base of a target line ends: the verb that starts what the base must achieve.
_VERBS = re.compile(r"\s(đạt|được|học tập|tham gia|hoàn thành|thực hiện|có|không)\b")
# Decree 30's prefixes and the Party's (`T/M BAN THƯỜNG VỤ`), whichever the document uses.
_AUTH = re.compile(r"^(%s)\s+(.+)$" % "|".join(re.escape(a) for a in (*AUTHORITIES, "T/M", "K/T", "T/L", "T/UQ")))
_RECIPIENT = re.compile(r"^[-–]\s*(?P<name>.*?)\s*(?:\((?P<purpose>để [^()]*)\))?\s*[;.]?$")
_BASIS = re.compile(r"^\*?(Căn cứ|Xét đề nghị|Theo đề nghị|Xét|Theo)\b")  # căn cứ lines open the body
URGENCY = ("KHẨN", "THƯỢNG KHẨN", "HỎA TỐC")  # ô 10b, as the model accepts them
_DRAFTER = re.compile(r"^[A-ZĐ]{1,6}\.?\(\d+\)$")  # ký hiệu người soạn thảo, số bản: NVB.(30)
_ARCHIVE = re.compile(r"^[-–]\s*Lưu\s*:\s*(?P<units>.*?)\.?$")
_ROMANS = {vn.roman(n): n for n in range(1, 200)}


# Tên loại (Phụ lục III, and the names families use): a line that starts with one in capitals is a title.
DOC_TYPES = ("QUYẾT ĐỊNH", "NGHỊ QUYẾT", "NGHỊ ĐỊNH", "CHỈ THỊ", "QUY CHẾ", "QUY ĐỊNH", "THÔNG TƯ", "THÔNG BÁO",
             "HƯỚNG DẪN", "CHƯƠNG TRÌNH", "KẾ HOẠCH", "PHƯƠNG ÁN", "ĐỀ ÁN", "DỰ ÁN", "BÁO CÁO", "BIÊN BẢN", "TỜ TRÌNH",
             "HỢP ĐỒNG", "CÔNG ĐIỆN", "BẢN GHI NHỚ", "BẢN THỎA THUẬN", "BẢN THOẢ THUẬN", "GIẤY ỦY QUYỀN", "GIẤY MỜI",
             "GIẤY GIỚI THIỆU", "GIẤY NGHỈ PHÉP", "PHIẾU GỬI", "PHIẾU CHUYỂN", "PHIẾU BÁO", "THƯ CÔNG", "KẾT LUẬN",
             "PHÁT ĐỘNG", "LỜI KÊU GỌI", "ĐIỀU LỆ", "DANH SÁCH", "CÔNG VĂN")
_TYPE_KEYS = [(t, fold(t).replace(" ", "")) for t in DOC_TYPES]
# Phụ lục III's abbreviation of each tên loại, for a ký hiệu the copy does not show.
TYPE_OF_TITLE = {"QUYẾT ĐỊNH": "QĐ", "NGHỊ QUYẾT": "NQ", "CHỈ THỊ": "CT", "QUY CHẾ": "QC", "QUY ĐỊNH": "QyĐ",
                 "THÔNG BÁO": "TB", "HƯỚNG DẪN": "HD", "CHƯƠNG TRÌNH": "CTr", "KẾ HOẠCH": "KH", "PHƯƠNG ÁN": "PA",
                 "ĐỀ ÁN": "ĐA", "DỰ ÁN": "DA", "BÁO CÁO": "BC", "BIÊN BẢN": "BB", "TỜ TRÌNH": "TTr",
                 "HỢP ĐỒNG": "HĐ", "CÔNG ĐIỆN": "CĐ", "BẢN GHI NHỚ": "BGN", "BẢN THỎA THUẬN": "BTT",
                 "GIẤY ỦY QUYỀN": "GUQ", "GIẤY MỜI": "GM", "GIẤY GIỚI THIỆU": "GGT", "GIẤY NGHỈ PHÉP": "GNP",
                 "PHIẾU GỬI": "PG", "PHIẾU CHUYỂN": "PC", "PHIẾU BÁO": "PB", "KẾT LUẬN": "KL", "CÔNG VĂN": "CV"}


def type_code_of(title: str | None) -> str | None:
    """The type abbreviation of a tên loại (`KẾ HOẠCH` -> KH), also as OCR gives it (`K ÉT LUẬN`)."""
    key = fold(title or "").replace(" ", "")
    return next((code for name, code in sorted(TYPE_OF_TITLE.items(), key=lambda kv: -len(kv[0]))
                 if key.startswith(fold(name).replace(" ", ""))), None)
DECISION_TYPES = ("QUYET DINH", "NGHI QUYET", "NGHI DINH", "THONG TU", "CHI THI")
# Words that begin the name of an issuing body: a header line starting otherwise continues the one
# above (`ỦY BAN NHÂN DÂN` / `TỈNH SƠN LA`, `THỦ` / `TƯỚNG CHÍNH PHỦ`).
_BODY_STARTS = tuple(fold(w) for w in (
    "BỘ", "CỤC", "TỔNG CỤC", "CHI CỤC", "VỤ", "SỞ", "PHÒNG", "BAN", "ỦY BAN", "UỶ BAN", "UBND", "HĐND", "HỘI ĐỒNG",
    "TRƯỜNG", "CÔNG ĐOÀN", "LIÊN ĐOÀN", "LĐLĐ", "ĐẢNG ỦY", "ĐẢNG UỶ", "ĐẢNG BỘ", "TỈNH ỦY", "TỈNH UỶ", "HUYỆN ỦY",
    "HUYỆN UỶ", "THÀNH ỦY", "THÀNH UỶ", "QUẬN ỦY", "QUẬN UỶ", "THỊ ỦY", "THỊ UỶ", "CHI BỘ", "ĐOÀN", "BCH",
    "BAN CHẤP HÀNH", "HỘI", "TRUNG TÂM", "VIỆN", "HỌC VIỆN", "ĐẠI HỌC", "VĂN PHÒNG", "CHÍNH PHỦ", "THỦ TƯỚNG",
    "QUỐC HỘI", "TÒA ÁN", "TOÀ ÁN", "NGÂN HÀNG", "KHO BẠC", "BẢO HIỂM", "CÔNG TY", "TẬP ĐOÀN", "TỔNG CÔNG TY",
    "BỆNH VIỆN", "THANH TRA", "KIỂM TOÁN", "MẶT TRẬN", "PGD", "SGD", "ĐÀI", "BỘ CHỈ HUY", "CÔNG AN", "BỘ TƯ LỆNH"))
_ANCHORS = [re.compile(p) for p in (
    r"CONG\s*HOA\s*XA\s*HOI\s*CHU\s*NGHIA\s*VIET\s*NAM", r"DOC\s*LAP\s*[-–—]?\s*TU\s*DO\s*[-–—]?\s*HANH\s*PHUC")]
_END_ANCHORS = [re.compile(p + r"$") for p in (
    r"DANG\s+CONG\s+SAN\s+VIET\s+NAM", r"DOAN\s+(?:TNCS|THANH\s+NIEN\s+CONG\s+SAN)\s+HO\s+CHI\s+MINH")]
_ACTION = re.compile(r"^(QUYẾT ĐỊNH|QUYẾT NGHỊ|NGHỊ ĐỊNH|QUY ĐỊNH|KẾT LUẬN|CHỈ THỊ)\s*:?$")
_ARTICLE = re.compile(r"^Điều\s+(\d+)\s*[.:]?\s*(.*)$", re.S)
_DIVISION = re.compile(r"^(?:Phần|Chương|Mục|PHẦN|CHƯƠNG|MỤC)\s+(?:[IVXLC]+|\d+)\s*[.:]?$")
_DECIMAL = re.compile(r"^((?:\d+\.)+\d+)\.\s+(.*)$", re.S)
_LABEL = re.compile(r"^(?:(?:\d+\.)+|[a-zđ]+\)|[-–—+]|\\\*)\s+")


def _label_off(text: str) -> str:
    """The text after its label (`1. `, `a) `, `- `), emphasis markup kept."""
    return _LABEL.sub("", text, count=1)
_STRUCTURAL = re.compile(r"^(?:[IVXLC]+\.\s|Điều\s+\d+|\d+(?:\.\d+)*[.)/]\s|[a-zđ][).]\s|[-–—+•]\s?\S|\*\s?\S"
                         r"|(?:Chương|CHƯƠNG|Phần|PHẦN|Mục|MỤC)\s+[IVXLC\d]+\b|N[ơƠ]i\s+nh[ậẬ]n\b|Kính\s+gửi\b)")
_BASIS_LINE = re.compile(r"^(?:Căn cứ\b|(?:Theo|Xét)\s+(?:đề nghị|đề xuất|tờ trình|báo cáo)\b)", re.I)


def _fold_1to1(text: str) -> str:
    """`fold` keeping one character for each character, so that a match points into the original."""
    out = []
    for c in text:
        base = "".join(x for x in unicodedata.normalize("NFD", c.replace("đ", "d").replace("Đ", "D"))
                       if not unicodedata.combining(x)).upper()
        out.append(base[:1] if len(base) >= 1 else c)
    return "".join(out)


def split_fold_anchor(cell: str) -> tuple[str, str]:
    """A cell flattened from two columns, cut before its Quốc hiệu or Tiêu ngữ (or after one that
    starts it): `ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI …` -> (`ỦY BAN NHÂN DÂN`, `CỘNG HÒA XÃ HỘI …`)."""
    folded = _fold_1to1(cell)
    spans = sorted(m.span() for rx in _ANCHORS for m in rx.finditer(folded))
    spans += [m.span() for rx in _END_ANCHORS for m in rx.finditer(folded) if m.start() > 0]
    for start, end in sorted(spans):
        if start > 0:
            return cell[:start].strip(), cell[start:].strip()
        if end < len(cell) and cell[end:].strip():
            return cell[:end].strip(), cell[end:].strip()
    return cell, ""


@lru_cache(maxsize=1)
def _national_titles() -> list[tuple[str, str]]:
    from ..profile import available_profiles, load_profile

    names = ["decree30", *(n for n in available_profiles() if n != "decree30")]
    out = []
    for name in names:
        title = load_profile(name).header("national_title")
        if title:
            out.append((re.sub(r"[^A-Z]", "", fold(title)), name))
    out.append(("DOANTHANHNIENCONGSANHOCHIMINH", "youth-union"))
    return out


def national_title_of(text: str) -> str | None:
    """The family (profile name) whose national title `text` is (`CỘNG HÒA XàHỘI …` too), else None."""
    key = re.sub(r"[^A-Z]", "", fold(text))
    return next((name for title, name in _national_titles() if key == title), None) if key else None


def is_doc_type(text: str) -> bool:
    """A title line: it starts with a tên loại in capitals (`KẾ HOẠCH`, `K ÉT LUẬN` as OCR gives it)."""
    plain = " ".join(text.replace("**", "").split())
    key = fold(plain).replace(" ", "")
    for _, tkey in _TYPE_KEYS:
        if not key.startswith(tkey):
            continue
        n, end = 0, 0
        for end, c in enumerate(plain, 1):
            n += c != " "
            if n >= len(tkey):
                break
        if not plain[end:end + 1].isalpha() and is_upper(plain[:end]):
            return True
    return False


def is_action(text: str) -> bool:
    """The centred action line of a decision or resolution: `QUYẾT ĐỊNH:`, `QUYẾT NGHỊ:`."""
    return bool(_ACTION.match(" ".join(text.replace("**", "").split())))


def is_basis(text: str) -> bool:
    return bool(_BASIS_LINE.match(text.replace("**", "").lstrip("*").strip()))


def is_structural(text: str) -> bool:
    """A line that starts an element of its own: a Mục, Điều, khoản, điểm, dash line, Nơi nhận …"""
    return bool(_STRUCTURAL.match(text.replace("**", "").strip()))


def group_bodies(lines: list[str]) -> list[tuple[str, bool]]:
    """Header lines as issuing bodies: a line that does not begin a body's name continues the one
    above; with several bodies the first is the managing body (cơ quan chủ quản)."""
    groups: list[str] = []
    for line in lines:
        key = fold(line)
        starts = any(key == w or key.startswith(w + " ") or (key.startswith(w) and not key[len(w)].isalpha())
                     for w in _BODY_STARTS)
        if groups and (not starts or fold(groups[-1]) == "THU TUONG"):
            groups[-1] = f"{groups[-1]} {line}"
        else:
            groups.append(line)
    return [(g, len(groups) > 1 and k == 0) for k, g in enumerate(groups)]


@dataclass
class BodyLine:
    """A body paragraph with what its text alone does not say (read from a .docx): the whole line
    bold (a heading) or italic, centred; or a table or a picture in its place. `loose`: a line the
    layout map placed in no element (kept in its place as text)."""

    text: str = ""
    bold: bool = False
    italic: bool = False
    center: bool = False
    table: dict | None = None
    image: tuple | None = None  # (bytes, extension, width in cm)
    loose: bool = False
    extra: dict = field(default_factory=dict)  # caption
    known: bool = True  # False: plain text (a .txt line), whose weight and slant nobody knows


@dataclass
class AnnexSource:
    """A phụ lục or văn bản kèm theo after the signature: its heading, title lines, note, body."""

    heading: str | None = None
    title: list[str] = field(default_factory=list)
    note: str | None = None
    with_header: bool = False
    body: list = field(default_factory=list)


@dataclass
class Source:
    """The lines of an old dispatch, sorted by where they stood in it."""

    path: str
    bodies: list[tuple[str, bool]] = field(default_factory=list)  # (header line, is chủ quản)
    number_line: str | None = None
    date_line: str | None = None
    title: list[str] = field(default_factory=list)
    subject: str | None = None  # V/v … of a công văn
    urgency: str | None = None  # KHẨN, THƯỢNG KHẨN, HỎA TỐC (ô 10b)
    addressees: list[str] = field(default_factory=list)  # the Kính gửi lines as printed
    body: list[str] = field(default_factory=list)  # paragraphs, emphasis as **bold** / *italic*
    signers: list[list[str]] = field(default_factory=list)  # each block's lines, left to right
    recipients: list[str] = field(default_factory=list)
    unsorted: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was normalised or dropped on the way in
    review: list[str] = field(default_factory=list)  # what a person must look at
    national_title: str | None = None  # the family the header's national title shows (profile name)
    authority: str | None = None  # ô 5 of a decision: the thẩm quyền line under the title
    annex: list[str] = field(default_factory=list)  # a phụ lục or danh sách after the signature
    annexes: list[AnnexSource] = field(default_factory=list)  # phụ lục as a .docx shows them
    action: str | None = None  # QUYẾT ĐỊNH: as the layout map found it
    contact: list[str] = field(default_factory=list)  # ô 13: address, e-mail, telephone at the foot


@dataclass
class Parsed:
    data: dict
    unsorted: list[str]
    review: list[str]
    summary: list[str]
    files: dict[str, bytes] = field(default_factory=dict)  # pictures to write beside the data file


def _escape(text: str) -> str:
    """Braces are placeholders in our data: a literal brace is written twice."""
    return text.replace("{", "{{").replace("}", "}}")


def _initials(title: str) -> str:
    return "".join(w[0] for w in vn.upper(title).split() if w)


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


def split_symbol(sym: str, n_bodies: int, title: str) -> tuple[str | None, list[str]]:
    """Ký hiệu groups -> (type code, issuer codes): by the count of bodies in the header when
    known, else by Phụ lục III's list or the title's initials (PĐTĐ in PHÁT ĐỘNG … THI ĐUA)."""
    groups = [g for g in sym.split("-") if g]
    first = groups[0] if groups else ""
    is_type = len(groups) > 1 and (vn.upper(first) in TYPE_CODES or (
        bool(title) and _is_subsequence(vn.upper(first), _initials(title))))
    if n_bodies and len(groups) == n_bodies:
        return None, groups
    return (first, groups[1:]) if is_type else (None, groups)


_UNITS = ("TINH", "HUYEN", "XA", "PHUONG", "QUAN", "THANH PHO", "THI XA", "THI TRAN")


def _found(text: str, words: str) -> str | None:
    m = re.search(r"(?<!\w)" + re.escape(words) + r"(?!\w)", text, re.I)
    return m.group(0) if m and vn.upper(m.group(0)) == vn.upper(words) else None


def _case_from(text: str, upper_name: str) -> str:
    """The name as the running text writes it (`Cục Công Thương địa phương`), if it does; else its
    longest beginning the text writes (`Ủy ban nhân dân xã`) and, after an administrative unit, the
    place's name in title case (`Thượng Lâm`); else as the header prints it."""
    exact = _found(text, upper_name)
    if exact:
        return exact
    words = upper_name.split()
    for k in range(len(words) - 1, 1, -1):
        head = _found(text, " ".join(words[:k]))
        if head is None:
            continue
        rest = words[k:]
        unit = next((u for u in _UNITS if fold(" ".join(rest)).startswith(u + " ")), None)
        lead = [w.lower() for w in rest[: len(unit.split())]] if unit else []
        place = rest[len(lead):]
        if not (unit or any(fold(head).endswith(" " + u) for u in _UNITS)) or not place:
            return upper_name
        return " ".join([head, *lead, *(w[:1] + w[1:].lower() for w in place)])
    return upper_name


def _name_for(code: str, text: str) -> str | None:
    """`Cục Công Thương địa phương (Cục CTĐP)` defines the body whose code is CTĐP."""
    m = re.search(r"\((?:(\w+)\s+)?%s\)" % re.escape(code), text)
    if not m:
        return None
    before = text[: m.start()].rstrip()
    if m.group(1):
        k = before.rfind(m.group(1) + " ")
        return before[k:] if k >= 0 else None
    return None


def parse_target(core: str) -> Target | None:
    """`90% tập thể đạt …[, trong đó 20% …]` -> a Target that prints exactly `core`, else None."""
    m = _SHARE.match(core)
    data: dict
    if not m:
        data = {"text": core}
    else:
        main, *subs = m.group(2).split(_OF_WHICH)
        verb = _VERBS.search(" " + main)
        base, text = (main[: verb.start() - 1].strip() or None, main[verb.start():].strip()) if verb and verb.start() > 0 else (None, main)
        data = {"share": m.group(1), "base": base, "text": text, "of_which": []}
        for sub in subs:
            sm = _SHARE.match(sub)
            if not sm:
                return None
            data["of_which"].append({"share": sm.group(1), "text": sm.group(2)})
    try:
        target = Target.model_validate(data)
    except ValueError:
        return None
    return target if target_line(target, 2000, {}) == core else None


def _targets(lines: list[str]) -> list[Target] | None:
    """Dash lines that read as the target list (`;` after each, `.` after the last), else None."""
    out = []
    for k, line in enumerate(lines):
        end = "." if k == len(lines) - 1 else ";"
        if not line.endswith(end):
            return None
        target = parse_target(line[:-1])
        if target is None:
            return None
        out.append(target)
    return out if any(t.share is not None for t in out) else None


def _target_data(t: Target) -> dict:
    d: dict = {}
    if t.share is not None:
        d["share"] = vn.format_percent(t.share)
    if t.base:
        d["base"] = t.base
    d["text"] = t.text
    if t.of_which:
        d["of_which"] = [{"share": vn.format_percent(s.share), "text": s.text} for s in t.of_which]
    return d


class _Body:
    """The body state machine: opening, Mục with khoản / điểm / dash lines, closing."""

    def __init__(self, unsorted: list[str], review: list[str], blocks_in_opening: bool = False):
        self.opening: list = []
        self.blocks_in_opening = blocks_in_opening  # a phụ lục's text before its Mục may hold tables
        self.pending_division: dict | None = None  # a Chương / Mục line waiting for its title
        self.files: dict[str, bytes] = {}  # pictures, by the file name the data gives them
        self.opening_italic: list[bool | None] = []  # căn cứ lines are italic; None: not known
        self.action: str | None = None  # QUYẾT ĐỊNH: / QUYẾT NGHỊ:
        self.articles: list[dict] = []  # Điều, each with its khoản, điểm and paragraphs in order
        self.sections: list[dict] = []
        self.trailing: list[str] = []
        self.targets: list[dict] = []
        self.unsorted, self.review = unsorted, review

    def _item_lines_done(self) -> None:
        """Decide whether the dash lines of the last item are the target list."""
        if not self.sections or not self.sections[-1]["items"]:
            return
        item = self.sections[-1]["items"][-1]
        dashes = item.pop("_dashes", [])
        if not dashes:
            return
        targets = None if self.targets else _targets(dashes)
        if targets:
            self.targets = [_target_data(t) for t in targets]
            item["targets"] = True
        else:
            item["bullets"] = dashes

    def _flush_trailing(self, where: str) -> None:
        """Paragraphs after an item's first line belong to it, unless its lines came first (order)."""
        items = self.sections[-1]["items"] if self.sections else []
        if self.trailing and items and not items[-1].get("_dashes") and not items[-1].get("points") \
                and not items[-1].get("targets") and not items[-1].get("bullets"):
            items[-1].setdefault("paragraphs", []).extend(self.trailing)
            self.trailing = []
            return
        if self.trailing and self.sections and not any(i.get("targets") for i in self.sections[-1]["items"]):
            self.sections[-1]["special"] = True  # written out in order as `content`
            self.trailing = []
        for t in self.trailing:
            self.unsorted.append(f"{where}: {t}")
        if self.trailing:
            self.review.append(f"{len(self.trailing)} paragraph(s) between numbered items could not be placed (see unsorted)")
        self.trailing = []

    def _heading(self, text: str, plain: str, bold: bool) -> None:
        """A Mục: `I. …` (or a bold line, `1. …` or unlabelled); its labels are read when all are known."""
        self._item_lines_done()
        self._flush_trailing(f"before Mục {len(self.sections) + 1}")
        label, typed = None, text
        for kind, rx in (("roman", _ROMAN), ("arabic", _CLAUSE)):
            m = rx.match(plain)
            if m and (kind != "roman" or m.group(1) in _ROMANS):
                label = (kind, _ROMANS[m.group(1)] if kind == "roman" else int(m.group(1)))
                text = re.sub(r"^(\**)(?:[IVXLC]+|\d+)\.\s+", r"\1", text, count=1)
                break
        self.sections.append({"heading": text, "label": label, "typed": typed, "paragraphs": [], "items": [], "numbering": None, "raw": [], "special": False,
                              "bold": bold})

    def _section_style(self) -> str | None:
        """How the Mục are labelled: Roman (the default), Arabic when every heading is `1.`, `2.` … in
        order, else none (each heading keeps the label it was typed with)."""
        labels = [sec["label"] for sec in self.sections]
        if not labels or all(lb and lb[0] == "roman" for lb in labels):
            for k, lb in enumerate(labels, 1):
                if lb[1] != k:
                    self.review.append(f"Mục {vn.roman(lb[1])} is number {k}: it will be renumbered")
            return None
        if all(lb and lb[0] == "arabic" for lb in labels) and [lb[1] for lb in labels] == list(range(1, len(labels) + 1)):
            return "arabic"
        for sec in self.sections:
            sec["heading"] = sec["typed"]
        return "none"

    def _block(self, line: BodyLine) -> None:
        """A table or a picture, in the Điều, Mục or phụ lục text it stands in."""
        if line.table is not None:
            block = {"table": {**line.table, **({"caption": _escape(line.extra["caption"])} if line.extra.get("caption") else {})}}
        else:
            data, ext, width = line.image
            name = f"hinh-{len(self.files) + 1}.{ext}"
            self.files[name] = data
            block = {"image": {"path": name, "width_cm": width,
                               **({"caption": _escape(line.extra["caption"])} if line.extra.get("caption") else {})}}
        if self.articles and not self.sections:
            self._article_line("", block)
        elif self.sections:
            self.sections[-1]["raw"].append(block)
            self.sections[-1]["special"] = True
        elif self.blocks_in_opening:
            self.opening.append(block)
            self.opening_italic.append(None)
        else:
            what = "table" if line.table is not None else "picture"
            self.unsorted.append(f"{what} before the first Mục: {block}")
            self.review.append(f"a {what} before the first Mục cannot be placed in `opening` (see unsorted)")

    def _article_line(self, text: str, block: dict | None = None) -> None:
        """A line inside a Điều: a khoản (`1.`), a điểm (`a)`) under it, a dash line, a sub-head, a
        paragraph, a table; a khoản or điểm whose number the data would not give again stays as typed."""
        article = self.articles[-1]
        if "content" not in article:  # a Chương / Mục heading: text under it before any Điều
            self.unsorted.append(f"under {article.get('chapter') or article.get('part')}: {text or block}")
            self.review.append(f"text under {article.get('chapter') or article.get('part')} before its first Điều (see unsorted)")
            return
        content = article["content"]
        last = content[-1] if content and isinstance(content[-1], dict) and "item" in content[-1] else None
        if block is not None:
            (last["content"] if last is not None else content).append(block)
            return
        plain = text.replace("**", "").replace("\\*", "*")
        m = _CLAUSE.match(plain)
        n_items = sum(1 for c in content if isinstance(c, dict) and "item" in c)
        if m and int(m.group(1)) == n_items + 1:
            content.append({"item": _label_off(text), "content": []})
            return
        m = _POINT.match(plain)
        if m and last is not None and vn.letter(len([c for c in last["content"] if isinstance(c, dict) and "item" in c]) + 1) == m.group(1):
            last["content"].append({"item": _label_off(text)})
            return
        if m is None and last is not None and re.match(r"^([a-zđ])\.\s+(.*)$", plain, re.S):
            self.review.append(f"điểm {plain[:20]!r}… is typed `a.`: kept as typed")
        m = _DASH.match(plain)
        if m and not text.startswith("\\"):
            (last["content"] if last is not None else content).append({"bullet": _label_off(text)})
            return
        if plain.startswith("+ "):
            (last["content"] if last is not None else content).append({"plus": _label_off(text)})
            return
        if plain.startswith("* "):
            content.append({"subhead": plain})
            return
        (last["content"] if last is not None else content).append(text)

    def add(self, entry) -> None:
        line = entry if isinstance(entry, BodyLine) else BodyLine(entry, known=False)
        if line.table is not None or line.image is not None:
            self._block(line)
            return
        text = line.text
        plain = text.replace("**", "").replace("\\*", "*")
        if self.pending_division is not None:
            self.pending_division["title"] = plain if is_upper(plain) else text
            self.pending_division = None
            return
        if not self.sections and _DIVISION.match(plain.strip()):
            key = "chapter" if fold(plain).startswith(("CHUONG", "PHAN")) else "part"
            self.pending_division = {key: plain.strip(), "title": None}
            self.articles.append(self.pending_division)
            return
        if line.bold and not line.center and not plain.startswith("* ") and not _ARTICLE.match(plain.strip()) \
                and not (is_action(plain) and not self.articles) and not self.articles:
            self._heading(text, plain, bold=True)
            return
        m = _ROMAN.match(plain)
        if m and m.group(1) in _ROMANS and not text.startswith("*") and not (self.articles and not self.sections) \
                and (line.bold or not line.known):
            self._heading(text, plain, bold=line.bold)
            return
        if self.sections:
            self.sections[-1]["raw"].append(text)
        if self.sections and (plain.startswith(("* ", "+ ")) or line.loose):
            self.sections[-1]["special"] = True
        if not self.sections:
            if is_action(plain) and self.action is None and not self.articles:
                self.action = " ".join(plain.split())
                return
            m = _ARTICLE.match(plain.strip())
            if m:
                self.articles.append({"n": int(m.group(1)), "article": m.group(2).strip(), "content": []})
                return
            if self.articles:
                self._article_line(text)
                return
        if not self.sections:
            self.opening.append(text)
            self.opening_italic.append(line.italic if line.known else None)
            return
        sec = self.sections[-1]
        items = sec["items"]
        for pattern, kind in ((_CLAUSE, "arabic"), (_POINT, "letters"), (_DASH, "dash")):
            m = pattern.match(text)
            if not m:
                continue
            if items and kind in ("letters", "dash") and sec["numbering"] == "arabic" and not self.trailing:
                item = items[-1]
                if kind == "dash":
                    item.setdefault("_dashes", []).append(m.group(1))
                else:
                    if vn.letter(len(item.get("points", [])) + 1) != m.group(1):
                        sec["special"] = True
                    item.setdefault("points", []).append(m.group(2))
                return
            if sec["numbering"] not in (None, kind):
                break
            self._item_lines_done()
            self._flush_trailing(f"Mục {vn.roman(len(self.sections))}")
            sec["numbering"] = kind
            body = m.group(2) if kind != "dash" else m.group(1)
            if kind == "arabic" and int(m.group(1)) != len(items) + 1:
                sec["special"] = True  # its labels stay as typed, in `content`
            if kind == "letters" and vn.letter(len(items) + 1) != m.group(1):
                sec["special"] = True
            items.append({"text": body})
            return
        if items:
            self.trailing.append(text)
        else:
            sec["paragraphs"].append(text)

    def finish(self) -> tuple[list, list, list, list]:
        self._item_lines_done()
        items = self.sections[-1]["items"] if self.sections else []
        if self.trailing and items and not any(isinstance(t, str) and t.rstrip("* ").endswith("./.") for t in self.trailing) \
                and not any(items[-1].get(k) for k in ("_dashes", "points", "targets", "bullets")):
            items[-1].setdefault("paragraphs", []).extend(self.trailing)  # no `./.`: the last item's own text
            self.trailing = []
        closing = self.trailing
        self.trailing = []
        if not closing:
            if self.sections and not self.sections[-1]["items"] and self.sections[-1]["paragraphs"] \
                    and self.sections[-1]["paragraphs"][-1].rstrip().endswith("./."):
                closing = [self.sections[-1]["paragraphs"].pop()]
            elif not self.sections and len(self.opening) > 1 and isinstance(self.opening[-1], str) \
                    and self.opening[-1].rstrip().endswith("./."):
                closing = [self.opening.pop()]
        self.section_style = self._section_style()
        if closing and self.sections and self.sections[-1]["raw"][-len(closing):] == closing:
            del self.sections[-1]["raw"][-len(closing):]
        sections = []
        for index, sec in enumerate(self.sections, 1):
            if sec["special"] and not any(i.get("targets") for i in sec["items"]):
                sections.append(_content_section(sec, index, self.review))
                continue
            out: dict = {"heading": sec["heading"]}
            if sec["paragraphs"]:
                out["paragraphs"] = sec["paragraphs"]
            plain_dashes = sec["numbering"] == "dash" and all(set(i) == {"text"} for i in sec["items"])
            targets = None if self.targets or not plain_dashes else _targets([i["text"] for i in sec["items"]])
            if targets:
                self.targets = [_target_data(t) for t in targets]
                out["targets"] = True
                sec = {**sec, "items": [], "numbering": None}
            if sec["numbering"] not in (None, "arabic"):
                out["numbering"] = sec["numbering"]
            items = []
            for item in sec["items"]:
                extra = {k: v for k, v in item.items() if k != "text"}
                items.append({"text": item["text"], **extra} if extra else item["text"])
            if items:
                out["items"] = items
            sections.append(out)
        return self.opening, sections, self.targets, closing


def _content_section(sec: dict, index: int, review: list[str]) -> dict:
    """A Mục written out in order as `content`: sub-heads, items (numbered as typed: a label the data
    would not give again stays in the text), điểm, dash and `+` lines, paragraphs, tables, pictures."""
    blocks, style, restart = content_blocks(sec["raw"], (index,))
    shares = [t for t in sec["raw"] if isinstance(t, str) and _DASH.match(t) and _SHARE.match(_DASH.match(t).group(1))]
    if shares:
        review.append(f"Mục {index}: {len(shares)} line(s) with a share ({shares[0][:40]!r}…) kept as typed lines, "
                      "not as `targets` (other text stands among them)")
    out: dict = {"heading": sec["heading"]}
    if style not in (None, "arabic"):
        out["numbering"] = style
    if restart:
        out["restart"] = restart
    out["content"] = blocks
    return out


def content_blocks(raw: list, parents: tuple[int, ...] = ()) -> tuple[list, str | None, str | None]:
    """Lines (and table / picture blocks) -> `content` blocks, the items' numbering style, and the
    restart rule the labels show (`group`: items start again at 1 after each sub-head)."""
    blocks: list = []
    item: dict | None = None
    style = restart = None
    n = 0
    after_subhead = False
    for entry in raw:
        if isinstance(entry, dict):
            (item["content"] if item is not None else blocks).append(entry)
            continue
        text = entry
        plain = text.replace("**", "").replace("\\*", "*")
        if plain.startswith("* "):
            blocks.append({"subhead": plain})
            item, after_subhead = None, True
            continue
        kind = number = None
        m = _DECIMAL.match(plain)
        if _ROMAN.match(plain) and _ROMAN.match(plain).group(1) in _ROMANS:
            kind, number = "roman", _ROMANS[_ROMAN.match(plain).group(1)]
        elif m:
            *head, last = m.group(1).split(".")
            kind, number = "decimal", int(last)
            if tuple(int(h) for h in head) != parents:
                kind = None
        elif _CLAUSE.match(plain):
            kind, number = "arabic", int(_CLAUSE.match(plain).group(1))
        elif _POINT.match(plain):
            kind, number = "letters", next((k for k in range(1, 60) if vn.letter(k) == _POINT.match(plain).group(1)), None)
        if kind is not None and style is None and kind != "letters" or (kind == "letters" and style is None and item is None):
            style = kind
        if kind is not None and kind == style:
            if number == n + 1:
                n = number
            elif number == 1 and after_subhead and restart in (None, "group") and n > 0:
                restart, n = "group", 1
            else:
                (item["content"] if item is not None else blocks).append(text)
                continue
            item = {"item": _label_off(text) if kind != "roman" else re.sub(r"^(\**)[IVXLC]+\.\s+", r"\1", text), "content": []}
            blocks.append(item)
            after_subhead = False
            continue
        if kind == "letters" and item is not None:
            points = [c for c in item["content"] if isinstance(c, dict) and "item" in c]
            if number == len(points) + 1:
                item["content"].append({"item": _label_off(text)})
                continue
        where = item["content"] if item is not None else blocks
        if _DASH.match(plain) and not text.startswith("\\"):
            where.append({"bullet": _label_off(text)})
        elif plain.startswith("+ "):
            where.append({"plus": _label_off(text)})
        else:
            where.append(text)
    for b in blocks:
        if isinstance(b, dict) and "item" in b and not b["content"]:
            del b["content"]
    return blocks, style, restart


_NOTE_LINE = re.compile(r"^\(.*\)$")


def _signer(lines: list[str], unsorted: list[str], review: list[str]) -> dict:
    """A signature block's lines -> authority lines, position, note (`(Đã ký)`) and name."""
    lines = [" ".join(line.replace("**", "").split()) for line in lines if line.strip()]
    notes = [line for line in lines if _NOTE_LINE.match(line)]
    lines = [line for line in lines if not _NOTE_LINE.match(line)]
    name = None
    if lines and any(c.islower() for c in lines[-1]):
        name = lines.pop()
    signer: dict = {}
    auth = [_AUTH.match(line) for line in lines]
    if lines and auth[-1] and len(lines) == 1:
        review.append(f"signer {lines[0]!r}: the copy has no position line under it")
        position = "?"
    elif lines:
        position = lines.pop()
        auth = auth[:len(lines)]
    else:
        review.append(f"signer {name!r}: no position found")
        position = "?"
    placed = [m for m in auth if m]
    for line, m in zip(lines, auth):
        if not m:
            unsorted.append(f"signature: {line}")
            review.append(f"signature line {line!r} has no authority prefix (TM., KT., …)")
    if placed:
        signer["authority"], signer["for"] = placed[0].group(1), placed[0].group(2)
    if len(placed) > 1:
        signer["then_authority"], signer["then_for"] = placed[1].group(1), placed[1].group(2)
    signer["position"] = position
    if notes:
        signer["note"] = notes[0]
        for note in notes[1:]:
            unsorted.append(f"signature: {note}")
            review.append(f"signature note {note!r} could not be placed (see unsorted)")
    if name is None:
        review.append(f"signer {position!r}: no name found")
    signer["name"] = name or ""
    return signer


def _number_summary(number, type_code, issuers, drafting_unit) -> str:
    try:
        return vn.number_line(number, vn.symbol(type_code, [i["code"] for i in issuers] + ([drafting_unit] if drafting_unit else [])))
    except ValueError as exc:
        return f"— ({exc})"


def _block(b) -> dict | str:
    """A line under a Điều as a body entry: a paragraph (plain text), a dash line or an item with its own."""
    if isinstance(b, str):
        return b
    if "bullet" in b:
        return {"bullet": b["bullet"]}
    out: dict = {"item": b["item"]}
    if b.get("content"):
        out["content"] = [_block(c) for c in b["content"]]
    if b.get("numbering"):
        out["numbering"] = b["numbering"]
    return out


def _articles(articles: list[dict], review: list[str]) -> list[dict]:
    out = []
    k = 0
    for a in articles:
        if "content" not in a:  # Chương / Mục and its title
            key = "chapter" if "chapter" in a else "part"
            out.append({key: a[key], "title": a["title"] or "…"})
            if not a["title"]:
                review.append(f"{a[key]} has no title line")
            continue
        k += 1
        if a["n"] != k:
            review.append(f"Điều {a['n']} is article {k}: it will be renumbered")
        entry: dict = {"article": a["article"] or "…"}
        if not a["article"]:
            review.append(f"Điều {a['n']} has no text on its line")
        if a["content"]:
            entry["content"] = [_block(b) for b in a["content"]]
        out.append(entry)
    return out


_ANNEX_NOTE = re.compile(r"^\((?:Ban hành\s+)?[Kk]èm theo\b.*\)$")


def _annex(lines: list[str]) -> dict | None:
    """A phụ lục or danh sách after the signature: its tên loại, title lines, its `(Kèm theo …)` line
    as typed, then entries."""
    plain = [" ".join(x.replace("**", "").split()) for x in lines]
    if not plain:
        return None
    head, k = plain[0], 1
    title = []
    while k < len(plain) and is_upper(plain[k]) and not is_structural(plain[k]):
        title.append(plain[k])
        k += 1
    annex: dict = {"title": " ".join(title) or head}
    if fold(head).startswith("PHU LUC"):
        annex["heading"] = head
    else:
        annex["doc_type"] = head
    content: list = []
    for line in plain[k:]:
        if _ANNEX_NOTE.match(line) and "note" not in annex and not content:
            annex["note"] = line
            continue
        m = _CLAUSE.match(line)
        content.append({"item": m.group(2)} if m else line)
    if content:
        annex["content"] = content
    return annex


# Tên loại -> the kind (render/kinds.py) whose model has that document's own parts.
_KIND_OF_TITLE = (("NGHI QUYET", "nghi-quyet"), ("QUYET DINH", "quyet-dinh-ca-biet"), ("CONG DIEN", "cong-dien"),
                  ("GIAY MOI", "giay-moi"), ("GIAY GIOI THIEU", "giay-gioi-thieu"), ("BIEN BAN", "bien-ban"),
                  ("GIAY NGHI PHEP", "giay-nghi-phep"), ("PHAT DONG", "phat-dong"))


def _kind_for(title: str, data: dict) -> str:
    """The kind the document is built with, from what was read: a decision or resolution with Điều,
    a kind with its own model by its tên loại (công điện also by its `… điện:` line), else a văn bản
    (có tên loại, or a công văn)."""
    key = fold(title or "")
    if data.get("articles"):
        return "nghi-quyet" if key.startswith("NGHI QUYET") else "quyet-dinh-ca-biet"
    if data.get("telegram_to"):
        return "cong-dien"
    kind = next((kind for head, kind in _KIND_OF_TITLE if key.startswith(head)), "van-ban")
    if kind == "van-ban" and not data.get("closing") and not _ends_closed(data):
        return "phat-dong"  # its text has no closing `./.`, which a `van-ban` would add: printed as typed
    return kind


def _ends_closed(data: dict) -> bool:
    """Whether the last line of the text (before the signature) ends with `./.`."""
    last = None

    def walk(value):
        nonlocal last
        if isinstance(value, str):
            last = value
        elif isinstance(value, dict):
            for k in ("heading", "text", "item", "paragraph", "bullet", "plus", "subhead", "paragraphs", "bullets",
                      "points", "items", "content"):
                if k in value:
                    walk(value[k])
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(data.get("opening"))
    walk(data.get("sections"))
    return bool(last) and last.rstrip("* ").endswith("./.")


def _slug(title: str, year: int) -> str:
    return vn.to_ascii(f"{title} {year}").lower().replace(".", "-")[:60].strip("-")


@dataclass
class _Notes:
    """What parsing could not place (`unsorted`) and what a person must look at (`review`)."""

    unsorted: list[str]
    review: list[str]


def _title_parts(src: Source, notes: _Notes) -> tuple[str, str | None, str | None]:
    """Tên loại, trích yếu (a title line may hold both: `PHÁT ĐỘNG PHONG TRÀO THI ĐUA Năm 2024`) and V/v."""
    title_lines = [t.replace("**", "").strip() for t in src.title if t.strip()]
    title, subtitle = (title_lines[0] if title_lines else ""), " ".join(title_lines[1:]) or None
    if title and not vn.upper(title) == title:
        words = title.split()
        k = next((i for i, w in enumerate(words) if vn.upper(w) != w), len(words))
        title, rest = " ".join(words[:k]), " ".join(words[k:])
        subtitle = " ".join(x for x in (rest, subtitle) if x) or None
    subject = re.sub(r"^V/v\s*", "", " ".join(src.subject.split())) if src.subject else None
    if not title and not subject:
        notes.review.append("no tên loại found: `title` is a guess")
        title = "VĂN BẢN"
    return title, subtitle, subject


def _addressee_names(src: Source) -> list[str]:
    out = []
    for line in src.addressees:
        line = " ".join(line.split())
        m = re.match(r"^Kính gửi\s*:?\s*(.*)$", line)
        text = (m.group(1) if m else re.sub(r"^[-–]\s*", "", line)).rstrip(" ;.")
        if text:
            out.append(text)
    return out


@dataclass
class _Number:
    number: int | None = None
    type_code: str | None = None
    codes: list[str] = field(default_factory=list)
    drafting_unit: str | None = None


def _number(src: Source, title: str, notes: _Notes) -> _Number:
    """Số and ký hiệu: type code, issuer codes (as many as the header has bodies), drafting unit."""
    out = _Number()
    if not src.number_line:
        notes.review.append("no `Số:` line: number and ký hiệu unknown")
        return out
    m = _NUMBER.match(" ".join(src.number_line.replace("**", "").split()))
    if not m:
        notes.unsorted.append(f"header: {src.number_line}")
        notes.review.append(f"number line {src.number_line!r} not understood")
        return out
    n_bodies = sum(1 for _, parent in src.bodies if not parent)
    out.number = int(m.group("num")) if m.group("num") else None
    sym = re.sub(r"\s*([-/])\s*", r"\1", m.group("sym")).strip()
    if "/" in sym:  # Party and Đoàn: `QĐ/TWĐTN-VP`, the type code before the slash
        out.type_code, rest = sym.split("/", 1)
        out.codes = [g for g in rest.split("-") if g]
    else:
        out.type_code, out.codes = split_symbol(sym, n_bodies, title)
    if not out.type_code and len(out.codes) == 1 and fold(title).startswith(DECISION_TYPES):
        code = out.codes[0]
        glued = next((t for t in sorted(TYPE_CODES, key=len, reverse=True)
                      if code.startswith(t) and len(code) > len(t) + 1), None)
        if glued:  # `1961/QĐUBND`: the copy lost the dash between type and body
            notes.review.append(f"ký hiệu {sym!r} read as {glued}-{code[len(glued):]} (the copy lost a dash)")
            out.type_code, out.codes = glued, [code[len(glued):]]
    if n_bodies and len(out.codes) > n_bodies:
        out.drafting_unit, out.codes = "-".join(out.codes[n_bodies:]), out.codes[:n_bodies]
    bad = [c for c in [out.type_code, out.drafting_unit, *out.codes] if c and re.search(r"[\s/]", c)]
    if bad or (out.number is not None and out.number > 99999):
        notes.unsorted.append(f"header: {src.number_line}")
        notes.review.append(f"number line {src.number_line!r} not understood (see unsorted)")
        return _Number()
    return out


def _issuers(src: Source, codes: list[str], notes: _Notes) -> list[dict]:
    """Issuing bodies from the header (names in the running text's case), codes from the ký hiệu."""
    body_text = " ".join(e if isinstance(e, str) else e.text for e in src.body)
    issuers: list[dict] = []
    parent = None
    for text, is_parent in src.bodies:
        if is_parent:
            parent = _case_from(body_text, text)
            continue
        issuer = {"name": _case_from(body_text, text)}
        if parent:
            issuer["parent"] = parent
        parent = None
        issuers.append(issuer)
    for i, issuer in enumerate(issuers):
        issuer["code"] = codes[i] if i < len(codes) else None
    for code in codes[len(issuers):]:
        name = _name_for(code, body_text)
        if name is None:
            notes.review.append(f"issuer {code}: full name not found, `name` set to the code")
        issuers.append({"name": name or code, "code": code})
    for issuer in issuers:
        if issuer["code"] is None:
            issuer["code"] = "".join(w[0] for w in vn.upper(issuer["name"]).split() if w[0].isalnum())[:10] or "?"
            notes.review.append(f"issuer {issuer['name']!r}: no code in the ký hiệu, `code` guessed")
    if not issuers:
        notes.review.append("no issuing body found")
        issuers = [{"name": "?", "code": "?"}]
    return [{k: issuer[k] for k in ("name", "code", "parent") if issuer.get(k)} for issuer in issuers]


def _place_date(src: Source, notes: _Notes) -> tuple[str, dt.date | None, int]:
    place, date, year = None, None, None
    if src.date_line:
        m = _DATE.match(" ".join(src.date_line.split()))
        if m:
            place, year = m.group("place").strip(), int(m.group("y"))
            if m.group("d") and m.group("m"):
                try:
                    date = dt.date(year, int(m.group("m")), int(m.group("d")))
                except ValueError:
                    notes.review.append(f"date line {src.date_line!r}: no such date")
        else:
            notes.unsorted.append(f"header: {src.date_line}")
    if place is None:
        notes.review.append("no place and date found")
        place = "?"
    if year is None:
        year = dt.date.today().year
        notes.review.append(f"year unknown: set to {year}")
    return place, date, year


def _telegram(entries: list, data: dict) -> list:
    """A công điện's `<sender> điện:` line and the `- X;` lines of whom it goes to (mẫu 1.6), before its text."""
    for k, entry in enumerate(entries[:3]):
        text = entry if isinstance(entry, str) else entry.text
        plain = " ".join(text.replace("**", "").split())
        if not plain.endswith(" điện:"):
            continue
        lines = entry.extra.get("telegram") if isinstance(entry, BodyLine) else None
        end = k + 1
        if not lines:
            lines = []
            while end < len(entries) and isinstance(entries[end], str) and _DASH.match(entries[end]):
                lines.append(entries[end])
                end += 1
        if not lines:
            return entries
        sender = plain[: -len(" điện:")]
        lead = data["issuers"][0]["name"] if data.get("issuers") else ""
        if fold(sender) != fold(lead):
            data["authority"] = sender
        data["telegram_to"] = [re.sub(r"^[-–—]\s*", "", t).rstrip(" ;.") for t in lines]
        return entries[:k] + entries[end:]
    return entries


def _escaped(entry):
    if isinstance(entry, BodyLine):
        return BodyLine(_escape(entry.text), entry.bold, entry.italic, entry.center, entry.table, entry.image,
                        entry.loose, entry.extra)
    return _escape(entry)


def _body(src: Source, data: dict, notes: _Notes) -> _Body:
    """Căn cứ, the thẩm quyền line, opening, Mục and khoản, QUYẾT ĐỊNH: and Điều, targets, closing."""
    body = _Body(notes.unsorted, notes.review)
    entries = _telegram(list(src.body), data)
    for entry in entries:
        body.add(_escaped(entry))
    opening, sections, targets, closing = body.finish()
    if src.action and not body.action:
        body.action = " ".join(src.action.split())
    if body.section_style:
        data["numbering"] = {"sections": body.section_style}
    basis = []
    italic = list(body.opening_italic)
    while opening and _BASIS.match(opening[0].replace("**", "")) and not opening[0].rstrip("* ").endswith(":") \
            and not (italic and italic[0] is False and opening[0].rstrip("* ").endswith(".")):
        # an upright `Căn cứ …, Ban … xây dựng kế hoạch như sau.` opens the text (căn cứ lines are italic)
        basis.append(opening.pop(0))
        italic = italic[1:]  # `Căn cứ …, Phòng … hướng dẫn như sau:` opens the text: not a căn cứ line
    if basis and re.match(r"^(Xét|Theo)\s+đề nghị", basis[-1].replace("**", "")):
        data["proposal"] = basis.pop()
    if src.authority:
        data["authority"] = src.authority
    if basis:
        data["legal_basis"] = basis
    if body.action:
        data["action"] = body.action
    if body.articles:
        data["articles"] = _articles(body.articles, notes.review)
    data["opening"] = opening
    data["sections"] = sections
    if targets:
        data["targets"] = targets
    data["closing"] = closing
    return body


def _signers(src: Source, issuers: list[dict], lead_position: str, notes: _Notes) -> list[dict]:
    """Signature blocks; in a joint document each names its issuing body (the lead signs on `lead_position`)."""
    signers = [_signer(block, notes.unsorted, notes.review) for block in src.signers if any(x.strip() for x in block)]
    if len(signers) == 2 and len(issuers) == 2:
        lead, other = issuers[0]["code"], issuers[1]["code"]
        left, right = signers
        (right if lead_position == "right" else left)["issuer"] = lead
        (left if lead_position == "right" else right)["issuer"] = other
        signers = [{"issuer": s.pop("issuer"), **s} for s in signers]
    if not signers:
        notes.review.append("no signature block found")
        signers = [{"position": "?", "name": ""}]
    return signers


def _recipients(src: Source, data: dict, notes: _Notes) -> tuple[list, list[str]]:
    """Nơi nhận lines (with `(để b/c)` purposes), the `Lưu:` units and the drafter's mark under them."""
    recipients: list = []
    archive: list[str] = []
    for line in src.recipients:
        line = " ".join(line.split())
        m = _ARCHIVE.match(line)
        if m:
            archive = [u.strip() for u in m.group("units").split(",") if u.strip()]
            continue
        if archive and _DRAFTER.match(line):
            data["drafter_mark"] = line
            continue
        m = _RECIPIENT.match(line)
        if m and m.group("name"):
            recipients.append({"name": m.group("name"), "purpose": m.group("purpose")} if m.group("purpose") else m.group("name"))
        else:
            notes.unsorted.append(f"Nơi nhận: {line}")
    if not recipients:
        notes.review.append("no recipients found")
        recipients = ["?"]
    if not archive:
        notes.review.append("no `Lưu:` line: archive set to VT")
        archive = ["VT"]
    return recipients, archive


def _annex_of(part: AnnexSource, notes: _Notes, files: dict) -> dict:
    """A phụ lục read from a .docx: heading, title, note as typed; its text, Mục, Điều and tables."""
    body = _Body(notes.unsorted, notes.review, blocks_in_opening=True)
    for entry in part.body:
        body.add(_escaped(entry))
    content, sections, _, closing = body.finish()
    files.update({k: v for k, v in body.files.items()})
    title = [" ".join(t.split()) for t in part.title]
    annex: dict = {}
    if part.heading:
        annex["heading"] = part.heading
        annex["title"] = _escape(" ".join(title)) or "…"
    else:
        annex["doc_type"] = title[0] if title else "…"
        annex["title"] = _escape(" ".join(title[1:])) or "…"
    if part.with_header:
        annex["with_header"] = True
    if part.note:
        annex["note"] = _escape(part.note)
    articles = _articles(body.articles, notes.review) if body.articles else []
    if closing:
        if articles and "article" in articles[-1]:
            articles[-1].setdefault("content", []).extend(closing)
        elif sections:
            sections[-1].setdefault("content", []).extend(closing)
        else:
            content.extend(closing)
    if content:
        blocks, style, restart = content_blocks(content)
        if style not in (None, "arabic") or restart:
            annex["content"] = blocks
            annex["_raw"] = content
            annex["_numbering"] = {"items": style} if style not in (None, "arabic") else {}
            if restart:
                annex["_numbering"]["restart"] = restart
        else:
            annex["content"] = blocks
    if sections:
        annex["sections"] = sections
        if body.section_style:
            notes.review.append(f"phụ lục {annex.get('heading') or annex['title']!r}: its Mục are not labelled I., II. …")
    if articles:
        annex["articles"] = articles
    return annex


def _annexes(src: Source, data: dict, notes: _Notes, files: dict) -> None:
    if src.annexes:
        data["annexes"] = [_annex_of(part, notes, files) for part in src.annexes]
        return
    if not src.annex:
        return
    annex = _annex(src.annex)
    if annex:
        data["annexes"] = [annex]


def parse(src: Source, lead_position: str = "right", profile: str = "decree30") -> Parsed:
    """Recognise the dispatch in `src`; return data for our model, what is unsorted and what to review.

    One function per element, in the order the data file lists them."""
    from ..profile import load_profile

    notes = _Notes(list(src.unsorted), list(src.review))
    data: dict = {}
    title, subtitle, subject = _title_parts(src, notes)
    addressees = _addressee_names(src)
    num = _number(src, title, notes)
    data["issuers"] = _issuers(src, num.codes, notes)
    if not num.type_code and load_profile(profile).type_required:
        num.type_code = type_code_of(title) or ("CV" if subject else "?")
        notes.review.append(f"the {profile} ký hiệu needs a type code: {num.type_code!r} taken from the title")
    if num.type_code:
        data["type_code"] = num.type_code
    if num.drafting_unit:
        data["drafting_unit"] = num.drafting_unit
    data["number"] = num.number
    place, date, year = _place_date(src, notes)
    data.update(place=place, date=date, year=year)
    if title:
        data["title"] = title
    if subtitle:
        data["subtitle"] = _escape(subtitle)
    if subject:
        data["subject"] = _escape(subject)
    if addressees:
        data["addressees"] = addressees
    if src.urgency:
        data["urgency"] = src.urgency
    body = _body(src, data, notes)
    data["signers"] = _signers(src, data["issuers"], lead_position, notes)
    data["recipients"], data["archive"] = _recipients(src, data, notes)
    if src.contact:
        data["contact"] = [_escape(" ".join(line.split())) for line in src.contact]
    files = dict(body.files)
    _annexes(src, data, notes, files)
    for annex in data.get("annexes", []):
        want, raw = annex.pop("_numbering", None), annex.pop("_raw", None)
        if want is None:
            continue
        numbering = data.setdefault("numbering", {})
        if not data["sections"] and all(numbering.get(k, v) == v for k, v in want.items()):
            numbering.update(want)  # the phụ lục's items are numbered by the document's list style
        else:
            annex["content"] = raw
            notes.review.append(f"phụ lục {annex['title'][:40]!r}: its items are numbered unlike the document's: labels kept as typed")
    if not data.get("numbering"):
        data.pop("numbering", None)

    ordered = {"id": _slug(title or subject or "van-ban", year),
               "template": _kind_for(data.get("title"), data)}
    if profile != "decree30":
        ordered["profile"] = profile
    ordered.update(data)
    return Parsed(ordered, notes.unsorted, notes.review, list(src.notes) + _summary(data, num, body, len(notes.unsorted)),
                  files)


def _summary(data: dict, num: _Number, body: _Body, n_unsorted: int) -> list[str]:
    sections, targets = data["sections"], data.get("targets", [])
    n_items = sum(len(s.get("items", [])) for s in sections)
    date, year, subtitle, subject = data["date"], data["year"], data.get("subtitle"), data.get("subject")
    return [
        f"issuing bodies: {', '.join(i['code'] for i in data['issuers'])}",
        f"number: {_number_summary(num.number, num.type_code, data['issuers'], num.drafting_unit) if num.codes else '—'}",
        f"place and date: {data['place']}, {date.isoformat() if date else f'(draft) {year}'}",
        f"title: {data.get('title') or '—'}" + (f" / {subtitle}" if subtitle else "") + (f"; V/v {subject}" if subject else ""),
        f"addressees (Kính gửi): {len(data.get('addressees', []))}",
        f"căn cứ: {len(data.get('legal_basis', []))} line(s)",
        f"opening: {len(data['opening'])} paragraph(s); sections: {len(sections)} with {n_items} item(s); "
        f"closing: {len(data['closing'])}",
        f"Điều: {len(body.articles)}" + (f" after {body.action!r}" if body.action else ""),
        f"targets: {len(targets)} ({sum(1 for t in targets if 'share' in t)} with a share)",
        f"signers: {len(data['signers'])} ({'; '.join(s['name'] or '(no name)' for s in data['signers'])})",
        f"recipients: {len(data['recipients'])} + Lưu: {', '.join(data['archive'])}",
        f"unsorted: {n_unsorted} line(s)",
    ]
