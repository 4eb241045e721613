"""What every rule sees: the read document, its element map, the profile and its tolerances."""
from __future__ import annotations

from dataclasses import dataclass

from ..profile import Profile
from .layout import Found, Layout, fold
from .reader import DocxDoc, Para


@dataclass
class Context:
    doc: DocxDoc
    layout: Layout
    profile: Profile

    @property
    def template(self) -> bool:
        return self.doc.is_template

    @property
    def excerpt(self) -> bool:
        """A bản trích sao (its copy block says `TRÍCH SAO`): the text is part of a document, so it
        may end without `./.` and its numbers may skip the parts left out (never go back)."""
        return any(p.table is not None and fold(p.clean) == "TRICH SAO" for p in self.doc.paras)

    def tolerance(self, key: str) -> float:
        return float(self.profile.raw.get("check", {}).get(key, 0))

    def where(self, item: Found | Para | None) -> dict:
        """The location fields of a finding about `item`."""
        if item is None:
            return {}
        para = item.para if isinstance(item, Found) else item
        text = item.text if isinstance(item, Found) else para.clean
        text = " ".join(text.split())
        return {"paragraph": para.index or None, "snippet": text if len(text) <= 60 else text[:59] + "…"}
