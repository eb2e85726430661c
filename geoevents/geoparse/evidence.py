"""How strongly the words around a matched span say it is a place mention, and what they hint.

:func:`span_evidence` adds up cues into one number that recognition compares with
``Weights.accept``: how well known the best candidate is, a cue word before ("in", "near",
"struck"), a place-type word after ("province"), against a person title, an organisation
follower ("Ohio Senate"), an ordinary word written in lower case elsewhere, an acronym.
:func:`context_cues` then records what the context says about the mention itself: a type hint
("Anbar province" asks for an admin unit), the relative phrase before it, a metonymic use, a US
state abbreviation qualifier ("Alexandria, La.").
"""

from __future__ import annotations

import re

from geoevents.geoparse._lexicon import (
    CONNECTORS,
    DIRECTION_WORDS,
    NON_PLACE_FOLLOWERS,
    ORG_FOLLOWERS,
    PERSON_NAMES,
    PERSON_TITLES,
    PLACE_CUES_BEFORE,
    PLACE_TYPE_AFTER,
    SPEECH_VERBS,
)
from geoevents.geoparse._usstates import US_STATE_ABBREV
from geoevents.geoparse.mention import Mention
from geoevents.geoparse.relative import relation_before
from geoevents.geoparse.tables import NameTables
from geoevents.geoparse.tokens import WS_GAP, Token, caps_context, sentence_initial
from geoevents.geoparse.weights import COUNTRY_CODES, PRIOR_FEATURE_BONUS, Weights, pop_term
from geoevents.records import Place

__all__ = ["HYPHEN_ADJ", "LIST_TYPE_AFTER", "context_cues", "span_evidence"]

HYPHEN_ADJ = re.compile(
    r"[-‐‑](?:held|controlled|led|backed|run|occupied|allied|based|linked|"
    r"aligned|affiliated|supported|administered|annexed)$"
)
_FUNCTION_AFTER = frozenset(
    "on in at and or was were is are near to from where which has had have "
    "after before the a an with for by".split()
)
_NAME_RE = r"[A-Z][\w'’-]*(?:\s+(?:[a-z]{1,3}[-‐‑]?)?[A-Z][\w'’-]*){0,2}"
LIST_TYPE_AFTER = re.compile(
    r"(?:\s+(?:and|or)\s+"
    + _NAME_RE
    + r"|(?:,\s*"
    + _NAME_RE
    + r")+,?\s+(?:and|or)\s+"
    + _NAME_RE
    + r")?\s+(?P<tw>(?i:provinces|regions|governorates|oblasts|districts|states|lgas|counties))\b"
)
_METONYMY_BEFORE = re.compile(r"\b(?:with|between|against)\s+$", re.IGNORECASE)
_METONYMY_AFTER = re.compile(r"\s*(?:[,.;:)]|and\b|or\b|$)")
# state abbreviations that are also words ("la", "miss", "ore"): a qualifier only with their dot
_WORDLIKE_ABBREV = frozenset({"la", "del", "ind", "miss", "wash", "mass", "ore"})


