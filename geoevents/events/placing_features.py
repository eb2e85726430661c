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
import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from geoevents.events import placing_cues as cues
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
# specificity by GeoNames feature class (where no feature code decides): site, town, feature, admin
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


class _Article:
    """Trigger-independent facts and feature values of one (text, toponyms) pair.

    Several event mentions of one article share them, so they are computed once and kept in a
    small cache (:func:`_article`).
    """

    def __init__(self, text: str, toponyms: tuple[Toponym, ...]) -> None:
        self.text = text
        self.toponyms = toponyms
        self.sentences = [(s.start, s.end) for s in split_sentences(text)]
        self._sent_starts = [s for s, _e in self.sentences]
        self.word_starts = [m.start() for m in cues.WORD.finditer(text)]
        self.sent_of = [self.sentence_of(t.start) for t in toponyms]
        self.real = [i for i, t in enumerate(toponyms) if not t.is_demonym]
        self.order = sorted(self.real, key=lambda i: toponyms[i].start)
        self.spec = [_specificity(t.place) for t in toponyms]
        self._base: list[list[float]] | None = None

    @property
    def base(self) -> list[list[float]]:
        """Trigger-independent feature values per toponym (computed on first use)."""
        if self._base is None:
            self._base = self._base_rows()
        return self._base

    def sentence_of(self, pos: int) -> int | None:
        """Index of the sentence containing character ``pos`` (None outside every sentence)."""
        k = bisect_right(self._sent_starts, pos) - 1
        if k >= 0 and pos < self.sentences[k][1]:
            return k
        return None

    def words_between(self, a: int, b: int) -> int:
        """Count the words starting in ``text[a:b]``."""
        return bisect_left(self.word_starts, b) - bisect_left(self.word_starts, a) if b > a else 0

    def _base_rows(self) -> list[list[float]]:
        text, tops = self.text, self.toponyms
        n = len(FEATURES)
        first_place = self.order[0] if self.order else -1
        counts: dict[object, int] = {}
        for t in tops:
            key = t.place.place_id if t.place else t.name.lower()
            counts[key] = counts.get(key, 0) + 1
        ccs: dict[str, int] = {}
        for t in tops:
            if t.place and t.place.country_code and not t.is_demonym:
                ccs[t.place.country_code] = ccs.get(t.place.country_code, 0) + 1
        main_cc = max(ccs, key=lambda c: ccs[c]) if ccs else ""
        places = {t.place.place_id: t.place for t in tops if t.place is not None and not t.is_demonym}
        lead = self.sentences[0] if self.sentences else (0, 0)
        title = self._title_range()
        pos_of = {i: k for k, i in enumerate(self.order)}
        rows = []
        for i, t in enumerate(tops):
            v = [0.0] * n

            def put(name: str, x: float = 1.0, v: list[float] = v) -> None:
                v[_INDEX[name]] = x

            p = t.place
            before_txt = text[max(0, t.start - 60) : t.start]
            after_txt = text[t.end : t.end + 60]
            # cheap necessary conditions first: the anchored patterns are the costly part
            low = before_txt.lower()
            has_of = "of" in low
            if has_of and cues.DIRECTION_OF.search(before_txt):
                put("prep_direction_of")
            elif any(w in low for w in cues.NEAR_WORDS) and cues.NEAR.search(before_txt):
                put("prep_near")
            else:
                m = cues.PREP_BEFORE.search(before_txt)
                if m:
                    put(cues.PREP_GROUP[m.group(1).lower()])
            if has_of and cues.OF_SITE.search(before_txt):
                put("of_site")
            k = self.sent_of[i]
            ks, ke = (
                self.sentences[k] if k is not None else (max(0, t.start - 200), min(len(text), t.end + 200))
            )
            if is_adjectival(text[ks:ke], t.end - ks, t):
                put("adjectival")
            put("demonym", float(t.is_demonym))
            put("metonymic", float(t.metonymic))
            if cues.GOV_AFTER.match(after_txt):
                put("government_after")
            words = low.split()
            last = (
                words[-2] if words and words[-1] == "the" and len(words) > 1 else (words[-1] if words else "")
            )
            if (
                before_txt[-1:].isspace()
                and last in cues.POLITICAL_PREPS
                and cues.POLITICAL.search(before_txt[-50:])
            ):
                put("political_setting")
            if cues.ORIGIN_AFTER.match(after_txt) or (
                any(w in low[-40:] for w in cues.ORIGIN_WORDS) and cues.ORIGIN_BEFORE.search(before_txt[-40:])
            ):
                put("origin")
            put("relation", float(bool(t.relation)))
            pos = pos_of.get(i, -1)
            if pos > 0:
                prev = tops[self.order[pos - 1]]
                if prev.end <= t.start and cues.CONTAINER_GAP.match(text[prev.end : t.start]):
                    put("container_of_previous")
            if 0 <= pos < len(self.order) - 1:
                nxt = tops[self.order[pos + 1]]
                if t.end <= nxt.start and cues.CONTAINER_GAP.match(text[t.end : nxt.start]):
                    put("contained_next")
            if cues.APPOSITIVE.match(after_txt):
                put("appositive")
            if cues.SITE_AFTER.match(after_txt):
                put("site_after")
            if cues.AREA_AFTER.match(after_txt):
                put("area_after")
            spec = self.spec[i]
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
                if spec >= 3 and any(_contains(p, q) for q in places.values()):
                    put("broader_than_other")
                if spec < 4 and any(_contains(q, p) for q in places.values()):
                    put("inside_other")
                if main_cc and p.country_code == main_cc:
                    put("main_country")
            put("first_place", float(i == first_place))
            if lead[0] <= t.start < lead[1]:
                put("lead_sentence")
            put("mention_count", math.log(counts[t.place.place_id if t.place else t.name.lower()]))
            if t.start < 60 and cues.DATELINE.match(text[t.start : t.start + 60]):
                put("dateline")
            if title and (title[0] <= t.start < title[1] or (t.name and t.name in text[title[0] : title[1]])):
                put("title_hit")
            rows.append(v)
        return rows

    def _title_range(self) -> tuple[int, int] | None:
        nl = self.text.find("\n")
        if nl <= 0 or not self.text[nl:].strip():
            return None  # one line: a sentence, not a headline over a body
        first = self.text[:nl].strip()
        if first and len(first.split()) <= 20 and not first.endswith((".", "!", "?")):
            return (0, nl)
        return None


