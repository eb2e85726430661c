"""Killed and injured counts from report sentences, ACLED-style.

ACLED keeps the lowest figure reported; we do too. Unknown is ``None``, never 0: "killed
Iranian-backed militants" gives no number. Vague quantities ("several", "dozens") are not turned
into numbers (ACLED codes them 10/12; we leave them None so users choose); "a dozen" is 12,
"at least N" is N, "more than N" is N (the lowest figure compatible with the report).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from geoevents.events._text import SMALL_NUMBER_WORDS

__all__ = ["CasualtyMatch", "find_casualties", "parse_number"]

_WORDS = {
    **SMALL_NUMBER_WORDS,
    **{
        w: 13 + i
        for i, w in enumerate(
            ("thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
        )
    },
    **{
        w: 20 + 10 * i
        for i, w in enumerate(("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"))
    },
    "a dozen": 12,
    "hundred": 100,
    "a hundred": 100,
    "one hundred": 100,
}
_NUMRX = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+|a dozen|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
)
_Q = (
    r"(?:(?:at least|more than|over|some|about|around|nearly|almost|up to|roughly|approximately|"
    r"no fewer than|no less than|not less than|all)\s+)?"
)
_N = r"(?<![\w-])(?P<n>" + _NUMRX + r")(?![\w-])"
# "16 people, including civilians, lost": a few words between the number and the verb
_GAP = r"(?:(?!and\b|but\b|after\b|before\b|when\b)[\w'’.\-]+,?\s+){0,6}?"
_BE = (
    r"(?:were|was|have been|has been|had been|are|is|got|being)?\s*(?:reportedly\s+|allegedly\s+|also\s+)?"
    r"(?:(?:lightly|slightly|seriously|critically|severely|badly|moderately|fatally)\s+)?"
    # "were yesterday ambushed and killed": a time word, another act of the attackers first
    r"(?:(?:yesterday|today|later|then|reportedly)\s+)?(?:(?:ambushed|attacked|abducted|kidnapped|shot|"
    r"tortured|beaten|stabbed|hacked|macheted)\s+and\s+)?"
)

# Patterns that start with the number run only where a number starts (``_NUM_AT``): scanning every
# position with the number alternation costs ~10x more.
# "Two suicide bombers killed 92 people": the number counts the attackers, the subject of "killed"
_ATTACKERS_ACTIVE = (
    r"(?!(?:[\w-]+\s+){0,2}?(?:bombers?|gunmen|attackers|assailants|militants|insurgents|terrorists|raiders|"
    r"herdsmen|bandits|jets|drones|warplanes|missiles|rockets)\s+(?:(?:reportedly|allegedly|also)\s+)?"
    r"(?:killed|shot(?:\s+dead)?)\s+(?!in\b|by\b|on\b|at\b|during\b|when\b|after\b|as\b|and\b|while\b)\w)"
)
_KILLED_AT = [
    _N
    + r"\s+"
    + _ATTACKERS_ACTIVE
    + _GAP
    + _BE
    + r"(?:killed|dead|died|slain|lost their lives|perished|shot dead|murdered|massacred|slaughtered|"
    r"martyred|beheaded|executed|(?:hacked|stabbed|beaten|clubbed|burnt|burned)\s+to\s+death)\b",
    _N + r"\s+(?:deaths|fatalities|dead)\b",
]
_INJURED_AT = [
    _N + r"\s+" + _GAP + _BE + r"(?:injured|wounded|hurt)\b",
    _N + r"\s+(?:injuries|casualties\s+among\s+the\s+wounded)\b",
    _N + r"\s+" + _GAP + r"(?:sustained|suffered)\s+(?:\w+\s+)?(?:injuries|wounds)\b",
]
_NUM_AT = re.compile(
    r"(?<![\w-])(?:\d|a dozen|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety)",
    re.IGNORECASE,
)
_KILLED = [
    r"\b(?:killing|killed|kills|claimed the lives of|death of|deaths of|left|shot dead|gunned down|"
    r"shot and killed|beheaded|beheading|massacred|massacring|murdered|slaughtered|executed|hacked|"
    r"decapitated|(?:clubbed|hacked|beaten|stabbed|burnt|burned)\s+to\s+death|bodies\s+of)\s+"
    + _Q
    + _N
    + r"(?!\s*(?:%|percent|km|kilomet|miles|days|hours|years))\b(?:\s+"
    + _GAP
    + r"(?:dead|people|members|"
    r"soldiers|civilians|militants|fighters|service|troops|others|of))?",
    r"\b(?:death toll|toll)\s+(?:rose\s+to|of|at|climbed\s+to|reached|stood\s+at|is|was)\s+" + _Q + _N,
    # "the death toll from an Israeli strike on a school had risen to 27"
    r"\bdeath\s+toll\b[^.;]{0,90}?\b(?:rose|risen|climbed|jumped|increased|reached|stood|stands)\s+(?:to\s+|at\s+)?"
    + _Q
    + _N,
]
_INJURED = [
    r"\b(?:injuring|wounding|injured|wounded|injuries to)\s+" + _Q + _N + r"\b",
]
# One person: "the commander ... was allegedly killed", "the death of one of its members".
_SINGLE_KILLED = re.compile(
    r"\b(?:(?:he|she|commander|leader|official|soldier|member|man|woman|child|contractor|fighter|"
    r"[A-Z][a-z]+-?[A-Za-z]*)(?:,[^,.;]{0,60},)?\s+(?:was|has been|had been)\s+"
    r"(?:reportedly\s+|allegedly\s+|also\s+)?killed)\b"
    r"|\bthe death of (?:one|a|an) (?:of )?\b",
)
# "killing a child", "killed a soldier": one person, named by a singular noun.
_ONE_KILLED = re.compile(
    r"\b(?:killing|killed|kills|shot\s+and\s+killed|shot\s+dead|gunned\s+down|murdered|beheaded|hacked|"
    r"stabbed|slaughtered|assassinated)\s+(?:a|an|one)\s+(?:[\w-]+\s+){0,3}(?:child|boy|girl|man|woman|lady|civilian|"
    r"soldier|policeman|police\s+officer|officer|fighter|member|militant|journalist|worker|farmer|"
    r"teenager|person|contractor|commander|official|leader|resident|shepherd|guard|student|doctor|driver|"
    r"paramedic|nurse|passenger|villager|pastor|priest|imam|cleric|chief|chieftain|lawyer|judge|teacher|trader|"
    r"businessman|politician|lawmaker|councillor|councilor|reporter|blogger|activist|elder|vaccinator|"
    r"traveller|traveler|lecturer|mayor|candidate|policewoman|herder|herdsman|pilgrim|worshipper|monk)\b(?!\s*(?:and|,)\s+(?:\d|two|three|four|five|six|seven|eight|nine|ten))",
    re.IGNORECASE,
)
# "killed him", "killed Dr. Deji Adejobi", "murdered Chief ...": one person by pronoun or title
_ONE_NAMED = re.compile(
    r"\b(?:killing|killed|shot\s+and\s+killed|shot\s+dead|gunned\s+down|murdered|beheaded|assassinated|"
    r"slaughtered)\s+(?:him|her|(?:(?:Dr|Mr|Mrs|Ms|Rev|Prof|Hon|Sgt|Capt|Col|Gen|Maj|Lt)\.?|Chief|Alhaji|Pastor|"
    r"Imam|Sheikh|Father|Bishop|Senator|Judge|Mayor)\s+[A-Z])",
)
_ONE_PLUS_OTHERS = re.compile(
    r"\b(?:killing|killed|kills)\s+(?:a|an|one)\s+[^.;]{0,80}?\band\s+(?P<n>" + _NUMRX + r")\s+"
    r"(?:other|more)\s+(?:people|persons|civilians|men|women|soldiers|members|fighters|others|guards)\b",
    re.IGNORECASE,
)
# "A doctor ... was shot dead by gunmen", "The imam ... has been hacked to death": one person.
_ONE_PASSIVE = re.compile(
    r"\b(?:was|has\s+been|had\s+been)\s+(?:[\w,\[\]-]+\s+){0,4}?(?:shot\s+dead|gunned\s+down|murdered|"
    r"assassinated|beheaded|lynched|slain|(?:hacked|stabbed|beaten|clubbed|burnt|burned|shot)\s+to\s+death|"
    r"shot\s+and\s+killed|killed)\b",
    re.IGNORECASE,
)
# "No casualties were reported", "causing no fatalities", "no one was killed": deaths reported as 0.
_ZERO_KILLED = re.compile(
    r"\b(?:no|zero)\s+(?:immediate\s+)?(?:reports?\s+of\s+)?(?:casualties|fatalities|deaths)\b"
    r"|\b(?:no\s+one|nobody|no\s+(?:people|person|civilians?|soldiers?))\s+(?:was|were|had\s+been)\s+"
    r"(?:(?:reported\s+)?(?:killed|hurt|injured|harmed))\b",
    re.IGNORECASE,
)
# whole month names or their abbreviations ("dec" alone, not the start of "decapitated")
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_MONTH_NEAR_AFTER = re.compile(r"(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTHS + r"(?:\s|,|$)", re.IGNORECASE)
_MONTH_NEAR_BEFORE = re.compile(r"\b" + _MONTHS + r"\s+$", re.IGNORECASE)
_NEG = re.compile(r"\b(?:no|none|nobody|without|not)\b(?!\s+(?:fewer|less)\b)[^.;]{0,25}$", re.IGNORECASE)

_HINT = re.compile(
    r"kill|dead|death|died|li(?:ves|fe)|slain|perish|injur|wound|hurt|casualt|fatalit|toll|murder|massacr|"
    r"behead|slaughter|execut|hacked|gunned|assassinat|lynch|martyr|decapit|bodies",
    re.IGNORECASE,
)
# The same scans without IGNORECASE, run on the lower-cased text when it is ASCII (same offsets,
# same matches; case-folding an alternation at every position is the slow part).
_HINT_LOW = re.compile(_HINT.pattern)
_NUM_AT_LOW = re.compile(_NUM_AT.pattern)
_HINT_WORDS = (
    "kill",
    "dead",
    "death",
    "died",
    "lives",
    "life",
    "slain",
    "perish",
    "injur",
    "wound",
    "hurt",
    "casualt",
    "fatalit",
    "toll",
    "murder",
    "massacr",
    "behead",
    "slaughter",
    "execut",
    "hacked",
    "gunned",
    "assassinat",
    "lynch",
    "martyr",
    "decapit",
    "bodies",
)
# Each figure pattern twice: (IGNORECASE, case-sensitive twin for lower-cased ASCII text); no
# capitals in the patterns.
_Patterns = tuple[list[re.Pattern[str]], list[re.Pattern[str]]]


def _compiled(sources: list[str]) -> _Patterns:
    return [re.compile(p, re.IGNORECASE) for p in sources], [re.compile(p) for p in sources]


_K = _compiled(_KILLED)
_I = _compiled(_INJURED)
_KA = _compiled(_KILLED_AT)
_IA = _compiled(_INJURED_AT)


@dataclass(frozen=True, slots=True)
class CasualtyMatch:
    """A casualty figure found in a sentence."""

    start: int
    end: int
    kind: str  # "killed" | "injured"
    n: int


def parse_number(text: str) -> int | None:
    """'16' -> 16, 'eight' -> 8, 'twenty-one' -> 21, '1,200' -> 1200, 'a dozen' -> 12; else None."""
    t = text.lower().strip()
    if t.replace(",", "").isdigit():
        return int(t.replace(",", ""))
    if t in _WORDS:
        return _WORDS[t]
    if "-" in t:
        a, _, b = t.partition("-")
        if a in _WORDS and b in _WORDS:
            return _WORDS[a] + _WORDS[b]
    return None


def _windows(sentence: str, low: str | None) -> list[tuple[int, int]]:
    """Stretches around casualty words: the patterns only run there (the speed-up that matters)."""
    spans: list[tuple[int, int]] = []
    hints = _HINT_LOW.finditer(low) if low is not None else _HINT.finditer(sentence)
    for h in hints:
        a, b = max(0, h.start() - 110), min(len(sentence), h.end() + 70)
        if spans and a <= spans[-1][1]:
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    return spans


def _scan(
    sentence: str,
    low: str | None,
    patterns: _Patterns,
    kind: str,
    windows: list[tuple[int, int]] | None = None,
    at: list[int] | None = None,
    out: list[CasualtyMatch] | None = None,
) -> list[CasualtyMatch]:
    out = [] if out is None else out
    spans = windows if windows is not None else [(0, len(sentence))]
    # ASCII text (``low``, its lower-cased form): the case-sensitive twins on ``low`` (same
    # offsets); the figure's own text is read from the sentence as written.
    scan, rxs = (low, patterns[1]) if low is not None else (sentence, patterns[0])
    for rx in rxs:
        found = (
            [m for p in at if (m := rx.match(scan, p))]
            if at is not None
            else [m for w0, w1 in spans for m in rx.finditer(scan, w0, w1)]
        )
        for m in found:
            ns, ne = m.span("n")
            n_text = sentence[ns:ne]
            n = parse_number(n_text)
            if n is None or n > 100_000:
                continue
            if _NEG.search(sentence[max(0, m.start() - 30) : m.start()]):
                continue
            # years and clock times are not counts ("in 2014 ... killed")
            if 1900 <= n <= 2100 and n_text.isdigit():
                continue
            # nor days of a date ("On 12 February 2024, gunmen killed ...", "on March 3, ...")
            if _MONTH_NEAR_AFTER.match(sentence, ne) or _MONTH_NEAR_BEFORE.search(
                sentence[max(0, ns - 12) : ns]
            ):
                continue
            if any(o.start < m.end() and m.start() < o.end for o in out):
                continue
            if n_text[0].isupper() and re.search(r"\b[A-Z][a-z]+\s+$", sentence[max(0, ns - 20) : ns]):
                continue  # "District Two of Kabul": part of a name, not a count
            out.append(CasualtyMatch(m.start(), m.end(), kind, n))
    return out


def find_casualties(sentence: str) -> list[CasualtyMatch]:
    """Killed/injured figures stated in ``sentence`` (lowest-figure choice is left to the caller)."""
    low = sentence.lower()
    if not any(w in low for w in _HINT_WORDS):
        return []
    return list(_casualties(sentence))


@lru_cache(maxsize=32)
def _casualties(sentence: str) -> tuple[CasualtyMatch, ...]:
    """Return the figures of one sentence, memoised.

    The extractor and the detector's features ask for the same sentence one after the other
    (small cache: a repeated corpus gains nothing more; the matches are frozen and callers get a
    fresh list).
    """
    low = sentence.lower() if sentence.isascii() else None  # the fast scans' text, made once
    windows = _windows(sentence, low)
    nums = _NUM_AT_LOW.finditer(low) if low is not None else _NUM_AT.finditer(sentence)
    at = [m.start() for m in nums]
    killed = _scan(sentence, low, _KA, "killed", at=at)
    _scan(sentence, low, _K, "killed", windows, out=killed)
    injured = _scan(sentence, low, _IA, "injured", at=at)
    _scan(sentence, low, _I, "injured", windows, out=injured)
    found = killed + injured
    if not any(c.kind == "killed" for c in found):
        # "killed a senior commander ... and two other people": the one named plus the others
        mp = _ONE_PLUS_OTHERS.search(sentence)
        if mp and not _NEG.search(sentence[max(0, mp.start() - 30) : mp.start()]):
            n = parse_number(mp.group("n"))
            if n is not None:
                found.append(CasualtyMatch(mp.start(), mp.end(), "killed", n + 1))
    if not any(c.kind == "killed" for c in found):
        m1 = _ONE_KILLED.search(sentence) or _ONE_NAMED.search(sentence)
        if m1 and not _NEG.search(sentence[max(0, m1.start() - 30) : m1.start()]):
            found.append(CasualtyMatch(m1.start(), m1.end(), "killed", 1))
    if not any(c.kind == "killed" for c in found):
        m2 = _ONE_PASSIVE.search(sentence)
        if m2 and not _NEG.search(sentence[max(0, m2.start() - 30) : m2.start()]):
            found.append(CasualtyMatch(m2.start(), m2.end(), "killed", 1))
    if not any(c.kind == "killed" for c in found):
        z = _ZERO_KILLED.search(sentence)
        if z:
            found.append(CasualtyMatch(z.start(), z.end(), "killed", 0))
    if not any(c.kind == "killed" for c in found):
        for m in _SINGLE_KILLED.finditer(sentence):
            if _NEG.search(sentence[max(0, m.start() - 30) : m.start()]):
                continue
            text = m.group(0)
            # a plural subject ("militants were killed") is a number we do not know
            if re.search(r"\b(?:were|have been)\b", text):
                continue
            found.append(CasualtyMatch(m.start(), m.end(), "killed", 1))
            break
    found.sort(key=lambda c: c.start)
    return tuple(found)