def span_evidence(
    sh: NameTables,
    w: Weights,
    text: str,
    toks: list[Token],
    ti: int,
    tj: int,
    n: int,
    key: str,
    cands: list[Place],
    lower_words: set[str],
    headline: bool = False,
) -> float:
    """How strongly the context says this matched span is a place (>= ACCEPT keeps it)."""
    best = max(cands, key=lambda p: pop_term(p) + PRIOR_FEATURE_BONUS.get(p.feature_code, 0.0))
    code = best.feature_code
    ev = 0.0
    strong = (
        code in COUNTRY_CODES
        or code in ("ADM1", "PPLC", "CONT")
        or max((c.population or 0) for c in cands) >= 200_000
    )
    if code in COUNTRY_CODES or key in sh.country_names or code == "CONT":
        ev += 2.5
    elif code == "ADM1":
        ev += 2.0
    else:
        pop = max((c.population or 0) for c in cands)
        ev += 1.5 if pop >= 1_000_000 else 1.0 if pop >= 100_000 else 0.5 if pop >= 10_000 else 0.0
    if n > 1:
        ev += 0.8
    prev = toks[ti - 1] if ti > 0 else None
    nxt = toks[tj + 1] if tj + 1 < len(toks) else None
    gap_after = text[toks[tj].end : nxt.start] if nxt else ""
    first = toks[ti].text
    low = first.lower()
    if n > 1 and low.rstrip(".") in PERSON_TITLES and low not in DIRECTION_WORDS:
        ev -= 4.0  # "Queen Victoria", "President Lincoln" matched as one name
    arabic = toks[ti].arabic or headline  # no capitals to read: only cue words count
    if prev is not None:
        pl = prev.text.lower().rstrip(".")
        gap_before = text[prev.end : toks[ti].start]
        if pl in PLACE_CUES_BEFORE and WS_GAP.fullmatch(gap_before):
            ev += 1.0
        elif (
            pl == "s"
            and ti > 1
            and text[prev.start - 1 : prev.start] in "'’"
            and WS_GAP.fullmatch(gap_before)
            and sh.norm(toks[ti - 2].text) in sh.country_names
            and (
                nxt is None
                or nxt.cap
                or not nxt.text[0].isalpha()
                or nxt.text.lower().rstrip("s") in PLACE_TYPE_AFTER
                or nxt.text.lower() in _FUNCTION_AFTER
            )
        ):
            # ("China's Christian population": an adjective before a noun, no boost)
            ev += 1.0  # "Syria's Deir ez-Zor", "Iraq's Qandil": a place of a place
        if pl in SPEECH_VERBS and code not in COUNTRY_CODES and code != "ADM1":
            ev -= 2.0  # "said Roberts"
        if arabic:
            pass
        elif pl in PERSON_TITLES and (gap_before.strip() in ("", ".")) and prev.cap:
            ev -= 4.0
        elif HYPHEN_ADJ.search(prev.text) and prev.text[0].isupper():
            pass  # "Houthi-held Marib", "Kurdish-led Manbij": an adjective, not a first name
        elif (
            prev.cap
            and not prev.conn
            and WS_GAP.fullmatch(gap_before)
            and pl not in DIRECTION_WORDS
            and not sentence_initial(text, prev.start)
        ):
            # "George Washington", "President Lincoln": part of a longer unmatched name
            ev -= 2.0
        elif prev.cap and WS_GAP.fullmatch(gap_before) and pl not in DIRECTION_WORDS:
            ev -= 1.0
    if arabic:
        pass
    elif nxt is not None and WS_GAP.fullmatch(gap_after):
        nl = nxt.text.lower()
        # a well-known place in an organisation's name ("Ohio Senate", "Gainesville Police")
        # is still a place mention; a small one ("Fairfield Inn") much less likely
        soften = w.strong_soften if strong else 1.0
        if nxt.cap and n == 1 and nl in PERSON_NAMES and not nxt.text.isupper():
            ev -= 3.0  # "Jordan Smith", "Georgia Brown": a first name before a surname
        elif nxt.cap and nl in ORG_FOLLOWERS:
            ev -= 2.5 * soften
        elif nxt.cap and len(nxt.text) == 1 and text[nxt.end : nxt.end + 1] == ".":
            ev -= 3.0  # "Virginia L. Lane": a middle initial
        elif nxt.cap and nl not in PLACE_TYPE_AFTER and nl not in CONNECTORS:
            ev -= 1.5 * soften
        if nl in PLACE_TYPE_AFTER or nl.rstrip("s") in PLACE_TYPE_AFTER:
            ev += 1.0
        if nl in SPEECH_VERBS and code not in COUNTRY_CODES and code != "PPLC" and code != "ADM1":
            ev -= 2.0
        if nl in NON_PLACE_FOLLOWERS and code not in COUNTRY_CODES:
            ev -= 2.5
    elif nxt is not None and gap_after.strip() == "," and (nxt.cap or nxt.text.isupper()):
        ev += 0.3
    if n == 1 and not toks[ti].arabic:
        if (key in sh.common_keys or low in lower_words) and not (
            first.isupper() and key in sh.country_names
        ):
            cued = prev is not None and prev.text.lower() in PLACE_CUES_BEFORE
            ev -= 1.5 if cued else 2.0
        if len(key) == 1:
            ev -= 4.0
        if low in PERSON_NAMES and key not in sh.country_names:
            ev -= w.person_name
        if sentence_initial(text, toks[ti].start):
            ev -= 0.7
        if len(key) <= 2 and not first.isupper():
            ev -= 1.5
        if (
            first.isupper()
            and 2 <= len(first.replace(".", "")) <= 5
            and key not in sh.country_names
            and code not in COUNTRY_CODES
            and not headline
            and not caps_context(text, toks, ti)
        ):
            ev -= 2.5  # acronyms in mixed-case text: "NATO", "AMLO", "MW"
    return ev