_CACHE: OrderedDict[tuple[str, tuple[Toponym, ...]], _Article] = OrderedDict()
_CACHE_SIZE = 4
_CACHE_LOCK = threading.Lock()


def _article(text: str, toponyms: Sequence[Toponym]) -> _Article:
    """Return the article's trigger-independent part, from a small LRU cache (one article, many mentions)."""
    key = (text, tuple(toponyms))
    with _CACHE_LOCK:
        art = _CACHE.get(key)
        if art is not None:
            _CACHE.move_to_end(key)
            return art
    art = _Article(text, key[1])
    with _CACHE_LOCK:
        _CACHE[key] = art
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return art


class ArticleView:
    """One event mention of an article: its trigger, its sentence and the article's cached part."""

    def __init__(self, text: str, trigger: tuple[int, int], toponyms: Sequence[Toponym]) -> None:
        self.art = _article(text, toponyms)
        self.text = text
        self.trigger = trigger
        self.toponyms = self.art.toponyms
        self.sentences = self.art.sentences
        self.trigger_sentence = self.art.sentence_of(trigger[0])
        if self.trigger_sentence is not None:
            self.sent_range = self.sentences[self.trigger_sentence]
        else:
            # a trigger in a line the splitter left out (headline, fragment): its line is its sentence
            ls = text.rfind("\n", 0, trigger[0]) + 1
            le = text.find("\n", trigger[1])
            self.sent_range = (ls, len(text) if le < 0 else le)


def featurize(text: str, trigger: tuple[int, int], toponyms: Sequence[Toponym]) -> list[FeatureRow]:
    """One :class:`FeatureRow` per toponym, in the order given."""
    return featurize_view(ArticleView(text, trigger, toponyms))


