"""Vietnamese formatting rules of Nghị định 30/2020/NĐ-CP: dates, numbers, ký hiệu, words.

Layer 1: pure functions, no I/O, nothing imported from the package, so every other layer can
use them. Errors are plain ValueError; callers attach the file and field.
"""
from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal


BLANK = " " * 6
"""A blank left for the văn thư to fill by hand (number, day, month of a draft)."""

LOCALE = "vi"

# Phụ lục III writes these type abbreviations in mixed case; upper-casing them would be wrong.
_MIXED_CASE_TYPES = {code.upper(): code for code in ("QyĐ", "CTr", "TTr", "TrS")}


# --- text ---------------------------------------------------------------------------------

def nfc(text: str) -> str:
    """NFC, so that 'hóa' typed with a combining mark equals the precomposed one."""
    return unicodedata.normalize("NFC", text)


def upper(text: str) -> str:
    """Upper case for Quốc hiệu, names of bodies, tên loại; NFC first so marks stay attached."""
    return nfc(text).upper()


def to_ascii(text: str) -> str:
    """File-name safe ASCII: '31/PĐTĐ-CTĐP-CĐC' -> '31-PDTD-CTDP-CDC'.

    đ/Đ have no decomposition, so they are mapped by hand; other marks are stripped; any char
    outside [A-Za-z0-9._-] becomes '-', runs of '-' collapse and edge '-' are trimmed.
    """
    text = nfc(text).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    text = re.sub(r"[^A-Za-z0-9._-]", "-", text)
    return re.sub(r"-{2,}", "-", text).strip("-")


# --- dates and numbers of the header ------------------------------------------------------

def day_str(day: int) -> str:
    """Days 1–9 take a leading zero ('05'); 10–31 are written as is."""
    if not 1 <= day <= 31:
        raise ValueError(f"day must be 1..31, got {day!r}")
    return f"{day:02d}"


def month_str(month: int) -> str:
    """Only months 1 and 2 take a leading zero ('01', '02'); a generic 'MM' would write '03'."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month!r}")
    return f"{month:02d}" if month <= 2 else str(month)


def date_line(place: str | None, d: datetime.date | None, year: int | None = None) -> str:
    """'Hà Nội, ngày 05 tháng 3 năm 2024' (ô 4).

    d None is a draft: day and month are six-space blanks and the year comes from `year`
    (ValueError if missing). When d is given, `year` is ignored.
    """
    if d is not None:
        body = f"ngày {day_str(d.day)} tháng {month_str(d.month)} năm {d.year}"
    elif year is not None:
        body = f"ngày{BLANK}tháng{BLANK}năm {year}"
    else:
        raise ValueError("a draft date line (no date) needs the year")
    place = nfc(place or "").strip()
    return f"{place}, {body}" if place else body


def doc_number(n: int | None) -> str:
    """'05' for numbers below 10; None leaves the six-space blank of an unissued draft."""
    if n is None:
        return BLANK
    if n < 1:
        raise ValueError(f"document number must be >= 1, got {n!r}")
    return f"{n:02d}"


NUMBER_FORMAT = "Số: {number}/{symbol}"
"""Decree 30's Số line; other families (Party, Đoàn) pass their own pattern from the profile."""
SYMBOL_FORMAT = "{type}-{issuers}"
"""Decree 30's ký hiệu: type abbreviation, then the issuers' codes, joined by '-'."""


def symbol(type_code: str | None, issuer_codes: list[str], pattern: str = SYMBOL_FORMAT) -> str:
    """Ký hiệu 'PĐTĐ-CTĐP-CĐC'; a công văn has no type code: 'UBND-VX'.

    `pattern` places the type code and the '-'-joined issuer codes: Decree 30 writes
    '{type}-{issuers}', the Party '{type}/{issuers}' ('QĐ/TW'). Without a type code the
    `{type}` field and the separator after it are dropped. Codes keep the case they are typed
    in (the Prime Minister's `QĐ-TTg`); a mixed-case abbreviation of Phụ lục III typed in upper
    case (QYĐ, CTR, TTR, TRS) is written in its own form (QyĐ, CTr, TTr, TrS).
    """
    parts = [nfc(c).strip() for c in issuer_codes if c and c.strip()]
    if not parts:
        raise ValueError("a ký hiệu needs at least one issuing body code")
    code = ""
    if type_code and type_code.strip():
        code = nfc(type_code).strip()
        code = _MIXED_CASE_TYPES.get(code, code)
    for p in parts + ([code] if code else []):
        if re.search(r"[\s/]", p):
            raise ValueError(f"ký hiệu part {p!r} must not contain spaces or '/'")
    if not code:
        pattern = re.sub(r"\{type\}[^{]*", "", pattern)
    return pattern.format(type=code, issuers="-".join(parts))


