"""Ký số: PAdES signatures in the form Decree 30 Phụ lục I sets, and their verification.

A writer after PDF: `locate` finds the signature blocks in the PDF's text, `appearance` places
the signer's image and the seal, `keys` reaches the key (file or PKCS#11 token), `signer` adds the
signature as an incremental update, `verify` reports on every signature of a file. pyHanko is
imported only inside the functions that sign or verify.
"""
from __future__ import annotations

import logging

from .keys import KeySource, Secret, SigningError
from .signer import ROLES, Signed, sign_pdf, vietnam_time
from .verify import SignatureReport, VerifyReport, verify_pdf

logging.getLogger("pyhanko").addHandler(logging.NullHandler())
logging.getLogger("pyhanko_certvalidator").addHandler(logging.NullHandler())
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "FFTM NOT subset" on every font

__all__ = ["KeySource", "Secret", "SigningError", "ROLES", "Signed", "sign_pdf", "vietnam_time",
           "SignatureReport", "VerifyReport", "verify_pdf"]
