"""Sign a PDF as Decree 30 has it: the signer first, then the organisation, each signature an
incremental update (PAdES) that leaves the earlier ones valid.

Field names carry the role and the signature block (`Signer-2`, `Organisation-2`), so that a
seal finds the signature it belongs to and `verify` can say who signed as what.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..writers.atomic import write_bytes_atomic
from .appearance import Box, Picture, attachment_appearance, attachment_lines, image_style, load_picture, nominal_signer_box, seal_box, signer_box
from .keys import KeySource, Secret, SigningError, open_signer
from .locate import SignatureBlock, find_blocks, fold, text_lines

Role = Literal["signer", "organisation"]
ROLES = ("signer", "organisation")
VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")
"""Vietnam time (UTC+07:00, no daylight saving): signing times are shown in it, as ISO 8601 asks."""

_FIELD = {"signer": "Signer", "organisation": "Organisation"}
_FIELD_RE = re.compile(r"^(Signer|Organisation)-(\d+)$")
_REASON = {
    "signer": "Chữ ký số của người có thẩm quyền",
    "organisation": "Chữ ký số của cơ quan, tổ chức",
}


@dataclass(frozen=True)
class Signed:
    """What `sign_pdf` did, for the console and for callers."""

    path: Path
    role: Role
    field: str
    signer: str
    organisation: str | None
    time: dt.datetime
    block: SignatureBlock | None
    box: Box | None
    notes: tuple[str, ...] = ()


def vietnam_time(moment: dt.datetime | None = None) -> dt.datetime:
    """`moment` (default: now) in Vietnam time, to the second."""
    moment = moment or dt.datetime.now(dt.timezone.utc)
    if moment.tzinfo is None:
        raise ValueError("signing time must carry its time zone")
    return moment.astimezone(VIETNAM).replace(microsecond=0)


def _subject(cert, attr: str) -> str | None:
    try:
        return cert.subject.native.get(attr)
    except (AttributeError, ValueError):
        return None


def _existing_fields(reader) -> dict[str, tuple[bool, tuple[float, ...] | None, int | None]]:
    """Signature fields already in the file: name → (signed?, widget box, page index)."""
    from pyhanko.sign.fields import enumerate_sig_fields

    pages = {}
    try:
        root_pages = reader.root["/Pages"]
        for index in range(int(root_pages["/Count"])):
            pages[reader.find_page_for_modification(index)[0].idnum] = index
    except Exception:  # noqa: BLE001 (page map is a convenience; fields still count without it)
        pass
    fields = {}
    for name, value, ref in enumerate_sig_fields(reader):
        field = ref.get_object()
        rect = field.get("/Rect")
        page = field.get_value_as_reference("/P").idnum if "/P" in field else None
        fields[str(name)] = (value is not None, tuple(float(v) for v in rect) if rect else None, pages.get(page))
    return fields


def _choose_block(blocks: list[SignatureBlock], role: Role, want: str | None, signer_name: str | None,
                  fields: dict, pdf: Path) -> SignatureBlock:
    if not blocks:
        raise SigningError(f"{pdf}: no signature block found (a chức vụ line in capitals, space for the "
                           "signature, then the signer's name); sign without --image for an invisible signature")
    listing = "; ".join(f"{b.index}: {b.label}" for b in blocks)
    if want:
        hits = [b for b in blocks if want.strip() == str(b.index) or fold(want) in fold(b.name)
                or any(fold(want) in fold(p) for p in b.position)]
        if len(hits) != 1:
            raise SigningError(f"{pdf}: --block {want!r} matches {len(hits)} signature blocks ({listing})")
        return hits[0]
    if len(blocks) == 1:
        return blocks[0]
    if role == "signer" and signer_name:
        hits = [b for b in blocks if fold(b.name) == fold(signer_name)]
        if len(hits) == 1:
            return hits[0]
    if role == "organisation":
        signed = {int(m.group(2)): m.group(1) for n, (done, _, _) in fields.items()
                  if done and (m := _FIELD_RE.match(n))}
        waiting = [b for b in blocks if signed.get(b.index) == "Signer"
                   and f"Organisation-{b.index}" not in fields]
        if len(waiting) == 1:
            return waiting[0]
    raise SigningError(f"{pdf}: {len(blocks)} signature blocks; say which with --block NAME or NUMBER ({listing})")


def sign_pdf(pdf: str | Path, *, role: Role, key: KeySource, image: str | Path | None = None,
             output: str | Path | None = None, block: str | None = None, secret: Secret = None,
             signing_time: dt.datetime | None = None, location: str | None = None,
             attachment_of: str | None = None) -> Signed:
    """Add one PAdES signature to `pdf` as the signer or the organisation, written to `output`
    (default: the file itself, replaced atomically once the signature is complete).

    With `image` the signature is visible where Phụ lục I puts it: the signer's image centred
    in its signature block, the seal over the left third of that block's signature. With
    `attachment_of` (the main document's `31/PĐTĐ-CTĐP-CĐC`) the file is a văn bản kèm theo sent
    on its own: the organisation signs it with text only, at the top right of its first page.
    """
    if role not in ROLES:
        raise SigningError(f"--as must be signer or organisation, not {role!r}")
    pdf = Path(pdf)
    try:
        data = pdf.read_bytes()
    except OSError as exc:
        raise SigningError(f"{pdf}: cannot read ({exc.strerror or exc})") from None
    picture = load_picture(image, "blue" if role == "signer" else "red") if image else None
    with open_signer(key, secret) as signer:
        signed, result = sign_bytes(data, str(pdf), role=role, signer=signer, picture=picture, block=block,
                                    signing_time=signing_time, location=location, described=key.described,
                                    attachment_of=attachment_of)
    target = write_bytes_atomic(Path(output) if output else pdf, signed)
    return Signed(target, *result)


def sign_bytes(data: bytes, name_of_file: str, *, role: Role, signer, picture: Picture | None = None,
               block: str | None = None, signing_time: dt.datetime | None = None, location: str | None = None,
               described: str = "the key", attachment_of: str | None = None) -> tuple[bytes, tuple]:
    """Sign the PDF `data` with an open pyHanko `signer`; return the signed bytes and what was
    done (the fields of `Signed` after its path)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.sign import fields as sig_fields, signers
    from pyhanko.sign.general import SigningError as HankoSigningError

    if attachment_of is not None:
        if role != "organisation":
            raise SigningError("an attachment (--attachment-of) is signed by the organisation only (--as organisation)")
        if picture is not None:
            raise SigningError("an attachment's signature shows no image (Phụ lục I): leave out --image")
        if not attachment_of.strip():
            raise SigningError("--attachment-of needs the main document's Số, ký hiệu, e.g. 31/PĐTĐ-CTĐP-CĐC")
    notes = list(picture.notes) if picture else []
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise SigningError(f"{name_of_file}: not a readable PDF ({exc})") from None
    if writer.prev.encrypted:
        raise SigningError(f"{name_of_file}: the PDF is encrypted; sign the unencrypted file")
    fields = _existing_fields(writer.prev)
    when = vietnam_time(signing_time)
    cert = signer.signing_cert
    name = _subject(cert, "common_name") or described
    organisation = _subject(cert, "organization_name")
    chosen: SignatureBlock | None = None
    box: Box | None = None
    page = 0
    if picture is not None:
        chosen = _choose_block(find_blocks(text_lines(io.BytesIO(data))), role, block, name, fields, name_of_file)
        page = chosen.page
        if role == "signer":
            box = signer_box(chosen, picture.aspect)
        else:
            existing = fields.get(f"Signer-{chosen.index}")
            under = Box(*existing[1]) if existing and existing[1] else nominal_signer_box(chosen)
            box, note = seal_box(under, picture)
            if note:
                notes.append(note)
    with tempfile.TemporaryDirectory(prefix="dispatch-gen-sign-") as fonts:  # the attachment's font
        style = image_style(picture) if picture else None
        if attachment_of is not None:
            width, height = _page_size(writer.prev, name_of_file)
            box, style = attachment_appearance(attachment_lines(unicodedata.normalize("NFC", attachment_of.strip()), when),
                                               width, height, fonts)
        field_name = f"{_FIELD[role]}-{chosen.index if chosen else _next_free(fields, role)}"
        if field_name in fields:
            raise SigningError(f"{name_of_file}: already signed as {role} in field {field_name}"
                               + (f" ({chosen.label})" if chosen else ""))
        meta = signers.PdfSignatureMetadata(
            field_name=field_name, md_algorithm="sha256", subfilter=sig_fields.SigSeedSubFilter.PADES,
            reason=_REASON[role], location=location,
            name=(organisation or name) if role == "organisation" else name,
        )
        spec = sig_fields.SigFieldSpec(sig_field_name=field_name, on_page=page, box=box.rounded() if box else None)
        pdf_signer = _pdf_signer(meta, signer=signer, stamp_style=style,
                                 new_field_spec=spec, system_time=when)
        out = io.BytesIO()
        try:
            pdf_signer.sign_pdf(writer, output=out)
        except HankoSigningError as exc:
            raise SigningError(f"{name_of_file}: signing failed: {exc}") from None
        except Exception as exc:
            if type(exc).__module__.startswith("pkcs11"):
                raise SigningError(f"{described}: the token refused to sign ({type(exc).__name__})") from None
            raise
    return out.getvalue(), (role, field_name, name, organisation, when, chosen, box, tuple(notes))


def _page_size(reader, name_of_file: str) -> tuple[float, float]:
    try:
        page = reader.find_page_for_modification(0)[0].get_object()
        while "/MediaBox" not in page and "/Parent" in page:
            page = page["/Parent"]
        x0, y0, x1, y1 = (float(v) for v in page["/MediaBox"])
    except Exception:  # noqa: BLE001
        raise SigningError(f"{name_of_file}: cannot read the size of the first page") from None
    return x1 - x0, y1 - y0


def _next_free(fields: dict, role: Role) -> int:
    used = {int(m.group(2)) for n in fields if (m := _FIELD_RE.match(n)) and m.group(1) == _FIELD[role]}
    return next(i for i in range(1, len(used) + 2) if i not in used)


def _pdf_signer(meta, *, signer, stamp_style, new_field_spec, system_time):
    """pyHanko's PdfSigner, with the signing time (/M and the CMS signing-time) given in Vietnam
    time rather than in the machine's zone."""
    from pyhanko.sign import signers

    class VietnamTimeSigner(signers.PdfSigner):
        def init_signing_session(self, pdf_out, existing_fields_only=False):
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = system_time
            return session

    return VietnamTimeSigner(meta, signer=signer, stamp_style=stamp_style, new_field_spec=new_field_spec)
