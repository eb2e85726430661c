"""Tokens of an article and the runs of name-like tokens that recognition starts from.

A token knows whether it *looks* like a name (``cap``: capitalised, Arabic script, or an
"al-"-prefixed word), whether it may sit inside a name (``conn``: "of", "al", "de", "and"), and
where it is. Runs are maximal sequences of name-like tokens separated by one or two spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geoevents.geoparse._lexicon import CONNECTORS

__all__ = [
    "ARABIC",
    "ARTICLE_PREFIX",
    "WS_GAP",
    "Token",
    "caps_context",
    "headline_ranges",
    "is_cap",
    "runs",
    "sentence_initial",
    "tokenize",
]

# Tokens: "U.S." style initialisms, words (letters first; inside: letters, digits, hyphens,
# apostrophes that do not start a possessive 's), and numbers (which only break runs).
_TOKEN = re.compile(
    r"(?:[^\W\d_]\.){2,}"
    r"|[^\W\d_](?:\w|[-‐‑](?=\w)|['’](?!s\b)(?=\w))*"
    r"|\d[\w.,]*"
)
ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]")
# the Arabic article in its transliterations ("al-", "ez-", "ech-"), sun-letter forms included
ARTICLE_PREFIX = re.compile(
    r"^(?:al|el|il|ad|an|ar|as|ash|at|az|ud|ul|ed|es|esh|ech|ej|er|et|ez|en)[-‐‑'’]", re.IGNORECASE
)
_SENT_END = set('.!?\n\r"“”‘’([{:;|•·—–\u0085\u2028\u2029')
_ABBREV_DOT = frozenset({"st", "mt", "ft", "pt", "sta", "ste", "n", "s", "e", "w"})
WS_GAP = re.compile(r"[ \t\u00a0]{1,2}")
_HEADLINE_WORD = re.compile(r"[^\W\d_][\w'’]*")


@dataclass(slots=True)
class Token:
    """One word of the text: offsets, its form, and whether it can be (part of) a name."""

    start: int
    end: int
    text: str
    cap: bool  # looks like a name: capitalised, Arabic script, "al-Qaim"
    conn: bool  # may join two name tokens: "of", "al", "de", "and"
    arabic: bool = False


def is_cap(word: str) -> bool:
    """Tell whether a word is written like a name (capital, Arabic script, or "al-" + capital)."""
    c = word[0]
    if c.isupper():
        return True
    if c in "dl" and word[1:2] in ("'", "’"):
        return word[2:3].isupper()  # the French article elided: "Côte d'Ivoire", "L'Aquila"
    if c.isascii() and c not in "aAeEiIuU":
        return False
    if ARABIC.match(c):
        return True
    art = ARTICLE_PREFIX.match(word)
    return art is not None and word[art.end() : art.end() + 1].isupper()


def caps_context(text: str, toks: list[Token], i: int) -> bool:
    """Tell whether the words around token ``i`` are in capitals too (a dateline or a shouted headline)."""
    near = [t.text for t in toks[max(0, i - 3) : i + 4] if t is not toks[i] and t.text[0].isalpha()]
    return bool(near) and sum(w.isupper() for w in near) >= max(1, len(near) // 2)


def headline_ranges(text: str) -> list[tuple[int, int]]:
    """Lines written in Title Case ("Alexandria Woman Charged In Fire"), where capitals say nothing."""
    out = []
    pos = 0
    for line in text.split("\n"):
        words = [w for w in _HEADLINE_WORD.findall(line) if len(w) > 3]
        if len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.8 * len(words):
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def sentence_initial(text: str, start: int) -> bool:
    """Tell whether ``start`` opens a sentence, line or list item (its capital says nothing)."""
    i = start - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    return i < 0 or text[i] in _SENT_END


def tokenize(text: str) -> list[Token]:
    """All word and number tokens of ``text``, in order."""
    toks: list[Token] = []
    append = toks.append
    conns = CONNECTORS
    for m in _TOKEN.finditer(text):
        w = m.group()
        c = w[0]
        if c.isupper():
            append(Token(m.start(), m.end(), w, True, len(w) <= 5 and w.lower() in conns))
        elif c.isascii():
            if c.isdigit():
                append(Token(m.start(), m.end(), w, False, False))
            else:
                append(
                    Token(
                        m.start(),
                        m.end(),
                        w,
                        (c in "aAeEiIuU" or w[1:2] in ("'", "’")) and is_cap(w),
                        len(w) <= 5 and w in conns,
                    )
                )
        else:
            ar = bool(ARABIC.match(c))
            append(Token(m.start(), m.end(), w, ar or is_cap(w), w.lower() in conns, ar))
    return toks


def runs(text: str, toks: list[Token]) -> list[list[int]]:
    """Maximal runs of capitalized tokens (connectors allowed inside), as token indices."""
    out_runs: list[list[int]] = []
    cur: list[int] = []
    for i, t in enumerate(toks):
        joined = False
        if cur and (t.cap or t.conn):
            prev = toks[cur[-1]]
            gap = text[prev.end : t.start]
            if WS_GAP.fullmatch(gap) or (gap in (". ", ".") and prev.text.lower() in _ABBREV_DOT):
                cur.append(i)
                joined = True
        if not joined:
            if cur:
                out_runs.append(cur)
            cur = [i] if t.cap else []
    if cur:
        out_runs.append(cur)
    out = []
    for r in out_runs:  # trim trailing connectors
        while r and not toks[r[-1]].cap:
            r.pop()
        if r:
            out.append(r)
    return out
