"""Features of a candidate event place: the placing rules, turned into numbers a model can weigh.

For one event mention (its trigger span in the article) and the geoparser's toponyms, every
toponym gets one row of :data:`FEATURES`. Each feature is a rule someone would write by hand
("after 'in'", "object of the strike verb", "a village beats the province that contains it"); the
learned placer (:mod:`geoevents.events.placing`) weighs them from labelled reports instead of
ranking them by hand, and explains each score by its largest contributions, using the
descriptions below. The table is documented in ``docs/placing.md``; change both together.

Everything here is regular expressions over a window of characters around the mention and a few
comparisons of gazetteer fields, so a row costs microseconds (the pipeline's budget is ~5 ms per
article for everything).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from geoevents.events._text import split_sentences
from geoevents.events.actors import find_actors
from geoevents.events.locations import is_adjectival, sentence_locations
from geoevents.records import Place, Toponym

__all__ = ["FEATURES", "ArticleView", "FeatureRow", "describe", "featurize", "featurize_view", "rule_choices"]

#: (name, what it means in a reason). ``{trigger}`` is replaced by the trigger word.
FEATURES: tuple[tuple[str, str], ...] = (
    ("same_sentence", "in the sentence of '{trigger}'"),
    ("after_trigger", "after '{trigger}'"),
    ("token_distance", "words away from '{trigger}' (log)"),
    ("sentence_distance", "sentences away from '{trigger}'"),
    ("clause_break", "a clause break ('said', ';', ', adding') lies between it and '{trigger}'"),
    ("prep_in", "after 'in'/'inside'/'across'"),
    ("prep_at", "after 'at'"),
    ("prep_on", "after 'on'/'against'"),
    ("prep_near", "after 'near'/'outside'/'around'"),
    ("prep_direction_of", "after 'north of' etc."),
    ("prep_from", "after 'from'"),
    ("prep_to", "after 'to'/'into'/'towards'"),
    ("of_site", "'the village/city/province of' it"),
    ("object_of_trigger", "object of '{trigger}'"),
    ("modifies_trigger", "names '{trigger}' ('the Erbil attack')"),
    ("locative_rule", "in a locative slot (the rule)"),
    ("rule_choice", "the rule placer's choice"),
    ("adjectival", "used as an adjective or possessor ('U.S. forces', 'Iraq's government')"),
    ("demonym", "a demonym ('Iraqi')"),
    ("metonymic", "stands for a government ('talks with Washington')"),
    ("government_after", "followed by 'said'/'officials'/'government'"),
    ("political_setting", "after 'the situation/embassy/war in'"),
    ("origin", "the attacker's origin ('Iranian-backed', 'based in', 'from Syria')"),
    ("relation", "with a relation ('30 km south of')"),
    ("anchor", "the anchor of another place ('X north of it')"),
    ("anchored", "placed relative to another place ('it, north of Y')"),
    ("container_of_previous", "the container of the place before it ('X in it', 'X, it')"),
    ("contained_next", "followed by its container ('it in Y', 'it, Y')"),
    ("appositive", "described right after ('it, a town near ...')"),
    ("site_after", "a site ('X airbase', 'X camp')"),
    ("area_after", "an area ('X province', 'X region')"),
    ("unresolved", "not found in the gazetteer"),
    ("is_populated", "a populated place"),
    ("is_country", "a country"),
    ("is_adm1", "a first-order admin unit"),
    ("is_adm2", "a district"),
    ("is_spot", "a site or building"),
    ("is_other_feature", "a water, terrain or other feature"),
    ("is_capital", "a capital"),
    ("log_population", "population (log)"),
    ("broader_than_other", "contains another place named (a village beats its province)"),
    ("inside_other", "inside another place named (more specific)"),
    ("most_specific_in_sentence", "the most specific place in its sentence"),
    ("first_place", "the first place of the text"),
    ("lead_sentence", "in the first sentence"),
    ("mention_count", "mentions of the same place (log)"),
    ("dateline", "the dateline ('BAGHDAD, Jan 5 (Reuters) -')"),
    ("nearest_after_trigger", "the nearest place after '{trigger}'"),
    ("nearest_before_trigger", "the nearest place before '{trigger}'"),
    ("only_place_in_sentence", "the only place in its sentence"),
    ("main_country", "in the country most places of the text are in"),
    ("title_hit", "named in the headline"),
)
_INDEX = {name: i for i, (name, _d) in enumerate(FEATURES)}

_DIRECTION_OF = re.compile(
    r"\b(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?|northeast|northwest|southeast|southwest)\s+of\s+"
    r"(?:the\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_NEAR = re.compile(
    r"\b(?:near|nearby|outside(?:\s+of)?|around|close\s+to|outskirts\s+of|vicinity\s+of|off)\s+(?:the\s+)?"
    r"(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_FILLER = (
    r"(?:the|a|an|its|their|his|her|central|[a-z-]*ern|restive|city|town|village|province|district|region|"
    r"capital|area|of|,)"
)
_PREP_BEFORE = re.compile(
    r"\b(in|inside|across|within|throughout|at|on|against|from|to|into|towards?)\s+(?:"
    + _FILLER
    + r"\s+){0,3}$",
    re.IGNORECASE,
)
_PREP_GROUP = {
    "in": "prep_in",
    "inside": "prep_in",
    "across": "prep_in",
    "within": "prep_in",
    "throughout": "prep_in",
    "at": "prep_at",
    "on": "prep_on",
    "against": "prep_on",
    "from": "prep_from",
    "to": "prep_to",
    "into": "prep_to",
    "toward": "prep_to",
    "towards": "prep_to",
}
_OF_SITE = re.compile(
    r"\b(?:city|cities|towns?|villages?|provinces?|districts?|governorates?|regions?|areas?|neighbou?rhoods?|"
    r"suburbs?|camps?|port|capital|outskirts|stronghold|state|county|municipality|settlement)\s+of\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# trigger ... place with only objects, determiners and prepositions between: "struck the village of X",
# "attack on X", "dropped six bombs on the village of X", "shelled X"
_OBJECT_GAP = re.compile(
    r"^(?:\s+(?:on|upon|against|at|in|into|of|targeting|near|the|a|an|its|their|several|two|three|four|five|six|"
    r"seven|eight|nine|ten|\d+|[a-z][\w-]*(?:s|ed)?))*?\s+(?:(?:on|upon|against|at|in|into|of|targeting)\s+)?"
    r"(?:the\s+)?(?:(?:[a-z][\w-]*\s+){0,2}(?:of\s+)?)?$"
)
_MODIFIER_GAP = re.compile(r"^(?:['’]s)?\s+(?:[a-z][\w-]*\s+){0,2}$")
_CLAUSE_BREAK = re.compile(
    r",\s+(?:stating|saying|calling|accusing|adding|claiming|according|while|whereas|although|but|urging|"
    r"warning|noting|which|who|where)\b|[;:]|\b(?:said|says|stated|told)\b",
    re.IGNORECASE,
)
_GOV_AFTER = re.compile(
    r"^(?:['’]s)?\s*(?:government|officials?|authorities|ministry|president|parliament|said|says|has|have|had|"
    r"is|was|will|would|condemned|accused|denied|warned|called|announced|forces|troops|army|military)\b",
    re.IGNORECASE,
)
_POLITICAL = re.compile(
    r"\b(?:situation|politics|government|ambassador|envoy|relations?|talks|negotiations|presence|deployed|"
    r"stationed|war|conflict|campaign|interests|policy|meeting|summit|visit|trip|election|protests?|support|"
    r"aid|embassy|ministry|crisis|tensions?|ties|cooperation|peace|influence|ceasefire|truce|deal)\s+"
    r"(?:\w+\s+){0,1}(?:in|with|on|to|of|from|at|against|into)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_ORIGIN_AFTER = re.compile(
    r"^(?:-|\s)(?:backed|based|led|aligned|linked|sponsored|supported|born)\b", re.IGNORECASE
)
_ORIGIN_BEFORE = re.compile(
    r"\b(?:based\s+in|from|fled|returned\s+to|launched\s+from|fired\s+from|originat\w+\s+(?:in|from)|"
    r"citizens?\s+of|native\s+of|nationals?\s+of)\s+(?:the\s+)?(?:neighbou?ring\s+)?$",
    re.IGNORECASE,
)
_APPOSITIVE = re.compile(
    r"^\s*,\s+(?:a|an|the)\s+(?:[\w.'’-]+\s+){0,3}(?:town|village|city|district|neighbou?rhood|suburb|camp|base|"
    r"outpost|area|settlement|locality|hamlet|community|region|port|site)\b",
    re.IGNORECASE,
)
_CONTAINER_GAP = re.compile(
    r"^(?:\s+(?:city|town|village|district|area|camp|neighbou?rhood))?\s*(?:,\s*|\s+in\s+(?:the\s+)?"
    r"(?:[a-z][\w-]*\s+){0,2}|\s+of\s+(?:the\s+)?)(?:(?:[a-z][\w-]*\s+){0,2})?$"
)
_SITE_AFTER = re.compile(
    r"^(?:['’]s)?\s*(?:air\s?base|airbase|airfield|airport|base|military\s+base|camp|port|checkpoint|"
    r"compound|barracks|outpost|refugee\s+camp|mosque|market|hospital|school|bridge)\b",
    re.IGNORECASE,
)
_AREA_AFTER = re.compile(
    r"^\s*(?:regions?|areas?|districts?|outskirts|countryside|suburbs?|mountains|desert|province|governorate|"
    r"valley|state|county)\b",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"^\s*[\w .,'’-]{0,40}\(\s*(?:AP|AFP|Reuters|Xinhua|IANS|ANI|PTI|dpa|UPI)\s*\)"
    r"|^\s*[\w .,'’-]{0,30}\s[-–—]{1,2}\s"
)
_WORD = re.compile(r"\w+")
_SPECIFICITY = {"S": 0, "P": 1, "H": 2, "T": 2, "L": 2, "V": 2, "U": 2, "R": 2, "A": 3}


def _specificity(p: Place | None) -> int:
    """0 a site, 1 a town, 2 a natural feature or district, 3 an ADM1, 4 a country; 5 unknown."""
    if p is None:
        return 5
    code = p.feature_code
    if code.startswith("PCL") or code in {"TERR", "CONT", "RGN"}:
        return 4
    if code in {"ADM1", "ADM1H"}:
        return 3
    if p.feature_class == "A":
        return 2
    return _SPECIFICITY.get(p.feature_class, 2)


def _contains(big: Place, small: Place) -> bool:
    """Whether admin unit ``big`` contains ``small`` by the gazetteer's country/admin1 codes."""
    if big.place_id == small.place_id or not big.country_code or big.country_code != small.country_code:
        return False
    sb, ss = _specificity(big), _specificity(small)
    if sb == 4:
        return ss < 4
    if sb == 3:
        return ss < 3 and bool(big.admin1) and big.admin1 == small.admin1
    return False


