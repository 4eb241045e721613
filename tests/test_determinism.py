"""Same data and template give byte-identical files; metadata comes from the data, not the clock."""
from __future__ import annotations

import datetime as dt

from docx import Document as Docx

from dispatch_gen import api

from conftest import SAMPLE


def test_two_builds_are_byte_identical(tmp_path):
    a = api.build(SAMPLE, out_dir=tmp_path / "a", registry=tmp_path / "a.sqlite").path
    b = api.build(SAMPLE, out_dir=tmp_path / "b", registry=tmp_path / "b.sqlite").path
    assert a.read_bytes() == b.read_bytes()


def test_render_twice_in_one_process_is_identical():
    doc = api.load_document(SAMPLE)
    assert api.render(doc) == api.render(doc)


def test_core_properties_from_data(built_sample):
    props = Docx(str(built_sample)).core_properties
    assert props.title == "PHÁT ĐỘNG PHONG TRÀO THI ĐUA Năm 2024"
    assert props.author == "Cục Công Thương địa phương"
    assert props.created == dt.datetime(2024, 1, 12, tzinfo=props.created.tzinfo)
    assert props.modified == props.created


def test_zip_entries_carry_a_fixed_timestamp(built_sample):
    import zipfile

    with zipfile.ZipFile(built_sample) as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_output_is_named_from_number_and_symbol(built_sample):
    assert built_sample.name == "31-PDTD-CTDP-CDC.docx"
    assert built_sample.parent.name == "2024"
