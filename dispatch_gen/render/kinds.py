"""The one registry of document kinds: each kind says in one place what it is made of.

A kind is what the data's `template:` names. It declares its layout (the blocks its template
is built from), its paper, whether its last section is numbered on its own, its defaults
(tên loại, type code, action line) and the elements Decree 30 requires of it, which `validate`
and `check` report as warnings when the data leaves them out (never filled in with a placeholder).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..profile import Profile


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    layout: Callable[[Profile], str]
    model: str | None = None
    """The Phụ lục III model it follows (`1.9`)."""
    title: str | None = None
    """Default tên loại when the data gives none."""
    type_code: str | None = None
    action: str | None = None
    """Default action line (`QUYẾT ĐỊNH:`)."""
    landscape: bool = False
    own_numbering: bool = False
    """Its last section (a phụ lục) is numbered from page 1."""
    annexes: bool = True
    """Its layout places phụ lục / văn bản kèm theo, numbered on their own: its last section starts
    at page 1 (the only one when there is no phụ lục)."""
    date_in_header: bool = True
    signers_in_order: bool = False
    """Two signers are placed left to right as typed (biên bản: thư ký, chủ tọa), not by issuer."""
    requires: tuple[str, ...] = ("signers", "recipients")
    """Elements Decree 30 requires of this kind: a missing one is a warning."""
    parts: tuple[str, ...] = field(default=())
    """Its own data parts (`meeting`, `invitation` …); required ones are listed in `requires`."""
    example: str | None = None


class _Layouts:
    """`tb.dispatch_document` … resolved when a template is built, so that reading the registry
    (validate's required elements) loads no template code (lxml, docxtpl)."""

    def __init__(self, module: str):
        self.module = module

    def __getattr__(self, attr: str) -> Callable[[Profile], str]:
        module = self.module

        def layout(profile: Profile) -> str:
            import importlib

            return getattr(importlib.import_module(f"{__package__}.{module}"), attr)(profile)

        layout.__name__ = attr
        return layout


def _registry() -> dict[str, Kind]:
    tb, tc = _Layouts("template_builder"), _Layouts("templates_campaign")
    copy_layout = _Layouts("copies").copy_layout
    kinds = [
        Kind("phat-dong", "Phát động phong trào thi đua (and documents shaped like it, without phụ lục)",
             tb.dispatch_document, annexes=False, example="data/phat-dong-thi-dua-2024.yaml"),
        Kind("van-ban", "Văn bản có tên loại (kế hoạch, thông báo, quy chế …) và công văn", tb.text_document,
             model="1.4, 1.5", example="data/examples/decree30/1.4-ke-hoach.yaml"),
        Kind("bao-cao", "Báo cáo tổng kết phong trào thi đua", tc.report_document, type_code="BC", annexes=False),
        Kind("quyet-dinh", "Quyết định công nhận danh hiệu thi đua (kèm phụ lục danh sách)", tc.decision_document,
             type_code="QĐ", own_numbering=True, annexes=False),
        Kind("giay-khen", "Giấy khen", tc.certificate_document, landscape=True, annexes=False,
             requires=("signers",)),
        Kind("nghi-quyet", "Nghị quyết (cá biệt)", tb.decision_layout, model="1.1", title="NGHỊ QUYẾT",
             type_code="NQ", action="QUYẾT NGHỊ:", requires=("signers", "recipients", "authority"),
             example="data/examples/decree30/1.1-nghi-quyet.yaml"),
        Kind("quyet-dinh-ca-biet", "Quyết định (cá biệt), quy định trực tiếp hoặc ban hành văn bản kèm theo",
             tb.decision_layout, model="1.2, 1.3", title="QUYẾT ĐỊNH", type_code="QĐ", action="QUYẾT ĐỊNH:",
             requires=("signers", "recipients", "authority", "articles"),
             example="data/examples/decree30/1.2-quyet-dinh.yaml"),
        Kind("cong-dien", "Công điện", tb.telegram_layout, model="1.6", title="CÔNG ĐIỆN", type_code="CĐ", annexes=False,
             requires=("signers", "recipients", "telegram_to"), example="data/examples/decree30/1.6-cong-dien.yaml"),
        Kind("giay-moi", "Giấy mời", tb.text_document, model="1.7", title="GIẤY MỜI", type_code="GM",
             requires=("signers", "recipients", "invitation"), parts=("invitation",),
             example="data/examples/decree30/1.7-giay-moi.yaml"),
        Kind("giay-gioi-thieu", "Giấy giới thiệu", tb.text_document, model="1.8", title="GIẤY GIỚI THIỆU",
             type_code="GGT", requires=("signers", "recipients", "introduction"), parts=("introduction",),
             example="data/examples/decree30/1.8-giay-gioi-thieu.yaml"),
        Kind("bien-ban", "Biên bản", tb.text_document, model="1.9", title="BIÊN BẢN", type_code="BB",
             date_in_header=False, signers_in_order=True, requires=("signers", "recipients", "meeting"),
             parts=("meeting",), example="data/examples/decree30/1.9-bien-ban.yaml"),
        Kind("giay-nghi-phep", "Giấy nghỉ phép", tb.leave_layout, model="1.10", title="GIẤY NGHỈ PHÉP",
             type_code="GNP", requires=("signers", "recipients", "leave"), parts=("leave",),
             example="data/examples/decree30/1.10-giay-nghi-phep.yaml"),
        Kind("ban-sao", "Bản sao y, sao lục, trích sao (the copy block under the copied text)", copy_layout,
             model="3.1", annexes=False, requires=("signers",), example="data/examples/decree30/3.1-ban-sao-y.yaml"),
    ]
    return {k.name: k for k in kinds}


_KINDS: dict[str, Kind] | None = None


def kinds() -> dict[str, Kind]:
    """Every kind by name (built on first use: the layouts import the blocks they list)."""
    global _KINDS
    if _KINDS is None:
        _KINDS = _registry()
    return _KINDS


def kind_of(name: str) -> Kind | None:
    return kinds().get(name)
