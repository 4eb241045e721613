"""Vietnamese formatting rules (dispatch_gen.vn) against Nghị định 30/2020/NĐ-CP."""
from __future__ import annotations

import datetime
import unicodedata
from decimal import Decimal

import pytest

from dispatch_gen import vn

# --- text ---------------------------------------------------------------------------------


def test_nfc_joins_combining_marks():
    decomposed = unicodedata.normalize("NFD", "hóa")
    assert decomposed != "hóa"
    assert vn.nfc(decomposed) == "hóa"


def test_upper_vietnamese():
    assert vn.upper("cộng hòa xã hội chủ nghĩa việt nam") == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert vn.upper(unicodedata.normalize("NFD", "kế hoạch")) == "KẾ HOẠCH"


@pytest.mark.parametrize("text, expected", [
    ("31/PĐTĐ-CTĐP-CĐC", "31-PDTD-CTDP-CDC"),
    ("Kế hoạch thi đua 2024.docx", "Ke-hoach-thi-dua-2024.docx"),
    ("đường Đỗ", "duong-Do"),
    ("  a//b  ", "a-b"),
    (unicodedata.normalize("NFD", "Hòa"), "Hoa"),
])
def test_to_ascii(text, expected):
    assert vn.to_ascii(text) == expected


# --- header dates and numbers -----------------------------------------------------------------

@pytest.mark.parametrize("day", range(1, 32))
def test_day_str(day):
    assert vn.day_str(day) == (f"0{day}" if day < 10 else str(day))


@pytest.mark.parametrize("month", range(1, 13))
def test_month_str(month):
    assert vn.month_str(month) == {1: "01", 2: "02"}.get(month, str(month))


@pytest.mark.parametrize("func, value", [
    (vn.day_str, 0), (vn.day_str, 32), (vn.month_str, 0), (vn.month_str, 13)])
def test_date_parts_out_of_range(func, value):
    with pytest.raises(ValueError):
        func(value)


@pytest.mark.parametrize("place, d, expected", [
    ("Hà Nội", datetime.date(2024, 1, 12), "Hà Nội, ngày 12 tháng 01 năm 2024"),
    ("Hà Nội", datetime.date(2024, 3, 5), "Hà Nội, ngày 05 tháng 3 năm 2024"),
    ("Hà Nội", datetime.date(2024, 2, 9), "Hà Nội, ngày 09 tháng 02 năm 2024"),
    ("Hà Nội", datetime.date(2024, 10, 12), "Hà Nội, ngày 12 tháng 10 năm 2024"),
    (None, datetime.date(2024, 6, 29), "ngày 29 tháng 6 năm 2024"),
    ("", datetime.date(2024, 6, 29), "ngày 29 tháng 6 năm 2024"),
])
def test_date_line(place, d, expected):
    assert vn.date_line(place, d) == expected


def test_date_line_draft():
    assert vn.date_line("Hà Nội", None, 2025) == "Hà Nội, ngày      tháng      năm 2025"
    assert vn.date_line(None, None, year=2025) == "ngày      tháng      năm 2025"


def test_date_line_draft_needs_year():
    with pytest.raises(ValueError):
        vn.date_line("Hà Nội", None)


def test_date_line_ignores_year_when_dated():
    assert vn.date_line("Hà Nội", datetime.date(2025, 1, 5), 2024).endswith("năm 2025")


@pytest.mark.parametrize("n, expected", [(1, "01"), (5, "05"), (9, "09"), (10, "10"), (31, "31"),
                                         (123, "123"), (None, "      ")])
def test_doc_number(n, expected):
    assert vn.doc_number(n) == expected


def test_doc_number_rejects_zero():
    with pytest.raises(ValueError):
        vn.doc_number(0)


@pytest.mark.parametrize("type_code, issuers, expected", [
    ("PĐTĐ", ["CTĐP", "CĐC"], "PĐTĐ-CTĐP-CĐC"),
    ("pđtđ", [" ctđp ", "cđc"], "pđtđ-ctđp-cđc"),   # kept as typed (issue 9); validate warns
    (None, ["UBND", "VX"], "UBND-VX"),
    ("", ["ubnd"], "ubnd"),
    ("QĐ", ["TTg"], "QĐ-TTg"),                       # the Prime Minister's code keeps its case
    ("KH", ["PGD&ĐT"], "KH-PGD&ĐT"),
    ("KHLT", ["SGDĐT", "CĐGDT"], "KHLT-SGDĐT-CĐGDT"),
    ("TTr", ["UBND"], "TTr-UBND"),   # Phụ lục III mixed-case abbreviations kept
    ("QYĐ", ["BCT"], "QyĐ-BCT"),
])
def test_symbol(type_code, issuers, expected):
    assert vn.symbol(type_code, issuers) == expected


@pytest.mark.parametrize("issuers", [[], [""], ["UB ND"]])
def test_symbol_errors(issuers):
    with pytest.raises(ValueError):
        vn.symbol("KH", issuers)


@pytest.mark.parametrize("n, expected", [
    (31, "Số: 31/PĐTĐ-CTĐP-CĐC"),
    (5, "Số: 05/PĐTĐ-CTĐP-CĐC"),
    (None, "Số:      /PĐTĐ-CTĐP-CĐC"),
])
def test_number_line(n, expected):
    assert vn.number_line(n, "PĐTĐ-CTĐP-CĐC") == expected