@dataclass(frozen=True, slots=True)
class FeatureRow:
    """One toponym's feature values (aligned with :data:`FEATURES`)."""

    values: tuple[float, ...]

    def get(self, name: str) -> float:
        """Return the value of feature ``name``."""
        return self.values[_INDEX[name]]


class ArticleView:
    """What every candidate's features need from the article, computed once per (article, trigger)."""

    def __init__(self, text: str, trigger: tuple[int, int], toponyms: Sequence[Toponym]) -> None:
        self.text = text
        self.trigger = trigger
        self.toponyms = list(toponyms)
        sents = [(s.start, s.end) for s in split_sentences(text)]
        self.sentences = sents
        self.trigger_sentence = self._sentence_of(trigger[0])
        if self.trigger_sentence is None:
            # a trigger in a line the splitter left out (headline, fragment): its line is its sentence
            ls = text.rfind("\n", 0, trigger[0]) + 1
            le = text.find("\n", trigger[1])
            self.sentences.append((ls, len(text) if le < 0 else le))
            self.sentences.sort()
            self.trigger_sentence = self._sentence_of(trigger[0])
        self.first_line_is_title = self._title_range()

    def _sentence_of(self, pos: int) -> int | None:
        for k, (s, e) in enumerate(self.sentences):
            if s <= pos < e:
                return k
        return None

    def _title_range(self) -> tuple[int, int] | None:
        nl = self.text.find("\n")
        if nl <= 0:
            return None
        first = self.text[:nl].strip()
        if first and len(first.split()) <= 20 and not first.endswith((".", "!", "?")):
            return (0, nl)
        return None


