"""Signature and Nơi nhận rules: authority prefixes, the signer's name, the recipient lines."""
from __future__ import annotations

import re
from typing import Iterator

from . import blanks
from .context import Context
from .finding import Finding
from .layout import AUTHORITY_LOOSE, DASH_RE, DRAFTER_RE

_TITLES = re.compile(r"^(GS|PGS|TS|ThS|KS|BS|CN|NCS|TSKH)\.\s*", re.I)
_ARCHIVE = re.compile(r"^[-–]\s*Lưu\s*:", re.I)


def signers(ctx: Context) -> Iterator[Finding]:
    L = ctx.layout
    if not L.signers:
        yield Finding("SIG-001", "no signature block found", expected="quyền hạn, chức vụ and name", found="none")
        return
    allowed = ctx.profile.authorities
    # The profile's prefixes, each followed by the title (`KT. CỤC TRƯỞNG`, `T/M BAN THƯỜNG VỤ`).
    written = re.compile(r"^(%s)\s*\S" % "|".join(re.escape(a) for a in allowed))
    for s in L.signers:
        for a in s.authority:
            if a.is_tag:
                continue
            text = a.text.strip()
            if AUTHORITY_LOOSE.match(text) and not written.match(text):
                prefix = re.split(r"\s", text, maxsplit=1)[0]
                yield Finding("SIG-002", "authority prefix is mistyped", expected=" ".join(allowed),
                              found=prefix, **ctx.where(a))
        if s.name is None:
            anchor = s.authority[-1] if s.authority else None
            yield Finding("SIG-003", "no signer's name under the position", expected="the signer's full name",
                          found="none", **ctx.where(anchor))
        elif not s.name.is_tag and _TITLES.match(s.name.text.strip()):
            yield Finding("SIG-004", "academic title before the signer's name", expected="the name alone",
                          found=s.name.text.strip(), **ctx.where(s.name))


def recipients(ctx: Context) -> Iterator[Finding]:
    L = ctx.layout
    if L.recipients_label is None:
        yield Finding("RCP-001", "no `Nơi nhận:` block", expected="Nơi nhận:", found="none")
        return
    # The drafter's mark under the list (ô 12, `NVB.(30)`) is not a recipient line.
    lines = [r for r in L.recipients if not r.is_tag and not DRAFTER_RE.match(r.text.strip())]
    if not lines:
        return
    for k, r in enumerate(lines):
        text = r.text.strip()
        # a `- Lưu: …` line ends its block: a bản sao's own Nơi nhận may follow it (mẫu 3.1)
        last = k == len(lines) - 1 or bool(_ARCHIVE.match(text))
        end = "." if last else ";"
        open_end = bool(blanks.blanks(text)) and blanks.blanks(text)[-1][1] >= len(text.rstrip(" ;."))
        if not DASH_RE.match(text) or not text.startswith("- ") or (not text.endswith(end) and not open_end):
            yield Finding("RCP-002", "recipient line is not `- …" + end + "`", expected=f"- …{end}", found=text,
                          **ctx.where(r))
    if not _ARCHIVE.match(lines[-1].text.strip()):
        yield Finding("RCP-003", "the last recipient line is not the archive (`- Lưu: VT, …`)",
                      expected="- Lưu: VT, ….", found=lines[-1].text.strip(), **ctx.where(lines[-1]))


RULES = (signers, recipients)
