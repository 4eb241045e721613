"""Vietnamese Jinja filters for templates: `{{ date|date_line(place, year) }}`, `{{ x|percent }}` …"""
from __future__ import annotations

from .. import vn


def _date_line(d, place=None, year=None):
    return vn.date_line(place, d, year)


FILTERS = {
    "upper": vn.upper,
    "date_line": _date_line,
    "doc_number": vn.doc_number,
    "number": vn.format_number,
    "money": vn.format_money,
    "percent": vn.format_percent,
    "letter": vn.letter,
    "roman": vn.roman,
    "words": vn.number_to_words,
    "amount_in_words": vn.amount_in_words,
    "nfc": vn.nfc,
}

GLOBALS = {
    "number_line": vn.number_line,
}
