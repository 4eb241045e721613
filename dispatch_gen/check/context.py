"""What every rule sees: the read document, its element map, the profile and its tolerances."""
from __future__ import annotations

from dataclasses import dataclass

from ..profile import Profile
from .layout import Found, Layout
from .reader import DocxDoc, Para


@dataclass
class Context:
    doc: DocxDoc
    layout: Layout
    profile: Profile

    @property
    def template(self) -> bool:
        return self.doc.is_template

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
