"""Findings and reports: what `check` says about a document, with stable rule codes.

A rule code never changes meaning once published (scripts filter on them), so every code and its
default severity is listed here, in one table that the CLI can print.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

ERROR, WARNING, INFO = "error", "warning", "info"

RULES: dict[str, tuple[str, str]] = {
    "PAGE-001": (ERROR, "paper size is A4, portrait (a certificate: landscape)"),
    "PAGE-002": (ERROR, "margins within the profile's ranges"),
    "PAGE-003": (ERROR, "no page number on page 1 (a different first-page header)"),
    "PAGE-004": (WARNING, "pages are numbered (a PAGE field in the header)"),
    "PAGE-005": (ERROR, "page numbers sit in the top margin, not in the footer"),
    "PAGE-006": (ERROR, "page number size"),
    "PAGE-007": (WARNING, "page number centred"),
    "PAGE-008": (ERROR, "each phụ lục in a section of its own, its pages numbered from 1"),
    "FONT-001": (ERROR, "the profile's font (Times New Roman) throughout"),
    "FMT-001": (ERROR, "font size of the element"),
    "FMT-002": (ERROR, "bold or not, as the element requires (an article: `Điều N.` bold, its text regular)"),
    "FMT-003": (ERROR, "italic or not, as the element requires"),
    "FMT-004": (ERROR, "upper case where the element requires it"),
    "FMT-005": (WARNING, "alignment of the element (body text: justified, an error)"),
    "FMT-006": (ERROR, "first-line indent of body paragraphs"),
    "FMT-007": (WARNING, "space between body paragraphs"),
    "FMT-008": (WARNING, "line spacing of body paragraphs"),
    "HDR-001": (ERROR, "Quốc hiệu (Party, Đoàn: tiêu đề) present and spelled as in the profile"),
    "HDR-002": (ERROR, "Tiêu ngữ present and spelled as in the profile (hyphens with spaces); none where the profile has none"),
    "HDR-003": (ERROR, "a rule under the Tiêu ngữ, as long as the line"),
    "HDR-004": (ERROR, "a rule under the issuing body, 1/3 to 1/2 of its line"),
    "HDR-005": (ERROR, "the issuing body is named in the header"),
    "HDR-006": (ERROR, "a rule under the tiêu đề, as long as the line (families without a Tiêu ngữ: Party, Đoàn)"),
    "HDR-007": (ERROR, "the profile's mark under the issuing body (`*` Party, `***` Đoàn) instead of a rule"),
    "HDR-008": (ERROR, "an urgency mark (KHẨN, THƯỢNG KHẨN, HỎA TỐC) in a box, bold, upper case (ô 10b)"),
    "NUM-001": (ERROR, "a `Số:` line in the header"),
    "NUM-002": (ERROR, "`Số: NN/KÝ-HIỆU` (or the profile's pattern, `Số NN-LOẠI/CƠ-QUAN`): colon as the profile says, upper-case ký hiệu, no spaces"),
    "NUM-003": (ERROR, "numbers below 10 take a leading zero"),
    "NUM-004": (INFO, "a draft: the number is left blank"),
    "DATE-001": (ERROR, "a date line `<Place>, ngày DD tháng M năm YYYY`"),
    "DATE-002": (ERROR, "leading zeros: days 1–9 and months 1–2 only"),
    "DATE-003": (ERROR, "the date exists"),
    "DATE-004": (INFO, "a draft: day and month left blank"),
    "DATE-005": (WARNING, "the place name is capitalised"),
    "TTL-001": (WARNING, "a tên loại (document type) under the header"),
    "TTL-002": (ERROR, "a rule under the title block, 1/3 to 1/2 of its line"),
    "BODY-001": (ERROR, "the body ends with `./.`"),
    "BODY-002": (WARNING, "Mục numerals run I, II, III … in order"),
    "BODY-003": (WARNING, "khoản numbers run 1, 2, 3 … in order within a Mục"),
    "BODY-004": (ERROR, "điểm letters use the Vietnamese alphabet (no f, j, w, z)"),
    "BODY-005": (WARNING, "điểm letters run a, b, c … in order"),
    "BODY-006": (WARNING, "căn cứ lines end with `;`, the last with `.` (or `,` before the action)"),
    "SIG-001": (WARNING, "a signature block (a required element: missing is a warning, never a placeholder)"),
    "SIG-002": (ERROR, "authority prefix as the profile writes it (TM., KT., Q., TL., TUQ.; Party: T/M, K/T, T/L, T/UQ)"),
    "SIG-003": (WARNING, "the signer's name under the position"),
    "SIG-004": (WARNING, "no academic title before the signer's name"),
    "RCP-001": (WARNING, "a `Nơi nhận:` block (a required element: missing is a warning, never a placeholder)"),
    "RCP-002": (WARNING, "recipient lines `- …;`, the last ending with `.`"),
    "RCP-003": (WARNING, "the last recipient line is `- Lưu: VT, …`"),
    "TXT-001": (ERROR, "text in Unicode NFC (precomposed, TCVN 6909:2001)"),
    "TXT-002": (WARNING, "one tone-mark style per document (hóa or hoá, not both)"),
    "TXT-003": (WARNING, "award titles spelled as in the law (Chiến sĩ, not Chiến sỹ)"),
    "TBL-001": (WARNING, "a table fits the text width of its section (a wide table: a landscape section); past the paper's edge, an error"),
    "TBL-002": (WARNING, "a table longer than a page repeats its header row on each page (`w:tblHeader`)"),
    "TBL-003": (WARNING, "a table's caption set as the profile's `caption` element (italic, centred, its size); `Bảng 1`, `Bảng 2` … in order"),
    "IMG-001": (ERROR, "a picture fits the text width and height of its section"),
    "IMG-002": (WARNING, "a picture in the text is inline, not floating (an anchored picture moves away from its text when the text is edited)"),
    "IMG-003": (WARNING, "a picture's printed resolution is at least the profile's (150 dpi)"),
    "IMG-004": (WARNING, "a picture's caption set as the profile's `caption` element (italic, centred, its size); `Hình 1`, `Hình 2` … in order"),
    "FORM-001": (INFO, "a form: its blanks (dotted placeholders, numbered blanks `…3…`) are counted, the format around them checked; an error with --strict"),
    "TPL-001": (INFO, "a template: rules on data-filled text apply to the documents it renders"),
    "REG-001": (INFO, "a register (sổ đăng ký văn bản, Phụ lục IV): paper, font, text and its column numbers"),
    "REG-002": (ERROR, "a register's table numbers its columns (1), (2), … under the titles (at least 10)"),
    "CERT-001": (INFO, "a certificate (giấy khen, bằng khen): only the rules marked `all` apply"),
}

# A certificate is not a Decree 30 administrative document (no Số, signature block or Nơi nhận; its
# sizes are decorative): it is held to the paper (A4 landscape), the font and the text rules only.
CERTIFICATE_CODES = frozenset({"PAGE-001", "FONT-001", "TXT-001", "TXT-002", "TXT-003", "TPL-001", "CERT-001"})


@dataclass
class Finding:
    """One breach of one rule, located by paragraph number (1-based, reading order) and snippet."""

    code: str
    message: str
    severity: str = ""
    paragraph: int | None = None
    snippet: str | None = None
    expected: str | None = None
    found: str | None = None
    element: str | None = None
    count: int = 1
    also: list[int] = field(default_factory=list)
    part: str | None = None  # the document of the file it is about, when the file holds several
    table: int | None = None    # 1-based, the file's tables in reading order (nested ones too)
    row: int | None = None      # 1-based, in that table
    picture: int | None = None  # 1-based, the file's pictures in reading order

    def __post_init__(self):
        if self.code not in RULES:
            raise KeyError(f"unknown rule code {self.code}")
        if not self.severity:
            self.severity = RULES[self.code][0]

    def key(self) -> tuple:
        return (self.part, self.code, self.severity, self.element, self.message, self.expected, self.found)

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, [])}

    def line(self) -> str:
        where = f"¶{self.paragraph}" if self.paragraph else "document"
        if self.table:
            where += f" table {self.table}" + (f" row {self.row}" if self.row else "")
        if self.picture:
            where += f" picture {self.picture}"
        text = f"{self.severity:<7} {self.code:<8} {where}: {self.message}"
        if self.expected is not None or self.found is not None:
            text += f" (expected {self.expected}, found {self.found})"
        if self.snippet:
            text += f" — “{self.snippet}”"
        if self.count > 1:
            text += f" [and {self.count - 1} more: ¶{', ¶'.join(map(str, self.also[:8]))}{' …' if len(self.also) > 8 else ''}]"
        return text


def merge(findings: list[Finding]) -> list[Finding]:
    """Fold findings that differ only by paragraph into one, counting the others."""
    out: dict[tuple, Finding] = {}
    for f in findings:
        k = f.key()
        if k in out:
            first = out[k]
            first.count += 1
            if f.paragraph:
                first.also.append(f.paragraph)
        else:
            out[k] = f
    return list(out.values())


@dataclass
class Report:
    path: str
    findings: list[Finding]
    profile: str
    template: bool = False
    kind: str = "document"  # or "certificate" (see CERTIFICATE_CODES), "register" (Phụ lục IV), …
    parts: list[str] = field(default_factory=list)  # the documents found in the file, when several

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count(ERROR)

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def codes(self, severity: str | None = None) -> set[str]:
        return {f.code for f in self.findings if severity is None or f.severity == severity}

    def as_dict(self) -> dict:
        return {"path": self.path, "profile": self.profile, "template": self.template, "kind": self.kind,
                **({"parts": self.parts} if self.parts else {}),
                "errors": self.errors, "warnings": self.count(WARNING), "infos": self.count(INFO),
                "findings": [f.as_dict() for f in self.findings]}
