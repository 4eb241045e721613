"""The year-end results of a campaign, as data: units, their people, awards and document settings.

What the units send back (`units`: staff counts, titles, study, achievements) is the same in
YAML and in the Excel workbook. The office adds, in YAML only, what turns the figures into
documents: the base salary and multiples, its own caps, and the report, decision and certificate
settings. Every document setting is optional: by default the report and the decision take the
launch document's issuers, place, signers and recipients, so a results file starts short.
Titles are kept as typed here; `load.py` maps them to the legal names with located messages.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from ..model import SLUG, Issuer, Model, Recipient, Signer, archive_units, one_or_many, plain_recipients


class Person(Model):
    """One member of staff of a unit and what they earned this year."""

    name: str = Field(min_length=1, description="họ và tên")
    position: str | None = Field(None, description="chức vụ")
    gender: Literal["nam", "nữ"] | None = Field(None, description="for 'Ông'/'Bà' on the certificate")
    titles: list[str] = Field(default_factory=list, description="danh hiệu thi đua")
    study: bool = Field(False, description="took part in study to raise qualifications")
    union_member: bool = Field(True, description="đoàn viên công đoàn")
    achievements: str | None = Field(None, description="thành tích, free text")

    @field_validator("gender", mode="before")
    @classmethod
    def _gender(cls, v: Any) -> Any:
        return v.strip().lower() if isinstance(v, str) else v

    @field_validator("titles", mode="before")
    @classmethod
    def _one_title(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v


class Unit(Model):
    """A collective (đơn vị): its head counts, its own title and the people it reports on.

    `people` need not list everyone: staff who are not listed count in `staff` with no title.
    """

    name: str = Field(min_length=1)
    staff: int = Field(ge=0, description="số cán bộ công chức")
    union_members: int = Field(ge=0, description="số đoàn viên công đoàn")
    title: str | None = Field(None, description="danh hiệu tập thể")
    achievements: str | None = None
    people: list[Person] = Field(default_factory=list)


class Awards(Model):
    """Cash awards: multiple × base salary (mức lương cơ sở), both set by law and kept as data."""

    base_salary: int | None = Field(None, gt=0, description="mức lương cơ sở, đồng/tháng; needed only for the decision")
    multiples: dict[str, Decimal] = Field(min_length=1, description="title → multiple of the base salary")
    pay: Literal["highest", "each"] = Field("highest", description="one person, several titles: the highest or each")
    round_up_to: int = Field(1, ge=1, description="round every award up to a multiple of this many đồng")

    @field_validator("multiples")
    @classmethod
    def _positive(cls, v: dict[str, Decimal]) -> dict[str, Decimal]:
        bad = [k for k, m in v.items() if m < 0]
        if bad:
            raise ValueError(f"multiples must not be negative ({', '.join(bad)})")
        return v


class Quota(Model):
    """A cap the agency sets on a title: a share of a base, or a count, per unit or overall."""

    title: str = Field(min_length=1)
    per: Literal["unit", "campaign"] = "unit"
    max_share: Decimal | None = None
    of: str = Field("staff", description="`staff`, or a title whose holders are the base")
    max_count: int | None = Field(None, ge=0)

    @field_validator("max_share", mode="before")
    @classmethod
    def _share(cls, v: Any) -> Decimal | None:
        from ..vn import parse_percent

        return None if v is None else parse_percent(v)

    @model_validator(mode="after")
    def _one_limit(self) -> "Quota":
        if (self.max_share is None) == (self.max_count is None):
            raise ValueError("a quota needs exactly one of `max_share` and `max_count`")
        return self


class DocumentSettings(Model):
    """Header, numbering, signature and Nơi nhận of a generated document; unset keys follow the launch."""

    id: str | None = Field(None, pattern=SLUG)
    template: str | None = Field(None, pattern=SLUG)
    profile: str | None = None
    issuers: list[Issuer] | None = Field(None, min_length=1)
    series: str | None = None
    number: int | None = Field(None, ge=1, le=99999)
    place: str | None = None
    date: dt.date | None = None
    title: str | None = None
    subtitle: str | None = None
    opening: list[str] | None = None
    closing: list[str] | None = None
    signers: list[Signer] | None = Field(None, min_length=1)
    lead_signs_on: Literal["left", "right"] | None = None
    recipients: list[Recipient] | None = Field(None, min_length=1)
    archive: list[str] | None = Field(None, min_length=1)
    author: str | None = None

    _paragraphs = field_validator("opening", "closing", mode="before")(one_or_many)
    _recipients = field_validator("recipients", mode="before")(plain_recipients)
    _archive = field_validator("archive", mode="before")(archive_units)


class ReportSettings(DocumentSettings):
    """The báo cáo tổng kết: narrative of each part of the skeleton, as paragraphs."""

    results: list[str] | None = Field(None, description="I. further results, after the figures")
    shortcomings: list[str] | None = Field(None, description="II. tồn tại, hạn chế và nguyên nhân")
    lessons: list[str] | None = Field(None, description="III. bài học kinh nghiệm")
    next_year: list[str] | None = Field(None, description="IV. phương hướng, nhiệm vụ năm sau")
    proposals: list[str] | None = Field(None, description="V. đề xuất, kiến nghị (after the computed list)")

    @field_validator("results", "shortcomings", "lessons", "next_year", "proposals", mode="before")
    @classmethod
    def _narrative(cls, v: Any) -> Any:
        return one_or_many(v)


class DecisionSettings(DocumentSettings):
    """The quyết định công nhận danh hiệu: authority, căn cứ, articles and the annex title."""

    authority: str | None = Field(None, description="thẩm quyền ban hành, e.g. Cục trưởng Cục Công Thương địa phương")
    legal_basis: list[str] | None = Field(None, description="căn cứ lines, then 'Theo đề nghị của …'")
    articles: list[str] | None = Field(None, description="Điều 1., Điều 2. … texts; placeholders allowed")
    annex_title: str | None = None

    @field_validator("legal_basis", "articles", mode="before")
    @classmethod
    def _lines(cls, v: Any) -> Any:
        return one_or_many(v)


class CertificateSettings(Model):
    """The giấy khen: who gets one, what it says, and who signs it (default: as the decision)."""

    titles: list[str] | None = Field(None, description="only holders of these titles (default: every awardee)")
    citation: str | None = Field(None, description="the line under the name; {title} and {year} placeholders")
    authority: str | None = None
    signer: Signer | None = None
    place: str | None = None
    date: dt.date | None = None


class ResultsFile(Model):
    """A results file as written: the units' figures and the office's settings."""

    campaign: str = Field(pattern=SLUG, description="id of the launch document the results answer")
    year: int = Field(ge=1945, le=2999)
    units: list[Unit] | None = Field(None, min_length=1)
    units_file: str | None = Field(None, description="a workbook (.xlsx) the units filled in, instead of `units`")
    awards: Awards | None = None
    quotas: list[Quota] = Field(default_factory=list)
    report: ReportSettings = Field(default_factory=ReportSettings)
    decision: DecisionSettings = Field(default_factory=DecisionSettings)
    certificates: CertificateSettings = Field(default_factory=CertificateSettings)

    @model_validator(mode="after")
    def _one_source(self) -> "ResultsFile":
        if (self.units is None) == (self.units_file is None):
            raise ValueError("give the units either inline (`units:`) or as a workbook (`units_file:`), not both")
        return self
