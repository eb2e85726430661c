"""Sentences with offsets, and the lines of an article that are not report prose."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: English number words 1-12, shared by the casualty and the date parsers.
SMALL_NUMBER_WORDS: dict[str, int] = {
    w: i + 1
    for i, w in enumerate(
        ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
    )
}

__all__ = ["Sentence", "split_sentences"]

# Lines that introduce links to other stories, not this story's facts.
_BOILER = re.compile(
    r"^\s*(?:also read|read also|read more|see also|related(?: stories| articles| news)?|more on this|"
    r"watch|share this|recommended|trending|latest news|you may also like|click here)\b",
    re.IGNORECASE,
)
# A line saying the article body is over: what follows is a related-stories block or footer.
_END = re.compile(
    r"^\s*(?:related(?: stories| articles| news| posts)?|share this(?: post| article)?|read more|"
    r"more stories|you may also like|the views expressed in this article)\b",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.!?][\"”’')\]]*\s*$")
_SPLIT = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_ABBREV = re.compile(
    r"(?:\b(?:[A-Z]\.){1,3}|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|St|Sen|Rep|Gov|Prof|No|vs|Jr|Sr|Brig|Adm|Cmdr)\.)$"
)
# "on Jan. 20", "Feb. 5": a month abbreviation before a day number never ends a sentence.
_MONTH_ABBREV = re.compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.$")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its text, where it starts in the article, and which paragraph it is in."""

    start: int
    end: int
    text: str
    para: int
    index: int


def _is_prose(line: str) -> bool:
    words = line.split()
    if _BOILER.match(line):
        return False
    return (bool(_TERMINAL.search(line)) and len(words) >= 5) or len(words) >= 15


def split_sentences(text: str) -> list[Sentence]:
    """Split report prose into sentences, keeping offsets into ``text``.

    Headlines, bylines, "Also Read:" lines and everything after a "Related" or footer marker are
    left out: they name other stories' events, not this story's.
    """
    out: list[Sentence] = []
    pos = 0
    para = 0
    lines = text.splitlines(keepends=True)
    # a one-line text is a snippet or a wire lead, not a headline ("A worker was gunned down in Bannu")
    single = sum(1 for x in lines if x.strip()) == 1 and len(text.split()) >= 5
    for line in lines:
        line_start = pos
        pos += len(line)
        stripped = line.strip()
        if not stripped:
            continue
        if out and _END.match(stripped):
            break
        if not _is_prose(stripped) and not (single and not _BOILER.match(stripped)):
            continue
        para += 1
        offset = line_start + (len(line) - len(line.lstrip()))
        body = line.strip()
        start = 0
        for m in _SPLIT.finditer(body):
            head = body[start : m.start() + 1]
            if _MONTH_ABBREV.search(head) and re.match(r"\d{1,2}\b", body[m.end() : m.end() + 3]):
                continue
            if _ABBREV.search(head):
                # "U.S. Central Command": the period closes an abbreviation, not a sentence,
                # unless what follows is clearly a new sentence opener.
                nxt = body[m.end() : m.end() + 12]
                if not re.match(r"(?:The|This|These|It|He|She|They|In|On|A|An)\b", nxt):
                    continue
            seg = body[start : m.end()].rstrip()
            if seg:
                out.append(Sentence(offset + start, offset + start + len(seg), seg, para, len(out)))
            start = m.end()
        seg = body[start:].rstrip()
        if seg:
            out.append(Sentence(offset + start, offset + start + len(seg), seg, para, len(out)))
    return out
