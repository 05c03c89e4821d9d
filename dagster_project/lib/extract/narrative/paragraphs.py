"""The narrative's paragraphs: lines a PDF broke mid-sentence joined again, each paragraph
with its topic (收入预算, 支出预算, 三公, …), which decides what the figures in it denote."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..amounts import normalise_text
from ..lines import Line

_SECTION = re.compile(r"^\s*[一二三四五六七八九十]+\s*、")
_SENTENCE_END = ("。", "；", ";", "！", "？", "!", "?", ":", "：")
_ENUMERATION = re.compile(r"^\s*(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+\s*[、.](?!\d))")
# "（九）关于…“三公”经费预算情况说明": a sub-section whose numbered items (1. 2. 3. or (1)
# (2)) speak of its topic even when they name only their item ("1.因公出国（境）费用：…").
_SUBSECTION = re.compile(r"^\s*[(（][一二三四五六七八九十]+[)）]")
_ITEM = re.compile(r"^\s*(?:\d+\s*[、.．](?!\d)|[(（]\d+[)）])")
# A document's or section's title on a line of its own ("某局2025年部门预算公开"): not the
# first words of the paragraph after it.
_TITLE = re.compile(r"^[^，,。；;：:]{0,40}(?:预算公开|预算情况说明|情况说明|预算)$")
# An item's name alone on its line ("（一）因公出国（境）费用。"), its figure on the next.
_BARE_LABEL = re.compile(r"^\s*(?:[(（][一二三四五六七八九十\d]+[)）]|\d+\s*[、.．])?[^\d]{2,16}[。：:]?$")

# A number a PDF's text layer split after its decimal point ("5. | 00", or "8." at a line's
# end and "00" on the next): one number again, never "00" read alone as 0.
_OPEN_DECIMAL = re.compile(r"\d\.$")
_SPLIT_DECIMAL = re.compile(r"(?<=\d\.)\s+(?=\d)")

# Paragraph topics, recognised from the paragraph's opening words or its heading.
_TOPICS = (
    ("glossary", re.compile(r"名词解释")),
    ("three_public", re.compile(r"三公")),
    ("income", re.compile(r"收入预算")),
    ("expenditure", re.compile(r"支出预算")),
    ("operating", re.compile(r"运行经费")),
    ("procurement", re.compile(r"政府采购")),
    ("performance", re.compile(r"绩效目标")),
    ("assets", re.compile(r"国有资产|车辆")),
    ("budget", re.compile(r"部门预算情况|财政拨款收支|一般公共预算(?:财政)?拨款|一般公共预算支出")),
    ("gov_fund", re.compile(r"政府性基金")),
)


@dataclass
class Paragraph:
    text: str = ""
    topic: str | None = None
    offsets: list[tuple[int, int]] = field(default_factory=list)  # (offset, line number)

    def add(self, line: Line, text: str) -> None:
        if self.text and not (_OPEN_DECIMAL.search(self.text) and text[:1].isdigit()):
            self.text += " " if text[:1].isascii() and self.text[-1:].isascii() else ""
        self.offsets.append((len(self.text), line.number))
        self.text += text

    def line_at(self, offset: int) -> int:
        return max((line for start, line in self.offsets if start <= offset), default=self.offsets[0][1])


def topic_of(text: str) -> str | None:
    """The topic named first in the paragraph's opening words: "政府采购支出预算情况说明" is
    about procurement, "一般公共预算支出预算…" about the general public budget, though both
    also say 支出预算."""
    head = _ENUMERATION.sub("", text)[:24]
    found = [
        (match.start(), order, topic)
        for order, (topic, pattern) in enumerate(_TOPICS)
        if (match := pattern.search(head))
    ]
    return min(found)[2] if found else None


def _is_item_label(paragraph: str, following: str) -> bool:
    """The paragraph so far is an item's name alone, and the next line states its figure."""
    return bool(_BARE_LABEL.match(paragraph)) and bool(re.search(r"\d", following))


def paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Join lines broken mid-sentence (PDF line breaks) into paragraphs that carry a topic."""
    result: list[Paragraph] = []
    heading_topic: str | None = None
    sub_topic: str | None = None
    current: Paragraph | None = None
    for line in lines:
        if line.is_blank:
            continue
        text = _SPLIT_DECIMAL.sub("", normalise_text(line.plain).strip())
        if _TITLE.match(text) and topic_of(text) is None and not _ENUMERATION.match(text):
            # A title naming no topic stands alone: the paragraph after it opens on its own words.
            title = Paragraph(topic=None)
            title.add(line, text)
            result.append(title)
            current = None
            continue
        is_heading = line.text.lstrip().startswith("#") or bool(_SECTION.match(text))
        continues = (
            current is not None
            and not is_heading
            and (not current.text.endswith(_SENTENCE_END) or _is_item_label(current.text, text))
            and not _ENUMERATION.match(text)
            and not current.text.startswith("#")
        )
        if continues:
            current.add(line, text)
            continue
        topic = topic_of(text)
        if is_heading:
            heading_topic = topic
            sub_topic = None
        elif _SUBSECTION.match(text):
            sub_topic = topic
        elif topic is None and _ITEM.match(text):
            topic = sub_topic
        if heading_topic == "glossary":
            topic = "glossary"  # definitions name 三公 and 收入 without stating figures
        # A paragraph within a section takes the section's topic ("四、三公…" → its (一)(二)
        # speak of 三公 even when they say 支出预算); under a topic-less section its own.
        current = Paragraph(topic=topic if is_heading or not heading_topic else heading_topic)
        current.add(line, text)
        result.append(current)
    return result