def number_line(n: int | None, sym: str, pattern: str = NUMBER_FORMAT) -> str:
    """'Số: 31/PĐTĐ-CTĐP-CĐC' (or the profile's `pattern`, e.g. 'Số 127-QĐ/TW').

    A draft keeps a blank for the number, which absorbs the space before it: 'Số:      /…'.
    """
    if not sym:
        raise ValueError("number line needs a ký hiệu")
    if n is None:
        pattern = pattern.replace(" {number}", "{number}")
    return pattern.format(number=doc_number(n), symbol=nfc(sym))


def anniversary(founded: datetime.date, year: int) -> int:
    """The N-th anniversary falling in `year`: (1929-07-28, 2024) -> 95."""
    n = year - founded.year
    if n < 1:
        raise ValueError(f"{year} has no anniversary of {founded.isoformat()}")
    return n


# --- numbers in text ------------------------------------------------------------------------

def _dec(x: int | float | Decimal) -> Decimal:
    """Decimal via str() so that 0.925 stays 0.925 and rounds half up as a reader expects."""
    if isinstance(x, bool) or not isinstance(x, (int, float, Decimal)):
        raise ValueError(f"not a number: {x!r}")
    d = x if isinstance(x, Decimal) else Decimal(str(x))
    if not d.is_finite():
        raise ValueError(f"not a finite number: {x!r}")
    return d


def _fmt(d: Decimal, decimals: int, fixed: bool) -> str:
    """Round half up (as a reader expects), group by thousands: '2.340.000', '4,5'.

    The Vietnamese (CLDR `vi`) symbols are written here rather than loaded from babel's locale
    data, which costs every command a third of its start-up for two characters.
    """
    q = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)  # no '-0'
    text = f"{q:,.{decimals}f}"
    if decimals and not fixed:
        text = text.rstrip("0").rstrip(".")
    return text.translate(_VI_SEPARATORS)


_VI_SEPARATORS = str.maketrans({",": ".", ".": ","})


def format_number(x: int | float | Decimal, decimals: int | None = None) -> str:
    """Thousands '.', decimal ',': 2340000 -> '2.340.000', 4.5 -> '4,5'.

    decimals None: as many as needed, at most 3, no trailing zeros; an int: exactly that many.
    """
    if decimals is None:
        return _fmt(_dec(x), 3, fixed=False)
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals!r}")
    return _fmt(_dec(x), decimals, fixed=True)


def format_money(amount: int | Decimal) -> str:
    """Whole đồng, rounded half up: 702000 -> '702.000'."""
    return _fmt(_dec(amount), 0, fixed=True)


def format_percent(ratio: float | Decimal, decimals: int = 1) -> str:
    """Ratio 0.925 -> '92,5%' (half up), 0.9 -> '90%': trailing zeros dropped, no space before %."""
    return _fmt(_dec(ratio) * 100, decimals, fixed=False) + "%"


def parse_percent(value: str | int | float | Decimal) -> Decimal:
    """Read a share from data into a ratio 0..1.

    '92,5%', '92.5 %' are percent; a bare number (or string without '%') above 1 is a percent
    (90 -> 0.9), at most 1 is already a ratio (0.9 -> 0.9, so 1 means 100 %).
    """
    has_pct = False
    if isinstance(value, str):
        text = nfc(value).strip()
        has_pct = text.endswith("%")
        text = text.removesuffix("%").strip()
        if not re.fullmatch(r"-?\d+(?:[.,]\d+)?", text):
            raise ValueError(f"not a percentage: {value!r} (expected e.g. '92,5%' or 0.925)")
        d = Decimal(text.replace(",", "."))
    else:
        d = _dec(value)
    if has_pct or d > 1:
        d /= 100
    if d < 0:
        raise ValueError(f"percentage must not be negative: {value!r}")
    if d > 1:
        raise ValueError(f"percentage must not exceed 100%: {value!r}")
    return d.normalize() if d else Decimal(0)


# --- headings --------------------------------------------------------------------------------

_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]

LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()
"""Điểm letters: the Vietnamese alphabet without f j w z."""


