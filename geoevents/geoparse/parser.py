"""Find place names in a text and resolve them against the offline gazetteer.

Recognition: capitalized (or Arabic-script) token runs give candidate spans of up to six tokens;
all their normalized forms go to the gazetteer in ONE ``lookup_keys`` call per document; the
longest matching span wins; cue words, stop lists and person/organisation context decide whether
a match is a place mention at all.

Resolution: each mention's candidates get a prior (log population plus a feature-class bonus:
a country or a state is what an unqualified name usually means) and then document context:
the countries and first-order admin units of the other mentions and of demonyms, explicit
qualifiers ("Paris, Texas", "Alexandria, La.", "Anbar province") and the distance to the other
resolved places. The best candidate's share of the evidence becomes the score; the reason names
the factors that decided it.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from geoevents.errors import GeoeventsError, InputError
from geoevents.geo import haversine_km
from geoevents.geoparse._lexicon import (
    COMMON_WORDS,
    CONNECTORS,
    DIRECTION_WORDS,
    FEATURE_BONUS,
    NON_PLACE_FOLLOWERS,
    NOT_PLACE_PHRASES,
    NOT_PLACES,
    ORG_FOLLOWERS,
    PERSON_NAMES,
    PERSON_TITLES,
    PLACE_CUES_BEFORE,
    PLACE_TYPE_AFTER,
    SPEECH_VERBS,
)
from geoevents.geoparse._usstates import COUNTRY_ALIASES, US_STATE_ABBREV, US_STATE_NAMES
from geoevents.geoparse.ranker import RERANK_BELOW, TOP_K, LearnedRanker, feature_vector, load_default_ranker
from geoevents.geoparse.relative import relation_before
from geoevents.records import Place, Toponym

if TYPE_CHECKING:
    from geoevents.gazetteer import SQLiteGazetteer

__all__ = ["Geoparser", "geoparse", "resolve_spans"]

log = logging.getLogger(__name__)

MAX_NGRAM = 6
MAX_CANDIDATES = 60
MAX_TEXT_CHARS = 2_000_000  # a longer "article" is a file read by mistake

_COUNTRY_CODES = frozenset({"PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "TERR"})
_ADMIN_CODES = frozenset({"ADM1", "ADM2", "ADM3"})

# Tokens: "U.S." style initialisms, words (letters first; inside: letters, digits, hyphens,
# apostrophes that do not start a possessive 's), and numbers (which only break runs).
_TOKEN = re.compile(
    r"(?:[^\W\d_]\.){2,}"
    r"|[^\W\d_](?:\w|[-‐‑](?=\w)|['’](?!s\b)(?=\w))*"
    r"|\d[\w.,]*"
)
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]")
# the Arabic article in its transliterations ("al-", "ez-", "ech-"), sun-letter forms included
_ARTICLE_PREFIX = re.compile(
    r"^(?:al|el|il|ad|an|ar|as|ash|at|az|ud|ul|ed|es|esh|ech|ej|er|et|ez|en)[-‐‑'’]", re.IGNORECASE
)
_SENT_END = set('.!?\n\r"“”‘’([{:;|•·—–\u0085\u2028\u2029')
_ABBREV_DOT = frozenset({"st", "mt", "ft", "pt", "sta", "ste", "n", "s", "e", "w"})
_WS_GAP = re.compile(r"[ \t\u00a0]{1,2}")
_TRAILING_TYPE = re.compile(
    r"\s+(?:province|governorate|district|county|parish|state|region|city|town|village|airbase|"
    r"air base|airport|base|area|municipality|subdistrict|camp)$",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"^(?:the|city of|town of|village of|state of|province of|republic of)\s+", re.IGNORECASE
)
_STATE_AFTER = re.compile(r",[ \t]*((?:[A-Z][a-z]{1,4}\.)|(?:[A-Z]\.){2,3}|[A-Z]\.[A-Z][a-z]\.|[A-Z]{2}\b)")
_REGION_ALIASES = {
    "EU": "Europe",
    "E.U.": "Europe",
    "European Union": "Europe",
    "European": "Europe",
    "Europeans": "Europe",
    "African": "Africa",
    "Africans": "Africa",
    "Asian": "Asia",
    "Asians": "Asia",
    "South American": "South America",
    "North American": "North America",
}
_ADJECTIVE_ALIASES = frozenset(
    {"european", "europeans", "african", "africans", "asian", "asians", "south american", "north american"}
)
_REGION_KEYS: dict[str, str] = {}  # filled on first use (needs normalize_name)
_LOWER_WORD = re.compile(r"(?<![\w'’])[a-z][a-z'’]*")
_EXTRA_DEMONYMS = {"English": "GB", "Scottish": "GB", "Welsh": "GB", "British": "GB", "Scots": "GB"}
_ENGLISH_DROPPED = frozenset({"an", "as", "at", "the"})  # words normalize_name drops
_POSSESSIVE = re.compile(r"['’]s?$")
# last-resort forms of a given span that has no entry as written: a generic tail ("Hamilton
# Township", "Neches River", "Pott Co."), a leading direction ("South Los Angeles", "Greater
# Mumbai") or an inhabitant noun ("South Ossetians", "Iowans", "Londoner", "Ontarians")
_FALLBACK_TAIL = re.compile(
    r"\s+(?:township|twp\.?|co\.?|river|lake|park|valley|creek|bay|station|estate|colony|"
    r"national park|proving ground|square|district|peninsula)$",
    re.IGNORECASE,
)
_FALLBACK_HEAD = re.compile(
    r"^(?:north|south|east|west|northern|southern|eastern|western|central|greater|upper|lower|"
    r"lake|mount|port of|n\.|s\.|e\.|w\.)\s+",
    re.IGNORECASE,
)


def _fallback_forms(name: str) -> list[str]:
    """Forms to try, in order, when a given span has no gazetteer entry as written."""
    out = []
    tail = _FALLBACK_TAIL.sub("", name)
    if tail != name and tail:
        out.append(tail)
    for x in (name, tail):
        head = _FALLBACK_HEAD.sub("", x)
        if head != x and head:
            out.append(head)
    w = name.rstrip()
    if tail == name and w[:1].isupper() and len(w) > 4 and not w.lower().endswith(("river", "lake")):
        sing = w[:-1] if w.endswith("s") else w
        if sing.endswith("ian"):
            out += [sing[:-1], sing[:-3] + "io"]  # Ossetian -> Ossetia, Ontarian -> Ontario
        elif sing.endswith("an"):
            out.append(sing[:-1])  # Iowan -> Iowa
        elif sing.endswith("er"):
            out.append(sing[:-2])  # Londoner -> London
    return out


# military nouns after a demonym: the attacker's nationality ("Turkish drones", "Israeli jets")
_ATTACKER_AFTER = re.compile(
    r"[ \t]+(?:-?led[ \t]+)?(?:(?:air|military|armed|special|security|naval|army|border)[ \t]+)?"
    r"(?:jets?|warplanes?|drones?|aircraft|planes|helicopters?|forces|troops|soldiers|army|military|"
    r"artillery|tanks?|missiles?|rockets?|strikes?|airstrikes?|air[ \t]+strikes?|navy|warships?|"
    r"gunboats?|shelling|raids?|bombers?|fighter[ \t]+jets|commandos|units|operations?)\b",
    re.IGNORECASE,
)
_POSSESSIVE_GAP = re.compile(
    r"['’]s?[ \t]+(?:(?:northern|southern|eastern|western|central|north|south|east|"
    r"west|northeastern|northwestern|southeastern|southwestern|restive|"
    r"rebel-held)[ \t]+)?"
)
_HYPHEN_ADJ = re.compile(
    r"[-‐‑](?:held|controlled|led|backed|run|occupied|allied|based|linked|"
    r"aligned|affiliated|supported|administered|annexed)$"
)
_FUNCTION_AFTER = frozenset(
    "on in at and or was were is are near to from where which has had have "
    "after before the a an with for by".split()
)
_ARABIC_ARTICLES = frozenset({"al", "el", "ash", "esh", "ech", "ach"})
_FRENCH_ARTICLE = re.compile(r"\b(?:al|el|as|es|ash|esh|ech|ach)[-‐‑\s]+sh", re.IGNORECASE)
_NAME_RE = r"[A-Z][\w'’-]*(?:\s+(?:[a-z]{1,3}[-‐‑]?)?[A-Z][\w'’-]*){0,2}"
_LIST_TYPE_AFTER = re.compile(
    r"(?:\s+(?:and|or)\s+"
    + _NAME_RE
    + r"|(?:,\s*"
    + _NAME_RE
    + r")+,?\s+(?:and|or)\s+"
    + _NAME_RE
    + r")?\s+(?:provinces|regions|governorates|oblasts|districts|states)\b"
)
_ADMIN_TYPE_WORDS = frozenset(
    {
        "province",
        "provinces",
        "governorate",
        "governorates",
        "district",
        "districts",
        "region",
        "regions",
        "oblast",
        "oblasts",
        "county",
        "subdistrict",
        "prefecture",
        "state",
    }
)
_TRANSLIT = (
    ("ai", "ay"),
    ("ay", "ai"),
    ("ei", "ey"),
    ("ey", "ei"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("q", "k"),
    ("k", "q"),
    ("dh", "d"),
    ("e", "a"),
    ("iy", "i"),
)


def _translit_variants(key: str) -> list[str]:
    """Return common alternative romanizations of an Arabic/Persian/Pashto name, one change each."""
    if not key or len(key) < 4:
        return []
    out = []
    for a, b in _TRANSLIT:
        if a in key:
            v = key.replace(a, b)
            if v != key and v not in out:
                out.append(v)
    return out


_METONYMY_BEFORE = re.compile(r"\b(?:with|between|against)\s+$", re.IGNORECASE)


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    text: str
    cap: bool
    conn: bool
    arabic: bool = False


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    name: str
    key: str
    cands: list[Place] = field(default_factory=list)
    prior: list[float] = field(default_factory=list)
    evidence: float = 0.0
    is_demonym: bool = False
    demonym_cc: str | None = None
    type_hint: str | None = None  # feature class suggested by the next word
    relation: str | None = None
    gold: bool = False  # given by the caller: always reported
    metonymic: bool = False
    qual: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, cc, admin1)
    best: int = -1
    scores: list[float] = field(default_factory=list)
    why: str = ""
    cshare: list[float] = field(default_factory=list)  # document country share per candidate
    ashare: list[float] = field(default_factory=list)  # document admin1 share per candidate
    learned: bool = False  # the learned ranker changed the rule-based choice


class _Shared:
    """Structures built once per gazetteer and shared by every Geoparser on it."""

    def __init__(self, gaz: SQLiteGazetteer) -> None:
        from geoevents.gazetteer.normalize import normalize_name

        self.normalize = normalize_name
        # re-normalized here so that a table keyed by plain lower case still meets our keys
        self.demonyms: dict[str, str] = {normalize_name(k): v for k, v in gaz.demonyms().items()}
        for k, v in _EXTRA_DEMONYMS.items():  # the constituent nations, often missing from tables
            self.demonyms.setdefault(normalize_name(k), v)
        self.country_names: dict[str, str] = {normalize_name(k): v for k, v in gaz.country_names().items()}
        self.countries: dict[str, Place] = {}
        for iso in set(self.demonyms.values()) | set(self.country_names.values()):
            p = gaz.country(iso)
            if p is not None:
                self.countries[iso] = p
        # two/three-letter keys are ISO codes, mostly ordinary words in text ("IS", "IT", "ME")
        self.country_names = {k: v for k, v in self.country_names.items() if len(k.replace(" ", "")) > 3}
        for alias, iso in COUNTRY_ALIASES.items():
            k = self.normalize(alias)
            if k and k not in self.country_names:
                self.country_names[k] = iso
        for iso in set(self.country_names.values()) - set(self.countries):
            p = gaz.country(iso)
            if p is not None:
                self.countries[iso] = p
        # the 50 states + DC, for "Alexandria, La." style qualifiers and mentions
        skeys = {code: self.normalize(name) for code, name in US_STATE_NAMES.items()}
        found = gaz.lookup_keys(list(skeys.values()))
        self.us_states: dict[str, Place] = {}
        for code, k in skeys.items():
            for p in found.get(k, ()):
                if p.country_code == "US" and p.feature_code == "ADM1" and p.admin1 == code:
                    self.us_states[code] = p
                    break
        # continent adjectives and the EU, which gazetteers hold only as the continent
        self.region_alias: dict[str, str] = {
            normalize_name(a): normalize_name(b) for a, b in _REGION_ALIASES.items()
        }
        _REGION_KEYS.update(self.region_alias)
        self._norm_cache: dict[str, str] = {}
        self.stop_keys = {self.normalize(w) for w in (*NOT_PLACES, *NOT_PLACE_PHRASES)}
        self.common_keys = {self.normalize(w) for w in COMMON_WORDS}

    def norm(self, s: str) -> str:
        k = self._norm_cache.get(s)
        if k is None:
            try:
                k = self.normalize(s)
            except GeoeventsError:
                k = ""
            if len(self._norm_cache) < 500_000:
                self._norm_cache[s] = k
        return k


_SHARED: dict[Any, _Shared] = {}
_SHARED_LOCK = threading.Lock()


def _is_cap(word: str) -> bool:
    c = word[0]
    if c.isupper():
        return True
    if c.isascii() and c not in "aAeEiIuU":
        return False
    if _ARABIC.match(c):
        return True
    if _ARTICLE_PREFIX.match(word):
        rest = _ARTICLE_PREFIX.sub("", word)
        return bool(rest) and rest[0].isupper()
    return False


def _caps_context(text: str, toks: list[_Tok], i: int) -> bool:
    """True when the words around token ``i`` are in capitals too (a dateline or a shouted headline)."""
    near = [t.text for t in toks[max(0, i - 3) : i + 4] if t is not toks[i] and t.text[0].isalpha()]
    return bool(near) and sum(w.isupper() for w in near) >= max(1, len(near) // 2)


def _headline_ranges(text: str) -> list[tuple[int, int]]:
    """Lines written in Title Case ("Alexandria Woman Charged In Fire"), where capitals say nothing."""
    out = []
    pos = 0
    for line in text.split("\n"):
        words = [w for w in re.findall(r"[^\W\d_][\w'’]*", line) if len(w) > 3]
        if len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.8 * len(words):
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _sentence_initial(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    return i < 0 or text[i] in _SENT_END


def _tokenize(text: str) -> list[_Tok]:
    toks = []
    append = toks.append
    conns = CONNECTORS
    for m in _TOKEN.finditer(text):
        w = m.group()
        c = w[0]
        if c.isupper():
            append(_Tok(m.start(), m.end(), w, True, len(w) <= 5 and w.lower() in conns))
        elif c.isascii():
            if c.isdigit():
                append(_Tok(m.start(), m.end(), w, False, False))
            else:
                append(
                    _Tok(m.start(), m.end(), w, c in "aAeEiIuU" and _is_cap(w), len(w) <= 5 and w in conns)
                )
        else:
            ar = bool(_ARABIC.match(c))
            append(_Tok(m.start(), m.end(), w, ar or _is_cap(w), w.lower() in conns, ar))
    return toks


def _runs(text: str, toks: list[_Tok]) -> list[list[int]]:
    """Maximal runs of capitalized tokens (connectors allowed inside), as token indices."""
    runs: list[list[int]] = []
    cur: list[int] = []
    for i, t in enumerate(toks):
        joined = False
        if cur and (t.cap or t.conn):
            prev = toks[cur[-1]]
            gap = text[prev.end : t.start]
            if _WS_GAP.fullmatch(gap) or (gap in (". ", ".") and prev.text.lower() in _ABBREV_DOT):
                cur.append(i)
                joined = True
        if not joined:
            if cur:
                runs.append(cur)
            cur = [i] if t.cap else []
    if cur:
        runs.append(cur)
    out = []
    for r in runs:  # trim trailing connectors
        while r and not toks[r[-1]].cap:
            r.pop()
        if r:
            out.append(r)
    return out


_IMPUTED_LOG_POP = {
    "PCLI": 7.0,
    "PCLD": 6.0,
    "PCLF": 6.0,
    "PCLS": 6.0,
    "PCLIX": 6.0,
    "PCL": 6.0,
    "TERR": 5.0,
    "CONT": 8.0,
    "ADM1": 5.5,
    "ADM2": 4.0,
    "ADM3": 3.5,
    "ADM4": 3.0,
    "PPLC": 5.5,
    "PPLA": 4.7,
    "PPLA2": 4.0,
    "PPLA3": 3.3,
    "PPLA4": 3.0,
}


def _pop_term(p: Place) -> float:
    """log10 of the population; a typical figure where the gazetteer has none (admin units)."""
    pop = p.population or 0
    if pop <= 0:
        # admin seats without a figure are still towns of some size
        return _IMPUTED_LOG_POP.get(p.feature_code, 1.7 if p.feature_class == "P" else 0.0)
    return math.log10(pop + 1)


class Geoparser:
    """Find and resolve place names with an offline gazetteer.

    Construction is cheap; the demonym and country tables are read from the gazetteer on first
    use and shared by all parsers on the same gazetteer file. A parser holds no per-document
    state, so one instance may serve many documents (one thread at a time per gazetteer
    connection).

    Parameters
    ----------
    gazetteer : SQLiteGazetteer
        Where names are looked up: one ``lookup_keys`` call per document.
    ranker : {None, "learned", "rules"}, optional
        How the final candidate is chosen. ``"rules"``: the hand-weighted score alone.
        ``"learned"``: a logistic model (``geoparse/models/ranker.json``, trained by
        ``benchmarks/train_ranker.py``) re-ranks the rule score's top candidates using the rule
        score and the evidence behind it as features. None picks :attr:`DEFAULT_RANKER`, the
        better of the two on held-out documents (see docs/geoparse.md). Without a usable model
        file ``"learned"`` falls back to the rules, with a warning.

    Raises
    ------
    InputError
        If ``ranker`` is not one of the values above.

    """

    DEFAULT_RANKER = "learned"

    # weights, in log10(population) units
    W_COUNTRY = 4.0
    W_MENTIONED_COUNTRY = 1.0
    W_ADMIN1 = 4.5
    W_QUAL_ADMIN = 4.0
    W_QUAL_COUNTRY = 2.5
    W_NEAR = 2.0
    W_TYPE = 1.5
    W_EXACT = 2.5
    W_CITY_OVER_ADMIN = 2.0
    W_VARIANT = -0.8  # "Barrow" matched only as "Barrow County"
    ACCEPT = 0.5
    CONTEXT_ACCEPT = 0.0
    W_PERSON_NAME = 1.0
    FUZZY_MIN = 75
    STRONG_SOFTEN = 0.2
    ADMIN2_AS_ADMIN1 = True
    W_DOC_COUNTRY_RARE = 0.75
    W_DOC_COUNTRY_COMMON = 0.3

    def __init__(self, gazetteer: SQLiteGazetteer, ranker: str | None = None) -> None:
        self.gazetteer = gazetteer
        self._shared_obj: _Shared | None = None
        kind = self.DEFAULT_RANKER if ranker is None else ranker
        if kind not in ("learned", "rules"):
            raise InputError(f"Unknown ranker {ranker!r}; use None, 'learned' or 'rules'")
        self.ranker = kind
        self._model: LearnedRanker | None = load_default_ranker() if kind == "learned" else None
        # training hook (benchmarks/train_ranker.py): when a list, each resolved mention appends
        # (mention, candidate indices, feature rows); never set in production
        self._collect: list[tuple[_Mention, list[int], list[list[float]]]] | None = None

    # ------------------------------------------------------------------ shared state
    def _shared(self) -> _Shared:
        if self._shared_obj is None:
            key = str(getattr(self.gazetteer, "path", id(self.gazetteer)))
            with _SHARED_LOCK:
                sh = _SHARED.get(key)
                if sh is None:
                    sh = _Shared(self.gazetteer)
                    _SHARED[key] = sh
            self._shared_obj = sh
        return self._shared_obj

    def warm_up(self) -> None:
        """Build the lazy shared tables now (benchmarks call this outside their timers)."""
        self._shared()

    # ------------------------------------------------------------------ public API
    def parse(self, text: str, *, title: str | None = None) -> list[Toponym]:
        """Find and resolve the place names in ``text``.

        Parameters
        ----------
        text : str
            The article body; offsets of the result index this string.
        title : str, optional
            The headline, when it is not part of ``text``: its places count as context (a
            headline names the story's country) but are not returned, since offsets index
            ``text`` only.

        Returns
        -------
        list of Toponym
            Sorted by start offset; demonyms ("Iraqi") are included with ``is_demonym=True``
            and their country as ``place``.

        Raises
        ------
        InputError
            If ``text`` is not a string or is implausibly long.

        """
        text = self._check_text(text)
        try:
            return self._parse(text, title=title)
        except GeoeventsError:
            raise
        except Exception as err:  # never leak a bare exception from deep inside on odd input
            log.exception("geoparse failed")
            raise InputError(f"Could not geoparse a text of {len(text)} characters: {err!r}") from err

    def resolve(self, text: str, spans: Sequence[tuple[int, int]]) -> list[Toponym]:
        """Resolve given (gold) spans: one Toponym per span, in the order given.

        Other place names the recognizer finds in ``text`` count as context but are not
        returned. ``place`` is None where no candidate exists.

        Raises
        ------
        InputError
            If a span does not index ``text``.

        """
        text = self._check_text(text)
        clean: list[tuple[int, int]] = []
        for sp in spans:
            try:
                s, e = int(sp[0]), int(sp[1])
            except (TypeError, ValueError, IndexError) as err:
                raise InputError(f"Span {sp!r} is not a (start, end) pair of integers") from err
            if not (0 <= s < e <= len(text)):
                raise InputError(f"Span ({s}, {e}) does not index a text of {len(text)} characters")
            clean.append((s, e))
        try:
            return self._resolve(text, clean)
        except GeoeventsError:
            raise
        except Exception as err:
            log.exception("resolve failed")
            raise InputError(f"Could not resolve {len(clean)} spans: {err!r}") from err

    @staticmethod
    def _check_text(text: object) -> str:
        if not isinstance(text, str):
            raise InputError(f"Expected the article text as str, got {type(text).__name__}")
        if len(text) > MAX_TEXT_CHARS:
            raise InputError(
                f"Text of {len(text):,} characters is too long for one article "
                f"(limit {MAX_TEXT_CHARS:,}); split it into articles first"
            )
        return text

    # ------------------------------------------------------------------ recognition
    def _recognize(self, text: str, toks: list[_Tok]) -> tuple[dict[str, list[tuple[int, int, int]]], list]:
        """Candidate n-grams: key -> [(start, end, n_tokens)], plus runs."""
        sh = self._shared()
        keys: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
        runs = _runs(text, toks)
        for run in runs:
            n = len(run)
            for a in range(n):
                if not toks[run[a]].cap:
                    continue
                if a + 1 < n and toks[run[a]].text.lower() in _ENGLISH_DROPPED:
                    continue  # "At Baghdad" normalizes like "Baghdad": keep the span honest
                for b in range(a, min(n, a + MAX_NGRAM)):
                    if not toks[run[b]].cap:
                        continue
                    s, e = toks[run[a]].start, toks[run[b]].end
                    k = sh.norm(text[s:e])
                    if k:
                        keys[k].append((s, e, b - a + 1))
        # parts of hyphenated tokens: "Albany-based", "Athens-Clarke", "Egyptian-US"
        for t in toks:
            if not t.cap or ("-" not in t.text and "‐" not in t.text and "‑" not in t.text):
                continue
            parts = re.split(r"[-‐‑]", t.text)
            if len(parts) == 2 and all(p[:1].isupper() for p in parts):
                # merged provinces written with a hyphen: "Sistan-Baluchestan" is the
                # gazetteer's "Sistan and Baluchestan"; counted as two tokens so it beats a part
                k = sh.norm(f"{parts[0]} and {parts[1]}")
                if k:
                    keys[k].append((t.start, t.end, 2))
            pos = t.start
            for part in re.split(r"[-‐‑]", t.text):
                if part and (part[0].isupper() or _ARABIC.match(part[0])) and part.lower() not in CONNECTORS:
                    k = sh.norm(part)
                    if k:
                        keys[k].append((pos, pos + len(part), 1))
                pos += len(part) + 1
        # an Arabic name with an article ("Aita al-Shaab") as French romanization writes it
        # ("Aïta ech Chaab": GeoNames' Lebanon and Syria): the sun-letter article and sh -> ch
        for run in runs:
            arts = [
                j
                for j, i in enumerate(run)
                if _ARTICLE_PREFIX.match(toks[i].text)
                or (toks[i].conn and toks[i].text.lower() in _ARABIC_ARTICLES)
            ]
            if not arts:
                continue
            for j in arts:
                for a in range(max(0, j - 2), j):
                    if not toks[run[a]].cap:
                        continue
                    for b in range(j, min(len(run), j + 3)):
                        if not toks[run[b]].cap or (b == j and not _ARTICLE_PREFIX.match(toks[run[j]].text)):
                            continue
                        s, e = toks[run[a]].start, toks[run[b]].end
                        alt = _FRENCH_ARTICLE.sub(r"ech ch", text[s:e])
                        alt = re.sub(r"sh", "ch", alt, flags=re.IGNORECASE)
                        k = sh.norm(alt)
                        if k and k not in keys:
                            keys[k].append((s, e, b - a + 1))
        # a name right before an admin-type word ("Daikundi province") is surely a place, so
        # its common transliteration variants are tried too ("Daykundi", "Makhmur")
        for run in runs:
            last = toks[run[-1]]
            nxt_i = run[-1] + 1
            if nxt_i >= len(toks) or not _WS_GAP.fullmatch(text[last.end : toks[nxt_i].start]):
                continue
            nw = toks[nxt_i].text.lower()
            if nw not in _ADMIN_TYPE_WORDS:
                continue
            for a in range(max(0, len(run) - 3), len(run)):
                if not toks[run[a]].cap:
                    continue
                s, e = toks[run[a]].start, last.end
                k = sh.norm(text[s:e])
                for v in _translit_variants(k):
                    keys[v].append((s, e, len(run) - a))
        return keys, runs

    def _lookup(self, keys: Sequence[str]) -> dict[str, list[Place]]:
        if not keys:
            return {}
        res = self.gazetteer.lookup_keys(list(dict.fromkeys(keys)))
        return {k: v for k, v in res.items() if v}

    @staticmethod
    def _with_variants(keys: list[str]) -> list[str]:
        """Keys plus "<key> county"/"<key> parish": local news writes "Barrow" for Barrow County."""
        out = list(keys) + [_REGION_KEYS[k] for k in keys if k in _REGION_KEYS]
        for k in keys:
            if k and len(k) > 2 and not k.endswith((" county", " parish")) and k.count(" ") < 2:
                out.append(k + " county")
                out.append(k + " parish")
        return out

    def _state_abbrev(self, text: str, s: int, e: int) -> Place | None:
        """The US state for an abbreviation span ("La.", "Ill.", "N.Y.", "TX") after a comma."""
        w = text[s:e].strip()
        if not w or not text[:s].rstrip().endswith(","):
            return None
        if len(w) == 2 and w.isupper() and w.isalpha():
            code = US_STATE_ABBREV.get(w)
        elif w.endswith(".") or text[e : e + 1] == ".":
            code = US_STATE_ABBREV.get(w.rstrip(".").lower())
        else:
            code = None
        return self._shared().us_states.get(code) if code else None

    def _add_state_abbrevs(self, text: str, mentions: list[_Mention]) -> list[_Mention]:
        """Add "Ga." in "Athens, Ga." as a mention of the state (LGL-style gold tags it)."""
        extra = []
        for m in mentions:
            mm = _STATE_AFTER.match(text, m.end)
            if not mm:
                continue
            s, e = mm.start(1), mm.end(1)
            place = self._state_abbrev(text, s, e)
            if place is None or any(s < o.end and o.start < e for o in mentions):
                continue
            extra.append(_Mention(s, e, text[s:e], "", cands=[place], evidence=2.0))
        if not extra:
            return mentions
        return sorted(mentions + extra, key=lambda m: m.start)

    def _candidates_for(self, key: str, hits: dict[str, list[Place]]) -> list[Place]:
        sh = self._shared()
        alias = sh.region_alias.get(key)
        if alias is not None:
            cont = [c for c in hits.get(alias, ()) if c.feature_code == "CONT"]
            if cont:
                return cont[:1]
        cands = list(hits.get(key, ()))
        for suffix in (" county", " parish"):
            extra = hits.get(key + suffix)
            if extra:
                have = {c.place_id for c in cands}
                cands.extend(c for c in extra if c.feature_code == "ADM2" and c.place_id not in have)
        iso = sh.country_names.get(key)
        if iso and iso in sh.countries:
            cp = sh.countries[iso]
            if all(c.place_id != cp.place_id for c in cands):
                cands.insert(0, cp)
        return cands

    def _parse(self, text: str, *, title: str | None) -> list[Toponym]:
        toks = _tokenize(text)
        keys, _ = self._recognize(text, toks)
        tkeys: dict[str, list[tuple[int, int, int]]] = {}
        ttoks: list[_Tok] = []
        if title and title.strip() and title.strip() not in text[: len(title) + 200]:
            ttoks = _tokenize(title)
            tkeys, _ = self._recognize(title, ttoks)
        hits = self._lookup(self._with_variants(list(keys) + list(tkeys)))
        mentions = self._select(text, toks, keys, hits)
        mentions = self._add_state_abbrevs(text, mentions)
        context = self._select(title, ttoks, tkeys, hits) if ttoks and title else []
        self._resolve_mentions(text, mentions, context)
        return [self._toponym(m) for m in mentions]

    def _select(
        self,
        text: str,
        toks: list[_Tok],
        keys: dict[str, list[tuple[int, int, int]]],
        hits: dict[str, list[Place]],
        accept: float | None = None,
    ) -> list[_Mention]:
        """Pick the spans that are place mentions: longest match first, then evidence."""
        sh = self._shared()
        by_start = {t.start: i for i, t in enumerate(toks)}
        by_end = {t.end: i for i, t in enumerate(toks)}
        for i, t in enumerate(toks):  # hyphen parts map onto their token
            if t.cap and "-" in t.text:
                pos = t.start
                for part in t.text.split("-"):
                    by_start.setdefault(pos, i)
                    by_end.setdefault(pos + len(part), i)
                    pos += len(part) + 1
        headlines = _headline_ranges(text)
        # countries the article names (or names the people of): a rare name that is a place in
        # one of them is more likely a place mention ("Akashat" in an article about Iraq)
        doc_cc = {sh.country_names[k] for k in keys if k in sh.country_names}
        doc_cc |= {sh.demonyms[k] for k in keys if k in sh.demonyms}
        surnames = self._surnames(text, toks, keys, hits)
        lower_words = set(_LOWER_WORD.findall(text))
        spans: list[tuple[int, int, int, str, str]] = []  # (ntok, start, end, key, kind)
        for k, occ in keys.items():
            kind = ""
            if k in sh.country_names:
                kind = "place"
            elif k in sh.demonyms or (k.endswith("s") and k[:-1] in sh.demonyms):
                kind = "demonym"  # "French", "Iraqis": country evidence, before any town so named
            elif k in sh.region_alias:
                kind = "place"
            elif k in hits or k + " county" in hits or k + " parish" in hits:
                kind = "place"
            if not kind:
                continue
            for s, e, n in occ:
                spans.append((n, s, e, k, kind))
        spans.sort(key=lambda x: (-x[0], -(x[2] - x[1]), x[1]))
        taken: list[tuple[int, int]] = []
        occupied = bytearray(len(text) + 1)
        out: list[_Mention] = []
        for n, s, e, k, kind in spans:
            if any(occupied[s:e]):
                continue
            if k in sh.stop_keys:
                continue
            ti = by_start.get(s, -1)
            tj = by_end.get(e, -1)
            if ti < 0 or tj < 0:
                continue
            if kind == "demonym":
                cc = sh.demonyms.get(k) or sh.demonyms.get(k[:-1])
                m = _Mention(s, e, text[s:e], k, is_demonym=True, demonym_cc=cc)
                if _ATTACKER_AFTER.match(text, e):
                    # "Turkish drones struck ...": the attacker's nationality, not where it happened
                    m.evidence = -1.0
                if cc and cc in sh.countries:
                    m.cands = [sh.countries[cc]]
                taken.append((s, e))
                occupied[s:e] = b"\x01" * (e - s)
                out.append(m)
                continue
            cands = self._candidates_for(k, hits)
            if not cands:
                continue
            if k in _ADJECTIVE_ALIASES:
                m = _Mention(s, e, text[s:e], k, cands=cands, is_demonym=True)
                taken.append((s, e))
                occupied[s:e] = b"\x01" * (e - s)
                out.append(m)
                continue
            ev = self._evidence(
                text, toks, ti, tj, n, k, cands, lower_words, any(a <= s < b for a, b in headlines)
            )
            if doc_cc and any(c.country_code in doc_cc for c in cands):
                # a rare name there is telling; a name found all over the country ("Jones",
                # "Roberts": surnames and county names) much less so
                ev += self.W_DOC_COUNTRY_RARE if len(cands) <= 3 else self.W_DOC_COUNTRY_COMMON
            if n == 1 and k in surnames and ev < 2.5:
                continue  # "Roberts" after "Tom Roberts" elsewhere in the article
            if ev < (self.ACCEPT if accept is None else accept):
                continue
            m = _Mention(s, e, text[s:e], k, cands=cands, evidence=ev)
            self._context_cues(text, toks, ti, tj, m)
            taken.append((s, e))
            occupied[s:e] = b"\x01" * (e - s)
            out.append(m)
        out.sort(key=lambda m: m.start)
        return out

    def _surnames(
        self,
        text: str,
        toks: list[_Tok],
        keys: dict[str, list[tuple[int, int, int]]],
        hits: dict[str, list[Place]],
    ) -> set[str]:
        """Keys used as the last word of a person-like name ("Tom Roberts") in this text.

        A capitalized word right before a single-word place match, when that word is not itself
        a place, a direction, a title-case headline word or sentence-initial, makes the pair a
        name; the bare surname elsewhere in the article is then a person too.
        """
        sh = self._shared()
        out: set[str] = set()
        for i in range(1, len(toks)):
            t, prev = toks[i], toks[i - 1]
            if not (t.cap and prev.cap) or t.arabic or prev.conn:
                continue
            if not _WS_GAP.fullmatch(text[prev.end : t.start]) and text[prev.end : t.start] not in (". ",):
                continue
            pl = prev.text.lower().rstrip(".")
            if pl in DIRECTION_WORDS or pl in PLACE_CUES_BEFORE or pl in PERSON_TITLES:
                continue
            if _HYPHEN_ADJ.search(prev.text):
                continue  # "Houthi-held Marib": an adjective, not a first name
            pk = sh.norm(prev.text)
            if pk in hits or pk in sh.country_names or pk in sh.demonyms:
                continue
            if _sentence_initial(text, prev.start) and pl in sh.common_keys:
                continue
            k = sh.norm(t.text)
            if k in hits and k not in sh.country_names:
                nxt = toks[i + 1] if i + 1 < len(toks) else None
                whole = sh.norm(text[prev.start : t.end])
                if whole in hits:
                    continue  # "Fort Worth", "Lake Charles": one place name
                if nxt is not None and nxt.cap and _WS_GAP.fullmatch(text[t.end : nxt.start]):
                    continue  # part of a longer title-case run: leave it to the evidence rules
                out.add(k)
        return out

    def _evidence(
        self,
        text: str,
        toks: list[_Tok],
        ti: int,
        tj: int,
        n: int,
        key: str,
        cands: list[Place],
        lower_words: set[str],
        headline: bool = False,
    ) -> float:
        """How strongly the context says this matched span is a place (>= ACCEPT keeps it)."""
        sh = self._shared()
        best = max(cands, key=lambda p: _pop_term(p) + FEATURE_BONUS.get(p.feature_code, 0.0))
        code = best.feature_code
        ev = 0.0
        strong = (
            code in _COUNTRY_CODES
            or code in ("ADM1", "PPLC", "CONT")
            or max((c.population or 0) for c in cands) >= 200_000
        )
        if code in _COUNTRY_CODES or key in sh.country_names or code == "CONT":
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
            if pl in PLACE_CUES_BEFORE and _WS_GAP.fullmatch(gap_before):
                ev += 1.0
            elif (
                pl == "s"
                and ti > 1
                and text[prev.start - 1 : prev.start] in "'’"
                and _WS_GAP.fullmatch(gap_before)
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
            if pl in SPEECH_VERBS and code not in _COUNTRY_CODES and code != "ADM1":
                ev -= 2.0  # "said Roberts"
            if arabic:
                pass
            elif pl in PERSON_TITLES and (gap_before.strip() in ("", ".")) and prev.cap:
                ev -= 4.0
            elif _HYPHEN_ADJ.search(prev.text) and prev.text[0].isupper():
                pass  # "Houthi-held Marib", "Kurdish-led Manbij": an adjective, not a first name
            elif (
                prev.cap
                and not prev.conn
                and _WS_GAP.fullmatch(gap_before)
                and pl not in DIRECTION_WORDS
                and not _sentence_initial(text, prev.start)
            ):
                # "George Washington", "President Lincoln": part of a longer unmatched name
                ev -= 2.0
            elif prev.cap and _WS_GAP.fullmatch(gap_before) and pl not in DIRECTION_WORDS:
                ev -= 1.0
        if arabic:
            pass
        elif nxt is not None and _WS_GAP.fullmatch(gap_after):
            nl = nxt.text.lower()
            # a well-known place in an organisation's name ("Ohio Senate", "Gainesville Police")
            # is still a place mention; a small one ("Fairfield Inn") much less likely
            soften = self.STRONG_SOFTEN if strong else 1.0
            if nxt.cap and nl in ORG_FOLLOWERS:
                ev -= 2.5 * soften
            elif nxt.cap and len(nxt.text) == 1 and text[nxt.end : nxt.end + 1] == ".":
                ev -= 3.0  # "Virginia L. Lane": a middle initial
            elif nxt.cap and nl not in PLACE_TYPE_AFTER and nl not in CONNECTORS:
                ev -= 1.5 * soften
            if nl in PLACE_TYPE_AFTER or nl.rstrip("s") in PLACE_TYPE_AFTER:
                ev += 1.0
            if nl in SPEECH_VERBS and code not in _COUNTRY_CODES and code != "PPLC" and code != "ADM1":
                ev -= 2.0
            if nl in NON_PLACE_FOLLOWERS and code not in _COUNTRY_CODES:
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
                ev -= self.W_PERSON_NAME
            if _sentence_initial(text, toks[ti].start):
                ev -= 0.7
            if len(key) <= 2 and not first.isupper():
                ev -= 1.5
            if (
                first.isupper()
                and 2 <= len(first.replace(".", "")) <= 5
                and key not in sh.country_names
                and code not in _COUNTRY_CODES
                and not headline
                and not _caps_context(text, toks, ti)
            ):
                ev -= 2.5  # acronyms in mixed-case text: "NATO", "AMLO", "MW"
        return ev

    def _context_cues(self, text: str, toks: list[_Tok], ti: int, tj: int, m: _Mention) -> None:
        nxt = toks[tj + 1] if tj + 1 < len(toks) else None
        if nxt is not None and _WS_GAP.fullmatch(text[toks[tj].end : nxt.start]):
            nw = nxt.text.lower()
            hint = PLACE_TYPE_AFTER.get(nw) or PLACE_TYPE_AFTER.get(nw.rstrip("s"))
            if hint:
                m.type_hint = hint
        if m.type_hint is None:
            # a list that shares one plural type word: "the Kharkiv, Sumy and Poltava regions",
            # "Idlib and Hama provinces" -- every member is an admin unit
            lm = _LIST_TYPE_AFTER.match(text, m.end)
            if lm:
                m.type_hint = "A"
        if ti > 0:
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
        if (
            nxt is not None
            and nxt.text.lower() in SPEECH_VERBS
            and _WS_GAP.fullmatch(text[m.end : nxt.start])
        ):
            m.metonymic = True
        elif (
            _METONYMY_BEFORE.search(before)
            and re.match(r"\s*(?:[,.;:)]|and\b|or\b|$)", after)
            and any(c.feature_code == "PPLC" for c in m.cands)
            and not any(c.feature_code in _COUNTRY_CODES for c in m.cands)
        ):
            m.metonymic = True  # "coordination with Washington": the government
        # US state abbreviation qualifier: "Alexandria, La." / "Austin, TX"
        if nxt is not None and text[m.end : nxt.start].strip() == ",":
            w = nxt.text
            k = w.lower().rstrip(".")
            cc_ad = None
            if w.isupper() and len(w) == 2 and w in US_STATE_ABBREV:
                cc_ad = US_STATE_ABBREV[w]
            elif (k in US_STATE_ABBREV and k not in ("la", "del", "ind", "miss", "wash", "mass", "ore")) or (
                k in ("la", "del", "ind", "miss", "wash", "mass", "ore")
                and text[nxt.end : nxt.end + 1] == "."
            ):
                cc_ad = US_STATE_ABBREV.get(k)
            elif "." in w and k in US_STATE_ABBREV:
                cc_ad = US_STATE_ABBREV[k]
            if cc_ad:
                m.qual.append(("admin1", "US", cc_ad))

    # ------------------------------------------------------------------ gold spans
    def _resolve(self, text: str, spans: list[tuple[int, int]]) -> list[Toponym]:
        sh = self._shared()
        toks = _tokenize(text)
        keys, _ = self._recognize(text, toks)
        span_keys: list[list[str]] = []
        for s, e in spans:
            name = text[s:e]
            variants = [sh.norm(name)]
            v = _POSSESSIVE.sub("", name.strip())
            v2 = _LEADING.sub("", v)
            v3 = _TRAILING_TYPE.sub("", v2)
            for x in (v, v2, v3, *_fallback_forms(v2)):
                k = sh.norm(x)
                if k and k not in variants:
                    variants.append(k)
            span_keys.append([k for k in variants if k])
        hits = self._lookup(self._with_variants(list(keys) + [k for ks in span_keys for k in ks]))
        gold: list[_Mention] = []
        by_start = {t.start: i for i, t in enumerate(toks)}
        by_end = {t.end: i for i, t in enumerate(toks)}
        for (s, e), ks in zip(spans, span_keys, strict=True):
            m = _Mention(s, e, text[s:e], ks[0] if ks else "", gold=True)
            dk = next(
                (
                    k
                    for k in ks[:1]
                    if k not in sh.country_names
                    and (k in sh.demonyms or (k.endswith("s") and k[:-1] in sh.demonyms))
                ),
                None,
            )
            if dk is not None:  # "British", "Iraqis": the country, not a town of that name
                cc = sh.demonyms.get(dk) or sh.demonyms.get(dk[:-1])
                if cc in sh.countries:
                    m.cands = [sh.countries[cc]]
                    m.is_demonym, m.demonym_cc = True, cc
            for k in ks if not m.cands else ():
                cands = self._candidates_for(k, hits)
                if cands:
                    m.cands, m.key = cands, k
                    break
            abbr = self._state_abbrev(text, s, e)
            if abbr is not None:
                m.cands = [abbr]
            if not m.cands:
                dk = next((k for k in ks if k in sh.demonyms or k.rstrip("s") in sh.demonyms), None)
                if dk is not None:
                    cc = sh.demonyms.get(dk) or sh.demonyms.get(dk.rstrip("s"))
                    if cc in sh.countries:
                        m.cands = [sh.countries[cc]]
                        m.is_demonym, m.demonym_cc = True, cc
            if not m.cands and ks:
                # the gazetteer's variant/fuzzy fallback: keep only close spellings, since a
                # far one ("Appalachians" -> Apalachin) is wrong more often than right
                from rapidfuzz import fuzz

                m.key = ks[0]
                m.cands = [
                    c
                    for c in self.gazetteer.candidates(text[s:e].strip(), limit=MAX_CANDIDATES)
                    if fuzz.ratio(sh.norm(c.name), m.key) >= self.FUZZY_MIN
                    or any(fuzz.ratio(sh.norm(c.name), k) >= self.FUZZY_MIN for k in ks[1:])
                ]
            ti, tj = by_start.get(s), by_end.get(e)
            if ti is not None and tj is not None:
                self._context_cues(text, toks, ti, tj, m)
            else:
                m.relation = relation_before(text, s)
            gold.append(m)
        # context only: a looser threshold, since a wrong extra name costs little here
        found = self._select(text, toks, keys, hits, accept=self.CONTEXT_ACCEPT)
        context = [f for f in found if not any(f.start < g.end and g.start < f.end for g in gold)]
        self._resolve_mentions(text, gold, context)
        return [self._toponym(m) for m in gold]

    # ------------------------------------------------------------------ resolution
    def _resolve_mentions(self, text: str, mentions: list[_Mention], context: list[_Mention]) -> None:
        allm = mentions + context
        # repeated mentions of a name share candidates and priors: compute them once
        pcache: dict[tuple[Any, ...], tuple[list[Place], list[float]]] = {}
        for m in allm:
            ck = (m.key, m.type_hint, m.metonymic, len(m.cands), m.cands[0].place_id if m.cands else 0)
            hit = pcache.get(ck)
            if hit is not None:
                m.cands, m.prior = hit[0], list(hit[1])
                continue
            if len(m.cands) > MAX_CANDIDATES:
                m.cands = sorted(m.cands, key=self._prior_of(m), reverse=True)[:MAX_CANDIDATES]
            prior_fn = self._prior_of(m)
            m.prior = [prior_fn(c) for c in m.cands]
            # a big city beats the admin unit named after it ("New York", "Baghdad", "Basra")
            # (and a district named after its seat: "Al-Qaim" is the town unless "district" follows)
            cities = {
                (c.country_code, c.admin1)
                for c in m.cands
                if c.feature_class == "P" and (c.population or 0) >= 100_000
            }
            seats = {
                (c.country_code, c.admin1) for c in m.cands if c.feature_code.startswith(("PPLA", "PPLC"))
            }
            if (cities or seats) and m.type_hint != "A":
                for i, c in enumerate(m.cands):
                    if c.feature_code in _ADMIN_CODES and (
                        (c.country_code, c.admin1) in cities
                        or (c.feature_code != "ADM1" and (c.country_code, c.admin1) in seats)
                    ):
                        m.prior[i] -= self.W_CITY_OVER_ADMIN
            pcache[ck] = (m.cands, list(m.prior))
        # explicit qualifiers: "X, Y" where Y is a state/country mention
        ordered = sorted(allm, key=lambda m: m.start)
        for a, b in zip(ordered, ordered[1:], strict=False):
            gap = text[a.end : b.start]
            if gap.strip() in (",", "(", ", (") and len(gap) <= 3 and b.cands:
                for c in b.cands:
                    if c.feature_code in _COUNTRY_CODES:
                        a.qual.append(("country", c.country_code, ""))
                    elif c.feature_code == "ADM1":
                        a.qual.append(("admin1", c.country_code, c.admin1))
                    elif c.feature_code == "ADM2":
                        a.qual.append(("admin2", c.country_code, c.admin2))
            elif _POSSESSIVE_GAP.fullmatch(gap) and a.cands and not a.is_demonym:
                # "Syria's Deir ez-Zor", "Balochistan's Kech district": the owner qualifies b
                for c in a.cands[:3]:
                    if c.feature_code in _COUNTRY_CODES:
                        b.qual.append(("country", c.country_code, ""))
                    elif c.feature_code == "ADM1":
                        b.qual.append(("admin1", c.country_code, c.admin1))
            elif re.fullmatch(r"\s+(?:in|of)\s+(?:the\s+)?", gap) and b.cands:
                for c in b.cands:
                    if c.feature_code in _COUNTRY_CODES:
                        a.qual.append(("country_weak", c.country_code, ""))
                    elif c.feature_code == "ADM1":
                        a.qual.append(("admin1_weak", c.country_code, c.admin1))

        # pass 1: prior + qualifiers
        for m in allm:
            m.scores = [p + self._qual_bonus(m, c) for p, c in zip(m.prior, m.cands, strict=True)]
            m.best = max(range(len(m.cands)), key=m.scores.__getitem__) if m.cands else -1

        mentioned = {
            m.cands[0].country_code
            for m in allm
            if m.cands and ((m.is_demonym and m.evidence >= 0) or m.cands[0].feature_code in _COUNTRY_CODES)
        }
        for _ in range(2):
            cc_w, ad_w, contrib_cc, contrib_ad = self._context_weights(allm)
            anchors = self._anchors(allm)
            for m in allm:
                if not m.cands:
                    continue
                own_cc = contrib_cc.get(m.key, {})
                own_ad = contrib_ad.get(m.key, {})
                # normalised by the strongest country/admin1 of the document, so one clear
                # majority counts fully however many names the article has
                tot_cc = max((v - own_cc.get(k, 0.0) for k, v in cc_w.items()), default=0.0)
                tot_ad = max((v - own_ad.get(k, 0.0) for k, v in ad_w.items()), default=0.0)
                scores = []
                cshare = m.cshare = []
                ashare = m.ashare = []
                for p, c in zip(m.prior, m.cands, strict=True):
                    s = p + self._qual_bonus(m, c)
                    if c.country_code in mentioned:
                        s += self.W_MENTIONED_COUNTRY
                    cs = as_ = 0.0
                    if tot_cc > 0:
                        cw = cc_w.get(c.country_code, 0.0) - own_cc.get(c.country_code, 0.0)
                        cs = cw / tot_cc
                        s += self.W_COUNTRY * cs
                    if tot_ad > 0 and c.admin1:
                        ak = (c.country_code, c.admin1)
                        aw = ad_w.get(ak, 0.0) - own_ad.get(ak, 0.0)
                        if self.ADMIN2_AS_ADMIN1 and c.admin2:
                            # Natural Earth admin-1 units are GeoNames admin-2 in some countries
                            # (Philippine provinces): a town's admin2 may meet a context admin1
                            a2 = (c.country_code, c.admin2)
                            aw = max(aw, ad_w.get(a2, 0.0) - own_ad.get(a2, 0.0))
                        as_ = aw / tot_ad
                        s += self.W_ADMIN1 * as_
                    scores.append(s)
                    cshare.append(cs)
                    ashare.append(as_)
                if anchors and len(m.cands) > 1:
                    # distance only decides between close competitors: skip hopeless candidates
                    top = max(scores)
                    order = [
                        i
                        for i in sorted(range(len(scores)), key=scores.__getitem__, reverse=True)[:6]
                        if scores[i] > top - self.W_NEAR - 0.5
                    ]
                    for i in order if len(order) > 1 else ():
                        c = m.cands[i]
                        if c.feature_code in _COUNTRY_CODES or c.feature_code == "ADM1":
                            continue
                        dmin = min(
                            (haversine_km(c.lat, c.lon, a.lat, a.lon) for k, a in anchors if k != m.key),
                            default=None,
                        )
                        if dmin is not None:
                            scores[i] += self.W_NEAR * math.exp(-dmin / 150.0)
                m.scores = scores
                m.best = max(range(len(scores)), key=scores.__getitem__)
        if self._model is not None or self._collect is not None:
            self._rerank(mentions, mentioned, anchors)  # context names are not returned
        for m in mentions:
            self._explain(m)

    def _rerank(self, allm: list[_Mention], mentioned: set[str], anchors: list[tuple[str, Place]]) -> None:
        """Re-rank each mention's top rule candidates with the learned model (see ranker.py)."""
        sh = self._shared()
        model = self._model
        collect = self._collect
        fcache: dict[tuple[str, int], float | None] = {}
        for m in allm:
            n = len(m.cands)
            if n < 2 or m.is_demonym:
                if collect is not None and m.gold and n == 1:
                    collect.append((m, [0], []))
                continue
            probs = self._softmax(m.scores)
            if collect is None and probs[m.best] >= RERANK_BELOW:
                continue  # the rules are sure: the model rarely disagrees there, and costs time
            order = sorted(range(n), key=m.scores.__getitem__, reverse=True)[:TOP_K]
            rule_top = m.scores[order[0]]
            prior_top = max(m.prior)
            prior_rank = {i: r for r, i in enumerate(sorted(range(n), key=m.prior.__getitem__, reverse=True))}
            rows = []
            for i in order:
                c = m.cands[i]
                dk = (m.key, c.place_id)
                if dk in fcache:
                    dmin = fcache[dk]
                else:
                    dmin = min(
                        (haversine_km(c.lat, c.lon, a.lat, a.lon) for k, a in anchors if k != m.key),
                        default=None,
                    )
                    fcache[dk] = dmin
                rows.append(
                    feature_vector(
                        c=c,
                        rule=m.scores[i],
                        rule_top=rule_top,
                        rule_best=i == m.best,
                        rule_prob=probs[i],
                        pop_term=_pop_term(c),
                        prior=m.prior[i],
                        prior_top=prior_top,
                        prior_rank=prior_rank[i],
                        exact=sh.norm(c.name) == m.key,
                        qual=self._qual_bonus(m, c),
                        mentioned=c.country_code in mentioned,
                        cshare=m.cshare[i] if m.cshare else 0.0,
                        ashare=m.ashare[i] if m.ashare else 0.0,
                        dmin=dmin,
                        n_cands=n,
                        type_hint=m.type_hint,
                        metonymic=m.metonymic,
                    )
                )
            if collect is not None and m.gold:
                collect.append((m, order, rows))
            if model is None or probs[m.best] >= RERANK_BELOW:
                continue
            logits = model.score_many(rows)
            # the model's logits become the scores (in the softmax's units); the rest stay below
            floor = min(logits) - 10.0
            new = [floor] * n
            for i, z in zip(order, logits, strict=True):
                new[i] = z / 1.5
            best = max(order, key=new.__getitem__)
            m.learned = best != m.best
            m.scores, m.best = new, best

    def _prior_of(self, m: _Mention):
        key = m.key
        sh = self._shared()
        hint = m.type_hint

        def prior(c: Place) -> float:
            s = _pop_term(c) + FEATURE_BONUS.get(c.feature_code, 0.0)
            if c.feature_class in ("H", "T", "V", "U", "L", "R") and c.feature_code not in FEATURE_BONUS:
                s -= 0.5
            if c.feature_class == "S" and c.feature_code not in FEATURE_BONUS:
                s -= 0.8
            cn = sh.norm(c.name)
            if cn == key:
                s += self.W_EXACT
            elif c.feature_code == "ADM2" and cn in (key + " county", key + " parish"):
                s += self.W_VARIANT
            if m.metonymic and c.feature_code == "PPLC":
                s += 2.0  # a capital used for its government: at least the right city
            if hint:
                if c.feature_class == hint:
                    s += self.W_TYPE
                elif hint == "A" and c.feature_class == "P":
                    s -= 0.3
            return s

        return prior

    def _qual_bonus(self, m: _Mention, c: Place) -> float:
        b = 0.0
        for kind, cc, code in m.qual:
            if c.country_code != cc:
                continue
            if kind == "country":
                b = max(b, self.W_QUAL_COUNTRY)
            elif kind == "admin1" and c.admin1 == code and c.feature_code != "ADM1":
                b = max(b, self.W_QUAL_ADMIN)
            elif kind == "admin2" and c.admin2 == code:
                b = max(b, self.W_QUAL_ADMIN)
            elif kind == "country_weak":
                b = max(b, self.W_QUAL_COUNTRY * 0.6)
            elif kind == "admin1_weak" and c.admin1 == code and c.feature_code != "ADM1":
                b = max(b, self.W_QUAL_ADMIN * 0.6)
        return b

    @staticmethod
    def _softmax(xs: list[float]) -> list[float]:
        mx = max(xs)
        ex = [math.exp(min(0.0, x - mx) * 1.5) for x in xs]
        t = sum(ex)
        return [e / t for e in ex]

    def _context_weights(self, allm: list[_Mention]):
        """Country and admin1 evidence of every distinct name, and each name's own share."""
        cc_w: dict[str, float] = defaultdict(float)
        ad_w: dict[tuple[str, str], float] = defaultdict(float)
        contrib_cc: dict[str, dict[str, float]] = {}
        contrib_ad: dict[str, dict[tuple[str, str], float]] = {}
        seen: set[str] = set()
        for m in allm:
            if not m.cands or m.key in seen:
                continue
            seen.add(m.key)
            own_cc: dict[str, float] = defaultdict(float)
            own_ad: dict[tuple[str, str], float] = defaultdict(float)
            # a weakly recognized name (maybe a person) counts less as context
            mw = 1.0 if m.gold or m.is_demonym else min(1.0, max(0.15, (m.evidence + 1.0) / 3.0))
            if m.is_demonym:
                own_cc[m.cands[0].country_code] += 0.7 if m.evidence >= 0 else 0.2
            else:
                probs = self._softmax(m.scores)
                for p, c in zip(probs, m.cands, strict=True):
                    if p < 0.02:
                        continue
                    w = 1.5 if c.feature_code in _COUNTRY_CODES else 1.0
                    own_cc[c.country_code] += w * p * mw
                    if c.admin1 and c.feature_code not in _COUNTRY_CODES:
                        aw = 1.5 if c.feature_code == "ADM1" else 1.0
                        own_ad[(c.country_code, c.admin1)] += aw * p * mw
            for k, v in own_cc.items():
                cc_w[k] += v
            for k2, v in own_ad.items():
                ad_w[k2] += v
            contrib_cc[m.key] = own_cc
            contrib_ad[m.key] = own_ad
        return cc_w, ad_w, contrib_cc, contrib_ad

    def _anchors(self, allm: list[_Mention]) -> list[tuple[str, Place]]:
        out: list[tuple[str, Place]] = []
        seen: set[str] = set()
        for m in allm:
            if m.best < 0 or m.is_demonym or m.key in seen:
                continue
            c = m.cands[m.best]
            if c.feature_code in _COUNTRY_CODES or c.feature_code in ("ADM1", "CONT", "RGN"):
                continue
            probs = self._softmax(m.scores)
            if probs[m.best] < 0.6 or (not m.gold and m.evidence < 1.0):
                continue
            seen.add(m.key)
            out.append((m.key, c))
            if len(out) >= 20:
                break
        return out

    def _explain(self, m: _Mention) -> None:
        if m.best < 0:
            m.why = "no gazetteer entry for this name"
            return
        c = m.cands[m.best]
        kind = (
            "country"
            if c.feature_code in _COUNTRY_CODES
            else "first-order admin unit"
            if c.feature_code == "ADM1"
            else "capital"
            if c.feature_code == "PPLC"
            else "populated place"
            if c.feature_class == "P"
            else f"{c.feature_code or c.feature_class or 'place'}"
        )
        n_same = len(m.cands)
        parts = []
        if m.is_demonym:
            parts.append(f"demonym of {c.country_code}")
        elif n_same == 1:
            parts.append(f"only {kind} named {m.name} in the gazetteer ({c.country_code})")
        else:
            top_prior = max(range(n_same), key=m.prior.__getitem__)
            lead = "largest" if top_prior == m.best else "chosen"
            parts.append(f"{lead} {kind} named {m.name} in {c.country_code} (of {n_same} candidates)")
            if self._qual_bonus(m, c) > 0:
                parts.append("matches the qualifier next to it")
            if top_prior != m.best:
                parts.append(f"{c.country_code}/{c.admin1 or '-'} fits the document's other places")
            if m.learned:
                parts.append("the learned ranker overrode the rule score")
        if m.relation:
            parts.append(f"relative phrase '{m.relation}'")
        if m.metonymic:
            parts.append("possibly metonymic (the government, not the place)")
        m.why = "; ".join(parts)

    def _toponym(self, m: _Mention) -> Toponym:
        place = m.cands[m.best] if m.best >= 0 else None
        if place is not None and not (-90 <= place.lat <= 90 and -180 <= place.lon <= 180):
            place = None
        if place is None:
            score = 0.0
        else:
            p = self._softmax(m.scores)[m.best]
            conf = 1.0 if m.gold else 1.0 / (1.0 + math.exp(-(m.evidence + 0.5)))
            score = max(0.0, min(1.0, p * conf * (0.5 if m.metonymic else 1.0)))
        return Toponym(
            start=m.start,
            end=m.end,
            name=m.name,
            place=place,
            score=score,
            reason=m.why,
            relation=m.relation,
            is_demonym=m.is_demonym,
            metonymic=m.metonymic,
        )


def geoparse(
    text: str, gazetteer: SQLiteGazetteer, *, title: str | None = None, ranker: str | None = None
) -> list[Toponym]:
    """Find and resolve the place names in ``text`` (see :meth:`Geoparser.parse`)."""
    return Geoparser(gazetteer, ranker=ranker).parse(text, title=title)


def resolve_spans(
    text: str, spans: Sequence[tuple[int, int]], gazetteer: SQLiteGazetteer, ranker: str | None = None
) -> list[Toponym]:
    """Resolve given spans of ``text`` (see :meth:`Geoparser.resolve`)."""
    return Geoparser(gazetteer, ranker=ranker).resolve(text, spans)