def rule_choices(view: ArticleView) -> tuple[set[int], set[int], set[int], dict[int, int]]:
    """Apply the hand-written rule of ``events/locations.py`` to this trigger's sentence.

    Returns the toponym indices it places the event at, those in a locative slot, those that are
    relation anchors, and for anchored ones the index of their anchor.
    """
    text, (ts, te) = view.text, view.trigger
    ss, se = view.sent_range
    sentence = text[ss:se]
    inside = [
        (i, t)
        for i, t in enumerate(view.toponyms)
        if ss <= t.start and t.end <= se and not t.is_demonym and text[t.start : t.end] == t.name
    ]
    if not inside:
        return set(), set(), set(), {}
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
            if cues.CLAUSE_BREAK.search(gap) or len(gap) > 150:
                continue
            post.append(i)
        elif c.end <= ts - ss:
            pre.append(i)
    chosen = set(post or pre)
    return chosen, locative, anchors, anchored


def featurize_view(view: ArticleView) -> list[FeatureRow]:
    """Features of every toponym of ``view`` (see :data:`FEATURES`): cached part plus the trigger's."""
    art = view.art
    text = view.text
    ts, te = view.trigger
    tops = view.toponyms
    if not tops:
        return []
    chosen, locative, anchors, anchored = rule_choices(view)
    ss, se = view.sent_range
    k0 = view.trigger_sentence
    in_sent = [i for i in art.real if ss <= tops[i].start < se]
    after = [i for i in in_sent if tops[i].start >= te]
    before = [i for i in in_sent if tops[i].end <= ts]
    nearest_after = min(after, key=lambda i: tops[i].start) if after else -1
    nearest_before = max(before, key=lambda i: tops[i].start) if before else -1
    best_spec = min((art.spec[i] for i in in_sent), default=9)
    rows: list[FeatureRow] = []
    ix = _INDEX
    for i, t in enumerate(tops):
        v = list(art.base[i])
        same = ss <= t.start < se
        k = art.sent_of[i]
        v[ix["same_sentence"]] = float(same)
        is_after = t.start >= te
        v[ix["after_trigger"]] = float(is_after)
        a, b = (te, t.start) if is_after else (t.end, ts)
        v[ix["token_distance"]] = math.log1p(art.words_between(a, b))
        if same:
            v[ix["sentence_distance"]] = 0.0
        elif k is not None and k0 is not None:
            v[ix["sentence_distance"]] = min(abs(k - k0), 5) / 5
        else:
            v[ix["sentence_distance"]] = 1.0
        if same and b > a and cues.CLAUSE_BREAK.search(text, a, b):
            v[ix["clause_break"]] = 1.0
        if is_after and same and 0 < t.start - te <= 60 and "," not in text[te : t.start]:
            if cues.OBJECT_GAP.match(text[te : t.start]):
                v[ix["object_of_trigger"]] = 1.0
        if not is_after and same and 0 <= ts - t.end <= 25 and cues.MODIFIER_GAP.match(text[t.end : ts]):
            v[ix["modifies_trigger"]] = 1.0
        v[ix["locative_rule"]] = float(i in locative)
        v[ix["rule_choice"]] = float(i in chosen)
        v[ix["anchor"]] = float(i in anchors)
        v[ix["anchored"]] = float(i in anchored)
        if same and art.spec[i] <= best_spec:
            v[ix["most_specific_in_sentence"]] = 1.0
        if i == nearest_after:
            v[ix["nearest_after_trigger"]] = 1.0
        if i == nearest_before:
            v[ix["nearest_before_trigger"]] = 1.0
        if same and len(in_sent) == 1:
            v[ix["only_place_in_sentence"]] = 1.0
        rows.append(FeatureRow(tuple(v)))
    return rows


def describe(name: str, trigger_word: str) -> str:
    """Return the reason text of feature ``name``."""
    return FEATURES[_INDEX[name]][1].replace("{trigger}", trigger_word)