def featurize(text: str, trigger: tuple[int, int], toponyms: Sequence[Toponym]) -> list[FeatureRow]:
    """One :class:`FeatureRow` per toponym, in the order given."""
    view = ArticleView(text, trigger, toponyms)
    return featurize_view(view)


def rule_choices(view: ArticleView) -> tuple[set[int], set[int], set[int], dict[int, int]]:
    """Apply the hand-written rule of ``events/locations.py`` to this trigger's sentence.

    Returns the toponym indices it places the event at, those in a locative slot, those that are
    relation anchors, and for anchored ones the index of their anchor.
    """
    text, (ts, te) = view.text, view.trigger
    k = view.trigger_sentence
    ss, se = view.sentences[k] if k is not None else (0, len(text))
    sentence = text[ss:se]
    inside = [
        (i, t)
        for i, t in enumerate(view.toponyms)
        if ss <= t.start and t.end <= se and not t.is_demonym and text[t.start : t.end] == t.name
    ]
    cands = sentence_locations(sentence, [t for _i, t in inside], ss, [(ts - ss, te - ss)])
    by_start = {t.start: i for i, t in inside}
    locative = {by_start[c.toponym.start] for c in cands if c.toponym.start in by_start}
    anchors: set[int] = set()
    anchored: dict[int, int] = {}
    for c in cands:
        if c.anchor_of is not None:
            a = by_start.get(c.toponym.start)
            b = by_start.get(cands[c.anchor_of].toponym.start)
            if a is not None and b is not None:
                anchors.add(a)
                anchored[b] = a
    actor_spans = find_actors(sentence)
    post: list[int] = []
    pre: list[int] = []
    for c in cands:
        i = by_start.get(c.toponym.start)
        if i is None or i in anchors:
            continue
        if any(a0 <= c.start and c.end <= a1 and a1 - a0 > c.end - c.start for a0, a1, _a in actor_spans):
            continue
        if c.start >= te - ss:
            gap = sentence[te - ss : c.start]
            if _CLAUSE_BREAK.search(gap) or len(gap) > 150:
                continue
            post.append(i)
        elif c.end <= ts - ss:
            pre.append(i)
    chosen = set(post or pre)
    return chosen, locative, anchors, anchored