def roman(n: int) -> str:
    """Mục numerals: 1 -> 'I', 14 -> 'XIV' (1..3999)."""
    if not 1 <= n <= 3999:
        raise ValueError(f"roman numerals cover 1..3999, got {n!r}")
    out = []
    for value, numeral in _ROMAN:
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


def letter(i: int) -> str:
    """1-based điểm letter: 5 -> 'đ', 7 -> 'g'.

    Past the 23rd ('y') the letters repeat doubled, then tripled: 24 'aa', 25 'bb', …, 46 'yy',
    47 'aaa' — the decree is silent, and doubled letters read naturally as 'aa)', 'bb)'.
    """
    if i < 1:
        raise ValueError(f"điểm index is 1-based, got {i!r}")
    times, idx = divmod(i - 1, len(LETTERS))
    return LETTERS[idx] * (times + 1)


NUMBER_STYLES = ("roman", "arabic", "decimal", "letters", "dash", "plus", "star", "none")
"""Labels a list level may use: `I.`, `1.`, `5.2.` (the parent's number carried), `a)`, `-`, `+`, `*`, none."""


def label(style: str, n: int, parents: tuple[int, ...] = ()) -> str:
    """The label of the `n`-th entry (1-based) of a list numbered in `style`.

    `parents` are the numbers of the enclosing numbered entries, outermost first: a `decimal`
    label carries them (`5.2.` is the second entry under entry 5); other styles ignore them.
    """
    if style == "roman":
        return f"{roman(n)}."
    if style == "arabic":
        return f"{n}."
    if style == "decimal":
        return "".join(f"{p}." for p in parents) + f"{n}."
    if style == "letters":
        return f"{letter(n)})"
    if style in ("dash", "plus", "star"):
        return {"dash": "-", "plus": "+", "star": "*"}[style]
    if style == "none":
        return ""
    raise ValueError(f"unknown numbering style {style!r} (known: {', '.join(NUMBER_STYLES)})")


def labelled(style: str, n: int, text: str, parents: tuple[int, ...] = ()) -> str:
    """`text` after its label and one space; unlabelled text as it is."""
    mark = label(style, n, parents)
    return f"{mark} {text}" if mark else text


ARTICLE_TITLE_MAX = 120


def is_article_title(text: str) -> bool:
    """The words after `Điều N.` without a final stop are the article's tiêu đề (`Phạm vi điều
    chỉnh`), bold with its label as Phụ lục I sets it; text ending with a stop is its content."""
    t = text.strip()
    return bool(t) and len(t) <= ARTICLE_TITLE_MAX and t[-1] not in ".;:,"


# --- numbers in words ---------------------------------------------------------------------------

_DIGITS = "không một hai ba bốn năm sáu bảy tám chín".split()
_GROUPS = ("", "nghìn", "triệu")
_BILLION = 10**9


def _group_words(n: int, full: bool) -> list[str]:
    """Words of 0 < n < 1000; `full` when a higher group exists ('không trăm linh năm')."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if full or hundreds:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            words += (["linh"] if words else []) + [_DIGITS[units]]
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])
    else:
        words += [_DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, _DIGITS[units]))
    return words


def _below_billion(n: int, higher: bool) -> list[str]:
    """Groups triệu / nghìn / units; zero groups are skipped."""
    words: list[str] = []
    for power in (2, 1, 0):
        group = n // 1000**power % 1000
        if group:
            words += _group_words(group, full=higher or bool(words))
            if _GROUPS[power]:
                words.append(_GROUPS[power])
    return words


def _words(n: int, higher: bool = False) -> list[str]:
    """'tỷ' repeats for larger numbers: 10**12 is 'một nghìn tỷ', 10**18 'một tỷ tỷ'."""
    if n < _BILLION:
        return _below_billion(n, higher)
    top, rest = divmod(n, _BILLION)
    words = _words(top, higher) + ["tỷ"]
    return words + (_below_billion(rest, True) if rest else [])


def number_to_words(n: int) -> str:
    """Vietnamese reading, lower case: 105 'một trăm linh năm', 21 'hai mươi mốt'."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"number_to_words needs a non-negative integer, got {n!r}")
    return " ".join(_words(n)) if n else "không"


def amount_in_words(n: int, unit: str = "đồng") -> str:
    """'Bảy trăm linh hai nghìn đồng', for the 'Bằng chữ: …' line."""
    text = number_to_words(n) + (f" {nfc(unit).strip()}" if unit and unit.strip() else "")
    return text[0].upper() + text[1:]