def context_cues(text: str, toks: list[Token], ti: int, tj: int, m: Mention) -> None:
    """Record what the words around ``m`` say: type hint, relation, metonymy, state qualifier."""
    nxt = toks[tj + 1] if tj + 1 < len(toks) else None
    if nxt is not None and WS_GAP.fullmatch(text[toks[tj].end : nxt.start]):
        nw = nxt.text.lower()
        hint = PLACE_TYPE_AFTER.get(nw) or PLACE_TYPE_AFTER.get(nw.rstrip("s"))
        if hint:
            m.type_hint = hint
            m.type_word = nw if nw in PLACE_TYPE_AFTER else nw.rstrip("s")
    if m.type_hint is None:
        # a list that shares one plural type word: "the Kharkiv, Sumy and Poltava regions",
        # "Idlib and Hama provinces" -- every member is an admin unit
        lm = LIST_TYPE_AFTER.match(text, m.end)
        if lm:
            m.type_hint = "A"
            tw = lm.group("tw").lower()
            m.type_word = "county" if tw == "counties" else tw[:-1]
    if ti > 0 and m.type_word is None:  # the word after the name says more than "village of"
        prev = toks[ti - 1]
        pl = prev.text.lower()
        if pl in ("city", "town", "village") and ti > 1 and toks[ti - 2].text.lower() == "of":
            pass
        elif pl == "of" and ti > 1 and toks[ti - 2].text.lower() in ("city", "town", "village"):
            m.type_hint = "P"
        elif pl == "of" and ti > 1 and toks[ti - 2].text.lower() in ("province", "governorate", "state"):
            m.type_hint = "A"
    m.relation = relation_before(text, m.start)
    after = text[m.end : m.end + 12]
    before = text[max(0, m.start - 12) : m.start]
    if nxt is not None and nxt.text.lower() in SPEECH_VERBS and WS_GAP.fullmatch(text[m.end : nxt.start]):
        m.metonymic = True
    elif (
        _METONYMY_BEFORE.search(before)
        and _METONYMY_AFTER.match(after)
        and any(c.feature_code == "PPLC" for c in m.cands)
        and not any(c.feature_code in COUNTRY_CODES for c in m.cands)
    ):
        m.metonymic = True  # "coordination with Washington": the government
    # US state abbreviation qualifier: "Alexandria, La." / "Austin, TX"
    if nxt is not None and text[m.end : nxt.start].strip() == ",":
        w = nxt.text
        k = w.lower().rstrip(".")
        cc_ad = None
        if w.isupper() and len(w) == 2 and w in US_STATE_ABBREV:
            cc_ad = US_STATE_ABBREV[w]
        elif (k in US_STATE_ABBREV and k not in _WORDLIKE_ABBREV) or (
            k in _WORDLIKE_ABBREV and text[nxt.end : nxt.end + 1] == "."
        ):
            cc_ad = US_STATE_ABBREV.get(k)
        elif "." in w and k in US_STATE_ABBREV:
            cc_ad = US_STATE_ABBREV[k]
        if cc_ad:
            m.qual.append(("admin1", "US", cc_ad))