def featurize_view(view: ArticleView) -> list[FeatureRow]:
    """Features of every toponym of ``view`` (see :data:`FEATURES`)."""
    text = view.text
    ts, te = view.trigger
    tops = view.toponyms
    n = len(FEATURES)
    if not tops:
        return []
    chosen, locative, anchors, anchored = rule_choices(view)
    sent_of = [view._sentence_of(t.start) for t in tops]
    # document-level facts
    real = [i for i, t in enumerate(tops) if not t.is_demonym]
    first_place = min(real, key=lambda i: tops[i].start) if real else -1
    counts: dict[object, int] = {}
    for t in tops:
        key = t.place.place_id if t.place else t.name.lower()
        counts[key] = counts.get(key, 0) + 1
    ccs: dict[str, int] = {}
    for t in tops:
        if t.place and t.place.country_code and not t.is_demonym:
            ccs[t.place.country_code] = ccs.get(t.place.country_code, 0) + 1
    main_cc = max(ccs, key=lambda c: ccs[c]) if ccs else ""
    places = [(i, t.place) for i, t in enumerate(tops) if t.place is not None and not t.is_demonym]
    k0 = view.trigger_sentence
    in_sent = [i for i in real if sent_of[i] == k0]
    after = sorted((i for i in in_sent if tops[i].start >= te), key=lambda i: tops[i].start)
    before = sorted((i for i in in_sent if tops[i].end <= ts), key=lambda i: -tops[i].start)
    best_spec = min((_specificity(tops[i].place) for i in in_sent), default=9)
    lead = view.sentences[0] if view.sentences else (0, 0)
    title = view.first_line_is_title
    order = sorted(real, key=lambda i: tops[i].start)
    rows: list[FeatureRow] = []
    for i, t in enumerate(tops):
        v = [0.0] * n

        def put(name: str, x: float = 1.0, v: list[float] = v) -> None:
            v[_INDEX[name]] = x

        p = t.place
        k = sent_of[i]
        same = k is not None and k == k0
        put("same_sentence", float(same))
        is_after = t.start >= te
        put("after_trigger", float(is_after))
        a, b = (te, t.start) if is_after else (t.end, ts)
        gap_words = len(_WORD.findall(text[a:b])) if b > a else 0
        put("token_distance", math.log1p(gap_words))
        if k is not None and k0 is not None:
            put("sentence_distance", min(abs(k - k0), 5) / 5)
        else:
            put("sentence_distance", 1.0)
        if same and _CLAUSE_BREAK.search(text[a:b]):
            put("clause_break")
        before_txt = text[max(0, t.start - 60) : t.start]
        after_txt = text[t.end : t.end + 60]
        if _DIRECTION_OF.search(before_txt):
            put("prep_direction_of")
        elif _NEAR.search(before_txt):
            put("prep_near")
        else:
            m = _PREP_BEFORE.search(before_txt)
            if m:
                put(_PREP_GROUP[m.group(1).lower()])
        if _OF_SITE.search(before_txt):
            put("of_site")
        if is_after and same and 0 < t.start - te <= 60 and "," not in text[te : t.start]:
            if _OBJECT_GAP.match(text[te : t.start]):
                put("object_of_trigger")
        if not is_after and same and 0 <= ts - t.end <= 25 and _MODIFIER_GAP.match(text[t.end : ts]):
            put("modifies_trigger")
        put("locative_rule", float(i in locative))
        put("rule_choice", float(i in chosen))
        ks, ke = view.sentences[k] if k is not None else (max(0, t.start - 200), min(len(text), t.end + 200))
        if is_adjectival(text[ks:ke], t.end - ks, t):
            put("adjectival")
        put("demonym", float(t.is_demonym))
        put("metonymic", float(t.metonymic))
        if _GOV_AFTER.match(after_txt):
            put("government_after")
        if _POLITICAL.search(before_txt[-50:]):
            put("political_setting")
        if _ORIGIN_AFTER.match(after_txt) or _ORIGIN_BEFORE.search(before_txt[-40:]):
            put("origin")
        put("relation", float(bool(t.relation)))
        put("anchor", float(i in anchors))
        put("anchored", float(i in anchored))
        pos = order.index(i) if i in order else -1
        if pos > 0:
            prev = tops[order[pos - 1]]
            if prev.end <= t.start and _CONTAINER_GAP.match(text[prev.end : t.start]):
                put("container_of_previous")
        if 0 <= pos < len(order) - 1:
            nxt = tops[order[pos + 1]]
            if t.end <= nxt.start and _CONTAINER_GAP.match(text[t.end : nxt.start]):
                put("contained_next")
        if _APPOSITIVE.match(after_txt):
            put("appositive")
        if _SITE_AFTER.match(after_txt):
            put("site_after")
        if _AREA_AFTER.match(after_txt):
            put("area_after")
        spec = _specificity(p)
        if p is None:
            put("unresolved")
        else:
            fc, code = p.feature_class, p.feature_code
            if spec == 4:
                put("is_country")
            elif spec == 3:
                put("is_adm1")
            elif fc == "A":
                put("is_adm2")
            elif fc == "P":
                put("is_populated")
            elif fc == "S":
                put("is_spot")
            else:
                put("is_other_feature")
            if code == "PPLC":
                put("is_capital")
            put("log_population", math.log10(1 + max(0, p.population or 0)) / 7)
            if any(_contains(p, q) for _j, q in places if q is not None):
                put("broader_than_other")
            if any(_contains(q, p) for _j, q in places if q is not None):
                put("inside_other")
            if main_cc and p.country_code == main_cc:
                put("main_country")
        if same and spec <= best_spec:
            put("most_specific_in_sentence")
        put("first_place", float(i == first_place))
        if lead[0] <= t.start < lead[1]:
            put("lead_sentence")
        put("mention_count", math.log(counts[t.place.place_id if t.place else t.name.lower()]))
        if t.start < 60 and _DATELINE.match(text[t.start : t.start + 60]):
            put("dateline")
        if after and after[0] == i:
            put("nearest_after_trigger")
        if before and before[0] == i:
            put("nearest_before_trigger")
        if same and len(in_sent) == 1:
            put("only_place_in_sentence")
        if title and title[0] <= t.start < title[1]:
            put("title_hit")
        elif title and t.name and t.name in text[title[0] : title[1]]:
            put("title_hit")
        rows.append(FeatureRow(tuple(v)))
    return rows


def describe(name: str, trigger_word: str) -> str:
    """Return the reason text of feature ``name``."""
    return FEATURES[_INDEX[name]][1].replace("{trigger}", trigger_word)
