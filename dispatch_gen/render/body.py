"""The body as the template shows it: one flat list of paragraphs, each with its kind and label.

Sections (Mục), items (khoản), points (điểm), dash lines, sub-heads, Điều with their khoản,
Chương / Mục headings, tables and pictures are numbered here, from the document's numbering
per level and its restart rule, so that the template only places `body` entries in order:

- `heading` — a section heading (`I. MỤC ĐÍCH, YÊU CẦU`), bold;
- `body` — a paragraph of running text (labelled lines included: `1. …`, `a) …`, `- …`);
- `center` — a centred bold line (Chương / Mục label and title);
- `article` — `Điều N.` in bold and the article's text in one paragraph;
- `xml` — a table or a picture, already laid out (`{{p }}`), and `caption` — its caption.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .. import vn
from ..model import Article, Block, Numbering, Section


def _kind_of(style: str) -> str:
    """A line numbered I., II. … is a heading (bold), whatever its level: Decree 30 numbers its
    parts that way, and readers (and `check`) take a Roman numeral for a Mục."""
    return "heading" if style == "roman" else "body"


@dataclass
class Counter:
    """The running number of one list level; `restart` says when it goes back to 0."""

    value: int = 0

    def next(self) -> int:
        self.value += 1
        return self.value


@dataclass
class BodyWriter:
    """Collects body entries; `table` and `image` lay out the non-text blocks (given by the renderer)."""

    numbering: Numbering
    expand: Callable[[str], str]
    table: Callable[[Any], Any] | None = None
    image: Callable[[Any], Any] | None = None
    out: list[dict[str, Any]] = field(default_factory=list)

    def add(self, kind: str, text: str = "", **extra: Any) -> None:
        self.out.append({"kind": kind, "text": text, kind: text, "label": extra.pop("label", ""),
                         "xml": extra.pop("xml", None), "before": extra.pop("before", 0), **extra})

    def styles(self, depth: int) -> str:
        """The numbering style of list depth 1 (items), 2 (points), 3 and deeper (subpoints)."""
        n = self.numbering
        return n.items if depth <= 1 else n.points if depth == 2 else n.subpoints

    def blocks(self, blocks: list[Block], depth: int, parents: tuple[int, ...], style: str | None,
               counter: Counter, restart: str) -> None:
        """Entries of one list in order; items at `depth` are labelled in `style` (or the level's)."""
        style = style or self.styles(depth)
        for b in blocks:
            kind = b.kind
            if kind == "paragraph":
                self.add("body", self.expand(b.paragraph))
            elif kind == "bullet":
                self.add("body", f"- {self.expand(b.bullet)}")
            elif kind == "plus":
                self.add("body", f"+ {self.expand(b.plus)}")
            elif kind == "subhead":
                self.add("body", self.expand(b.subhead))
                if restart == "group":
                    counter.value = 0
            elif kind == "item":
                n = counter.next()
                self.add(_kind_of(style), vn.labelled(style, n, self.expand(b.item), parents))
                self.blocks(b.content, depth + 1, parents + (n,), b.numbering, Counter(), restart)
            elif kind == "table" and self.table is not None:
                self.add("xml", xml=self.table(b.table))
                if b.table.caption:
                    self.add("caption", self.expand(b.table.caption))
            elif kind == "image" and self.image is not None:
                self.add("xml", xml=self.image(b.image))
                if b.image.caption:
                    self.add("caption", self.expand(b.image.caption))

    def articles(self, articles: list[Article], first: int = 1) -> int:
        """Điều N. (numbered through the document), with Chương / Mục headings centred above them."""
        n = first - 1
        for a in articles:
            if a.chapter or a.part:
                self.add("center", self.expand(a.chapter or a.part), before=12)
                self.add("center", vn.upper(self.expand(a.title)) if a.chapter else self.expand(a.title))
                continue
            n += 1
            text = self.expand(a.article)
            if a.content and vn.is_article_title(text):  # `Điều 1. Phạm vi điều chỉnh`, its khoản below
                text = "**" + text.replace("*", "\\*") + "**"
            self.add("article", text, label=f"Điều {n}.")
            # khoản start again in each Điều
            self.blocks(a.content, 1, (), a.numbering or "arabic", Counter(), self.numbering.restart)
        return n


def section_entries(sections: list[Section], writer: BodyWriter, targets: Callable[[], list[str]]) -> None:
    """Each section (a document's, or a phụ lục's): its heading, the paragraphs and lines typed the
    first way (`paragraphs`, `bullets`, `items`), then its `content` in order; items numbered on
    through both.

    `targets` gives the target lines (`- 90% tập thể …;`) where a section or item asks for them.
    """
    numbering = writer.numbering
    x = writer.expand
    carried = Counter()
    for index, sec in enumerate(sections, 1):
        writer.add("heading", vn.labelled(numbering.sections, index, x(sec.heading)))
        restart = sec.restart or numbering.restart
        counter = carried if restart == "continue" else Counter()
        style = sec.numbering or numbering.items
        for text in sec.paragraphs:
            writer.add("body", x(text))
        for text in [f"- {x(b)}" for b in sec.bullets] + (targets() if sec.targets else []):
            writer.add("body", text)
        for item in sec.items:
            n = counter.next()
            writer.add(_kind_of(style), vn.labelled(style, n, x(item.text), (index,)))
            for text in item.paragraphs:
                writer.add("body", x(text))
            lines = [f"- {x(b)}" for b in item.bullets]
            lines += [vn.labelled(numbering.points, k, x(p), (index, n)) for k, p in enumerate(item.points, 1)]
            for text in lines + (targets() if item.targets else []):
                writer.add("body", text)
            writer.blocks(item.content, 2, (index, n), item.numbering, Counter(), restart)
        writer.blocks(sec.content, 1, (index,), style, counter, restart)