@pytest.mark.parametrize("founded, year, expected", [
    (datetime.date(1929, 7, 28), 2024, 95),
    (datetime.date(1951, 5, 14), 2024, 73),
    (datetime.date(1948, 6, 11), 2024, 76),
])
def test_anniversary(founded, year, expected):
    assert vn.anniversary(founded, year) == expected


def test_anniversary_before_founding():
    with pytest.raises(ValueError):
        vn.anniversary(datetime.date(1929, 7, 28), 1929)


# --- numbers in text --------------------------------------------------------------------------

@pytest.mark.parametrize("x, decimals, expected", [
    (2340000, None, "2.340.000"), (4.5, None, "4,5"), (0.3, None, "0,3"), (12.0, None, "12"),
    (Decimal("1234.56789"), None, "1.234,568"), (1.5, 2, "1,50"), (2.5, 0, "3"), (-0.0001, None, "0"),
    (-1234.5, None, "-1.234,5"),
])
def test_format_number(x, decimals, expected):
    assert vn.format_number(x, decimals) == expected


@pytest.mark.parametrize("amount, expected", [
    (702000, "702.000"), (2340000, "2.340.000"), (Decimal("702000.5"), "702.001"), (0, "0")])
def test_format_money(amount, expected):
    assert vn.format_money(amount) == expected


@pytest.mark.parametrize("ratio, expected", [
    (0.923, "92,3%"), (0.9, "90%"), (1, "100%"), (0.925, "92,5%"), (0.9255, "92,6%"),
    (0.9245, "92,5%"), (Decimal("0.2"), "20%"), (0, "0%"),
])
def test_format_percent(ratio, expected):
    assert vn.format_percent(ratio) == expected


def test_format_percent_decimals():
    assert vn.format_percent(0.925, decimals=0) == "93%"   # half up, not banker's 92%
    assert vn.format_percent(0.12345, decimals=2) == "12,35%"


@pytest.mark.parametrize("value, expected", [
    ("90%", "0.9"), ("92,5%", "0.925"), ("92.5 %", "0.925"), (" 100% ", "1"), ("0%", "0"),
    (90, "0.9"), (92.5, "0.925"), (0.9, "0.9"), (1, "1"), ("0,9", "0.9"), ("20", "0.2"),
    (Decimal("0.75"), "0.75"),
])
def test_parse_percent(value, expected):
    assert vn.parse_percent(value) == Decimal(expected)


@pytest.mark.parametrize("value", [
    "-5%", -0.1, "150%", 150, "abc", "", "%", "9,2,5%", "92.5.1", None, True, float("nan")])
def test_parse_percent_errors(value):
    with pytest.raises(ValueError):
        vn.parse_percent(value)


# --- headings ---------------------------------------------------------------------------------

@pytest.mark.parametrize("n, expected", [
    (1, "I"), (2, "II"), (4, "IV"), (5, "V"), (9, "IX"), (14, "XIV"), (40, "XL"), (1994, "MCMXCIV"),
    (3999, "MMMCMXCIX")])
def test_roman(n, expected):
    assert vn.roman(n) == expected


@pytest.mark.parametrize("n", [0, 4000])
def test_roman_range(n):
    with pytest.raises(ValueError):
        vn.roman(n)


@pytest.mark.parametrize("i, expected", [
    (1, "a"), (4, "d"), (5, "đ"), (6, "e"), (7, "g"), (10, "k"), (23, "y"), (24, "aa"), (28, "đđ"),
    (47, "aaa")])
def test_letter(i, expected):
    assert vn.letter(i) == expected


def test_letters_skip_f_j_w_z():
    letters = [vn.letter(i) for i in range(1, 24)]
    assert not set("fjwz") & set(letters)
    with pytest.raises(ValueError):
        vn.letter(0)


# --- numbers in words --------------------------------------------------------------------------

@pytest.mark.parametrize("n, expected", [
    (0, "không"), (1, "một"), (10, "mười"), (11, "mười một"), (14, "mười bốn"), (15, "mười lăm"),
    (20, "hai mươi"), (21, "hai mươi mốt"), (24, "hai mươi tư"), (25, "hai mươi lăm"),
    (31, "ba mươi mốt"), (101, "một trăm linh một"), (105, "một trăm linh năm"),
    (110, "một trăm mười"), (115, "một trăm mười lăm"), (1000, "một nghìn"),
    (1001, "một nghìn không trăm linh một"), (10_000, "mười nghìn"), (100_000, "một trăm nghìn"),
    (702_000, "bảy trăm linh hai nghìn"), (1_000_000, "một triệu"),
    (1_000_005, "một triệu không trăm linh năm"),
    (1_005_000, "một triệu không trăm linh năm nghìn"),
    (2_340_000, "hai triệu ba trăm bốn mươi nghìn"), (1_000_000_000, "một tỷ"),
    (12_000_000_000, "mười hai tỷ"), (1_000_000_000_000, "một nghìn tỷ"),
    (1_000_000_021, "một tỷ không trăm hai mươi mốt"),
])
def test_number_to_words(n, expected):
    assert vn.number_to_words(n) == expected


@pytest.mark.parametrize("n", [-1, 1.5, True])
def test_number_to_words_rejects(n):
    with pytest.raises(ValueError):
        vn.number_to_words(n)


@pytest.mark.parametrize("n, unit, expected", [
    (702_000, "đồng", "Bảy trăm linh hai nghìn đồng"),
    (2_340_000, "đồng", "Hai triệu ba trăm bốn mươi nghìn đồng"),
    (0, "đồng", "Không đồng"),
    (15, "", "Mười lăm"),
])
def test_amount_in_words(n, unit, expected):
    assert vn.amount_in_words(n, unit) == expected
