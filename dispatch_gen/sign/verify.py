"""Check every signature of a received PDF: who signed and as what, when, whether the signed bytes
are intact, whether the certificate chains to the trust anchors, and whether the file changed
after the last signature."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import asdict, dataclass
from pathlib import Path

from .keys import SigningError
from .signer import _FIELD_RE, VIETNAM


@dataclass(frozen=True)
class SignatureReport:
    field: str
    role: str  # signer | organisation | unknown
    signer: str | None
    organisation: str | None
    time: str | None  # ISO 8601 in Vietnam time
    intact: bool  # the signed bytes are unchanged and the signature matches them
    trusted: bool  # the certificate chains to a trust anchor and was valid when signed
    covers_whole_file: bool
    changed_after: str | None  # what was done to the file after this signature, if anything
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted and self.problem is None

    def as_dict(self) -> dict:
        return asdict(self) | {"ok": self.ok}


@dataclass(frozen=True)
class VerifyReport:
    path: Path
    signatures: tuple[SignatureReport, ...]
    changed_after_last: bool

    @property
    def ok(self) -> bool:
        return bool(self.signatures) and all(s.ok for s in self.signatures) and not self.changed_after_last

    def as_dict(self) -> dict:
        return {"file": str(self.path), "ok": self.ok, "changed_after_last_signature": self.changed_after_last,
                "signatures": [s.as_dict() for s in self.signatures]}


def _load_anchors(trust: list[str | Path]) -> list:
    from asn1crypto import pem, x509 as asn1_x509

    anchors = []
    for path in trust:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise SigningError(f"{path}: cannot read ({exc.strerror or exc})") from None
        try:
            blobs = [der for _, _, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
            anchors.extend(asn1_x509.Certificate.load(der) for der in blobs)
            for cert in anchors:
                cert.native  # noqa: B018 (parse now: a bad file is one clear error)
        except ValueError:
            raise SigningError(f"{path}: not a certificate (PEM or DER)") from None
    return anchors


def _role(field: str) -> str:
    m = _FIELD_RE.match(field)
    return m.group(1).lower() if m else "unknown"


def _name(cert, attr: str) -> str | None:
    try:
        return cert.subject.native.get(attr)
    except (AttributeError, ValueError):
        return None


def _changes(status) -> str | None:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return None
    if status.coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        return "the signature does not cover its whole revision"
    level = status.modification_level
    if level is None or not status.docmdp_ok:
        return "changes not allowed after signing"
    if level <= ModificationLevel.LTA_UPDATES:
        return None
    if level == ModificationLevel.FORM_FILLING:
        return "later signatures only"
    return f"later changes: {level.name.lower().replace('_', ' ')}"


def verify_pdf(pdf: str | Path, trust: list[str | Path] | None = None) -> VerifyReport:
    """Validate every signature of `pdf` against `trust` (CA certificates; default: the system's
    trust store), offline: revocation is checked only from what the file itself embeds."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    pdf = Path(pdf)
    try:
        data = pdf.read_bytes()
    except OSError as exc:
        raise SigningError(f"{pdf}: cannot read ({exc.strerror or exc})") from None
    anchors = _load_anchors(list(trust or []))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, IndexError) as exc:
        raise SigningError(f"{pdf}: not a readable PDF ({exc})") from None
    reports = []
    for sig in embedded:
        context = ValidationContext(trust_roots=anchors or None, allow_fetching=False, revocation_mode="soft-fail")
        field = sig.field_name
        try:
            status = validate_pdf_signature(sig, context)
        except Exception as exc:  # noqa: BLE001 (a damaged signature is a finding, not a crash)
            cert = _safe_cert(sig)
            reports.append(SignatureReport(field, _role(field), _name(cert, "common_name"),
                                           _name(cert, "organization_name"), _time(sig, None), False, False,
                                           False, None, f"cannot validate: {exc}"))
            continue
        cert = status.signing_cert
        problem = None
        if not status.trusted:
            problem = "the certificate does not chain to a trusted authority" + (
                f" ({status.trust_problem_indic.name.lower().replace('_', ' ')})" if status.trust_problem_indic else "")
        if not status.intact:
            problem = "the signed content was changed after signing"
        elif not status.valid:
            problem = "the signature does not match the signed content"
        changes = _changes(status)
        reports.append(SignatureReport(
            field=field, role=_role(field), signer=_name(cert, "common_name"),
            organisation=_name(cert, "organization_name"), time=_time(sig, status),
            intact=bool(status.intact and status.valid), trusted=bool(status.trusted),
            covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
            changed_after=changes, problem=problem or (changes if changes and changes != "later signatures only" else None),
        ))
    if not embedded:
        return VerifyReport(pdf, (), False)
    return VerifyReport(pdf, tuple(reports), not reports[-1].covers_whole_file)


def _safe_cert(sig):
    try:
        return sig.signer_cert
    except Exception:  # noqa: BLE001
        return None


def _time(sig, status) -> str | None:
    moment: dt.datetime | None = getattr(status, "signer_reported_dt", None) if status is not None else None
    if moment is None:
        try:
            moment = sig.self_reported_timestamp
        except Exception:  # noqa: BLE001
            moment = None
    return moment.astimezone(VIETNAM).isoformat() if moment else None
