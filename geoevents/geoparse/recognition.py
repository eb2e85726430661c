"""Recognition: which spans of a text are place mentions.

Name-like token runs (see :mod:`tokens`) give candidate spans of up to six tokens; all their
normalized forms go to the gazetteer in ONE ``lookup_keys`` call per document; then
:meth:`Recognizer.select` takes the longest matching span first and keeps it when the context's
evidence (:func:`~geoevents.geoparse.evidence.span_evidence`) says it is a place mention at all.
"""

from __future__ import annotations

import re
from collections import defaultdict

from geoevents.geoparse._lexicon import (
    CONNECTORS,
    DIRECTION_WORDS,
    NOT_PLACES,
    ORG_FOLLOWERS,
    PERSON_NAMES,
    PERSON_TITLES,
    PLACE_CUES_BEFORE,
    PLACE_TYPE_AFTER,
)
from geoevents.geoparse.candidates import candidates_for
from geoevents.geoparse.evidence import HYPHEN_ADJ, context_cues, span_evidence
from geoevents.geoparse.forms import translit_variants
from geoevents.geoparse.mention import Mention
from geoevents.geoparse.tables import ADJECTIVE_ALIASES, NameTables
from geoevents.geoparse.tokens import ARABIC, ARTICLE_PREFIX, WS_GAP, Token, headline_ranges, sentence_initial
from geoevents.geoparse.tokens import runs as name_runs
from geoevents.geoparse.weights import Weights
from geoevents.records import Place

__all__ = ["ATTACKER_AFTER", "MAX_NGRAM", "Keys", "Recognizer", "bare_segments", "is_caseless"]

MAX_NGRAM = 6

Keys = dict[str, list[tuple[int, int, int]]]  # normalized key -> [(start, end, n_tokens)]

_ENGLISH_DROPPED = frozenset({"an", "as", "at", "the"})  # words normalize_name drops
_LOWER_WORD = re.compile(r"(?<![\w'’])[a-z][a-z'’]*")
# military nouns after a demonym: the attacker's nationality ("Turkish drones", "Israeli jets")
ATTACKER_AFTER = re.compile(
    r"[ \t]+(?:-?led[ \t]+)?(?:(?:air|military|armed|special|security|naval|army|border)[ \t]+)?"
    r"(?:jets?|warplanes?|drones?|aircraft|planes|helicopters?|forces|troops|soldiers|army|military|"
    r"artillery|tanks?|missiles?|rockets?|strikes?|airstrikes?|air[ \t]+strikes?|navy|warships?|"
    r"gunboats?|shelling|raids?|bombers?|fighter[ \t]+jets|commandos|units|operations?)\b",
    re.IGNORECASE,
)
_ARABIC_ARTICLES = frozenset({"al", "el", "ash", "esh", "ech", "ach"})
_FRENCH_ARTICLE = re.compile(r"\b(?:al|el|as|es|ash|esh|ech|ach)[-‐‑\s]+sh", re.IGNORECASE)
_SH = re.compile(r"sh", re.IGNORECASE)
_HYPHEN = re.compile(r"[-‐‑]")
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


_LIST_GAP = re.compile(r"\s{0,2}(?:[,;|/\n•]|,?\s*(?:and|or|&))\s{0,3}")
_NOT_NAME_BEFORE_HEAD = frozenset(
    "historic congressional sewer business special legislative judicial senate assembly "
    "management quality conservation improvement voting election".split()
)
# a whole list item: a separator (or the text's edge) on both sides
_ITEM_END = re.compile(r"\s*(?:[,;|/\n•.]|and\b|or\b|&|$)")
_ITEM_START = re.compile(r"(?:^|[,;|/\n•&]|\band|\bor)\s*$")
_GENERIC_HEADS = frozenset(
    {"village", "district", "lga", "camp", "town", "subdistrict", "neighbourhood", "neighborhood"}
)
_NUMBER = re.compile(r"\d{1,4}(?=[.,;:]?$)")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_RU_ENDINGS = ("ом", "ой", "ах", "ям", "е", "у", "а", "ы", "и", "ю", "я")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
# a segment boundary: a line, a list separator, the start or end of the text
_SEGMENT = re.compile(r"[^\n;|\t•]+")
_SEG_TRIM = re.compile(r"^[\s\-*·•>\d.)(\[\]]*|[\s.!?:)(\[\]]*$")


def bare_segments(text: str) -> list[tuple[int, int]]:
    """Offsets of lines and list items (";", "|", bullets) that are one to four words and nothing else.

    Commas do not separate here: "fees, fines and costs" is a sentence, not a pasted list.
    """
    out = []
    for m in _SEGMENT.finditer(text):
        seg = m.group()
        lead = _SEG_TRIM.match(seg)
        a = m.start() + (lead.end() if lead else 0)
        b = m.end()
        while b > a and text[b - 1] in " \t\r.!?:)([]\u00a0":
            b -= 1
        if b <= a:
            continue
        words = _WORD.findall(text[a:b])
        if 1 <= len(words) <= 4 and len(text[a:b]) <= 60 and not any(ch.isdigit() for ch in text[a:b]):
            out.append((a, b))
        if len(out) > 200:
            break
    return out


def is_caseless(toks: list[Token]) -> bool:
    """Tell whether a text has no capitals to read (all lower case, at least three words)."""
    n = 0
    for t in toks:
        c = t.text[0]
        if c.isupper():
            return False
        n += c.isascii() and c.isalpha()
    return n >= 3


class Recognizer:
    """Candidate spans of a text and the choice of which are place mentions."""

    def __init__(self, tables: NameTables, weights: Weights) -> None:
        self.tables = tables
        self.w = weights

    def candidate_keys(self, text: str, toks: list[Token]) -> tuple[Keys, list[list[int]]]:
        """Candidate n-grams: key -> [(start, end, n_tokens)], plus runs."""
        sh = self.tables
        keys: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
        if is_caseless(toks):
            # all lower case (or a pasted list): capitals say nothing, so any word that is not
            # an ordinary English word may start a name; evidence then leans on cue words
            for t in toks:
                if not t.cap and t.text[0].isalpha() and len(t.text) > 2 and t.text not in sh.common_keys:
                    t.cap = t.text.lower() not in NOT_PLACES
        runs = name_runs(text, toks)
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
            parts = _HYPHEN.split(t.text)
            if len(parts) == 2 and all(p[:1].isupper() for p in parts):
                # merged provinces written with a hyphen: "Sistan-Baluchestan" is the
                # gazetteer's "Sistan and Baluchestan"; counted as two tokens so it beats a part
                k = sh.norm(f"{parts[0]} and {parts[1]}")
                if k:
                    keys[k].append((t.start, t.end, 2))
            pos = t.start
            for part in parts:
                if part and (part[0].isupper() or ARABIC.match(part[0])) and part.lower() not in CONNECTORS:
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
                if ARTICLE_PREFIX.match(toks[i].text)
                or (toks[i].conn and toks[i].text.lower() in _ARABIC_ARTICLES)
            ]
            if not arts:
                continue
            for j in arts:
                for a in range(max(0, j - 2), j):
                    if not toks[run[a]].cap:
                        continue
                    for b in range(j, min(len(run), j + 3)):
                        if not toks[run[b]].cap or (b == j and not ARTICLE_PREFIX.match(toks[run[j]].text)):
                            continue
                        s, e = toks[run[a]].start, toks[run[b]].end
                        alt = _FRENCH_ARTICLE.sub(r"ech ch", text[s:e])
                        alt = _SH.sub("ch", alt)
                        k = sh.norm(alt)
                        if k and k not in keys:
                            keys[k].append((s, e, b - a + 1))
        # a name right before an admin-type word ("Daikundi province") is surely a place, so
        # its common transliteration variants are tried too ("Daykundi", "Makhmur")
        for run in runs:
            last = toks[run[-1]]
            nxt_i = run[-1] + 1
            if nxt_i >= len(toks) or not WS_GAP.fullmatch(text[last.end : toks[nxt_i].start]):
                continue
            nw = toks[nxt_i].text.lower()
            if nw not in _ADMIN_TYPE_WORDS:
                continue
            for a in range(max(0, len(run) - 3), len(run)):
                if not toks[run[a]].cap:
                    continue
                s, e = toks[run[a]].start, last.end
                k = sh.norm(text[s:e])
                for v in translit_variants(k):
                    keys[v].append((s, e, len(run) - a))
                if k:  # "Nad Ali district" may be the admin unit's own name
                    keys[f"{k} {nw}"].append((s, e, len(run) - a + 1))
        self._extra_keys(text, toks, runs, keys)
        return keys, runs

    def _extra_keys(self, text: str, toks: list[Token], runs: list[list[int]], keys: Keys) -> None:
        """Keys capitals do not give: bare list items, "Tower 22", Russian case endings."""
        sh = self.tables
        # a name with a number: "Tower 22", "Camp 5", "Checkpoint 300"
        for run in runs:
            j = run[-1] + 1
            num = _NUMBER.match(toks[j].text) if j < len(toks) else None
            if num and len(toks[run[-1]].text) > 2 and text[toks[run[-1]].end : toks[j].start] == " ":
                end = toks[j].start + num.end()
                for a in range(max(0, len(run) - 3), len(run)):
                    k = sh.norm(text[toks[run[a]].start : end])
                    if k:
                        keys[k].append((toks[run[a]].start, end, len(run) - a + 1))
        # a list item or a line that is only a name, whatever its case: "fallujah", "MOSUL"
        for s, e in bare_segments(text):
            k = sh.norm(text[s:e])
            if len(k) > 3 and k not in keys and k not in sh.common_keys and k not in sh.stop_keys:
                keys[k].append((s, e, len(_WORD.findall(text[s:e]))))
        # Russian nouns inflect: "в Киеве" is Kiev in the locative; try the stem
        for t in toks:
            if len(t.text) > 4 and _CYRILLIC.match(t.text) and t.text[0].isupper():
                for ending in _RU_ENDINGS:
                    if t.text.endswith(ending):
                        k = sh.norm(t.text[: -len(ending)])
                        if k and k not in keys:
                            keys[k].append((t.start, t.end, 1))

    def select(
        self,
        text: str,
        toks: list[Token],
        keys: dict[str, list[tuple[int, int, int]]],
        hits: dict[str, list[Place]],
        accept: float | None = None,
        weak: list[Mention] | None = None,
    ) -> list[Mention]:
        """Pick the spans that are place mentions: longest match first, then evidence.

        Then rescue list items and bare names the evidence missed, and keep "Kawuri village"
        style names with no gazetteer entry as unresolved mentions. ``weak``, when a list,
        receives the rejected names that may still inform context ("Harvard" in "Harvard Yard").
        """
        sh = self.tables
        threshold = self.w.accept if accept is None else accept
        rejected: list[tuple[int, int, str, int, list[Place], float, int, int]] = []
        by_start = {t.start: i for i, t in enumerate(toks)}
        by_end = {t.end: i for i, t in enumerate(toks)}
        for i, t in enumerate(toks):
            if t.text[0].isdigit() and (num := _NUMBER.match(t.text)):
                by_end.setdefault(t.start + num.end(), i)  # "Tower 22," ends before the comma
        for i, t in enumerate(toks):  # hyphen parts map onto their token
            if t.cap and "-" in t.text:
                pos = t.start
                for part in t.text.split("-"):
                    by_start.setdefault(pos, i)
                    by_end.setdefault(pos + len(part), i)
                    pos += len(part) + 1
        headlines = headline_ranges(text)
        caseless = is_caseless(toks)
        if caseless:  # no capitals anywhere: read it like a headline, by cue words
            headlines = [(0, len(text) + 1)]
        # countries the article names (or names the people of): a rare name that is a place in
        # one of them is more likely a place mention ("Akashat" in an article about Iraq)
        doc_cc = sh.countries_named(keys)
        surnames = self.surnames(text, toks, keys, hits)
        lower_words = set() if caseless else set(_LOWER_WORD.findall(text))
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
        occupied = bytearray(len(text) + 1)
        out: list[Mention] = []
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
                m = Mention(s, e, text[s:e], k, is_demonym=True, demonym_cc=cc)
                if ATTACKER_AFTER.match(text, e):
                    # "Turkish drones struck ...": the attacker's nationality, not where it happened
                    m.evidence = -1.0
                if cc and cc in sh.countries:
                    m.cands = [sh.countries[cc]]
                occupied[s:e] = b"\x01" * (e - s)
                out.append(m)
                continue
            cands = candidates_for(sh, k, hits)
            if not cands:
                continue
            if k in ADJECTIVE_ALIASES:
                m = Mention(s, e, text[s:e], k, cands=cands, is_demonym=True)
                occupied[s:e] = b"\x01" * (e - s)
                out.append(m)
                continue
            ev = span_evidence(
                sh,
                self.w,
                text,
                toks,
                ti,
                tj,
                n,
                k,
                cands,
                lower_words,
                any(a <= s < b for a, b in headlines),
            )
            if doc_cc and any(c.country_code in doc_cc for c in cands):
                # a rare name there is telling; a name found all over the country ("Jones",
                # "Roberts": surnames and county names) much less so
                ev += self.w.doc_country_rare if len(cands) <= 3 else self.w.doc_country_common
            if n == 1 and k in surnames and ev < 2.5:
                continue  # "Roberts" after "Tom Roberts" elsewhere in the article
            if ev < threshold:
                rejected.append((s, e, k, n, cands, ev, ti, tj))
                continue
            m = Mention(s, e, text[s:e], k, cands=cands, evidence=ev)
            context_cues(text, toks, ti, tj, m)
            occupied[s:e] = b"\x01" * (e - s)
            out.append(m)
        if rejected:
            self._rescue(text, toks, rejected, out, occupied, threshold)
            if weak is not None:
                for s, e, k, _n, cands, ev, _ti, _tj in rejected:
                    if ev >= -3.0 and not any(occupied[s:e]) and k not in sh.common_keys:
                        weak.append(Mention(s, e, text[s:e], k, cands=cands, evidence=ev, weak=True))
        if accept is None:
            self._unresolved(text, toks, out, occupied)
        out.sort(key=lambda m: m.start)
        return out

    def _rescue(
        self,
        text: str,
        toks: list[Token],
        rejected: list[tuple[int, int, str, int, list[Place], float, int, int]],
        out: list[Mention],
        occupied: bytearray,
        threshold: float,
    ) -> None:
        """Accept names that are a list item beside accepted places, or a bare line/list item."""
        sh = self.tables
        segs = set(bare_segments(text))
        rejected.sort(key=lambda r: (-r[3], r[0]))
        for _ in range(3):
            places = [m for m in out if not m.is_demonym and m.cands]
            # one sense per document: a name the text clearly uses as a place elsewhere
            sure = {m.key for m in places if m.evidence >= self.w.same_name_sure}
            changed = False
            for item in list(rejected):
                s, e, k, n, cands, ev, ti, tj = item
                if any(occupied[s:e]) or k in sh.common_keys or len(k) < 3:
                    continue
                if n == 1 and text[s:e].lower() in PERSON_NAMES:
                    continue
                bare = (s, e) in segs and ev >= threshold - 7.0
                listed = (
                    ev >= threshold - 1.0
                    and _ITEM_END.match(text, e) is not None
                    and _ITEM_START.search(text[max(0, s - 8) : s]) is not None
                    and any(c.feature_class in "AP" for c in cands)
                    and text[s:e].lower() not in PERSON_NAMES
                    and any(
                        (m.end <= s and _LIST_GAP.fullmatch(text[m.end : s]))
                        or (e <= m.start and _LIST_GAP.fullmatch(text[e : m.start]))
                        for m in places
                    )
                )
                same = k in sure and ev >= threshold - self.w.same_name_margin
                if not (bare or listed or same):
                    continue
                m = Mention(s, e, text[s:e], k, cands=cands, evidence=max(ev, threshold))
                context_cues(text, toks, ti, tj, m)
                occupied[s:e] = b"\x01" * (e - s)
                out.append(m)
                rejected.remove(item)
                changed = True
            if not changed:
                break

    def _unresolved(self, text: str, toks: list[Token], out: list[Mention], occupied: bytearray) -> None:
        """Keep "Kawuri village", "Nad Ali district" as mentions even without a gazetteer entry."""
        sh = self.tables
        for i, t in enumerate(toks):
            if t.text.lower() not in _GENERIC_HEADS or i == 0:
                continue
            if not (t.text.islower() or t.text.istitle() or t.text == "LGA"):
                continue
            j = i - 1
            while j >= 0 and toks[j].cap and not toks[j].conn and i - j <= 3:
                if not WS_GAP.fullmatch(text[toks[j].end : toks[j + 1].start]):
                    break
                j -= 1
            j += 1
            if j >= i:
                continue
            s, e = toks[j].start, toks[i - 1].end
            if any(occupied[s:e]) or any(ch.isdigit() for ch in text[s:e]):
                continue
            words = [x.text.lower() for x in toks[j:i]]
            if any(x in sh.common_keys or x in ORG_FOLLOWERS or x in _NOT_NAME_BEFORE_HEAD for x in words):
                continue  # "Historic district", "Shiloh School district", "Water district"
            k = sh.norm(text[s:e])
            first = toks[j].text.lower()
            if not k or k in sh.stop_keys or k in sh.common_keys or first in PERSON_TITLES:
                continue
            if (
                first in DIRECTION_WORDS
                or first in PLACE_TYPE_AFTER
                or (i - j == 1 and first in PERSON_NAMES)
            ):
                continue
            m = Mention(s, e, text[s:e], k, evidence=1.0)
            context_cues(text, toks, j, i - 1, m)
            occupied[s:e] = b"\x01" * (e - s)
            out.append(m)

    def surnames(
        self,
        text: str,
        toks: list[Token],
        keys: dict[str, list[tuple[int, int, int]]],
        hits: dict[str, list[Place]],
    ) -> set[str]:
        """Keys used as the last word of a person-like name ("Tom Roberts") in this text.

        A capitalized word right before a single-word place match, when that word is not itself
        a place, a direction, a title-case headline word or sentence-initial, makes the pair a
        name; the bare surname elsewhere in the article is then a person too.
        """
        sh = self.tables
        out: set[str] = set()
        for i in range(1, len(toks)):
            t, prev = toks[i], toks[i - 1]
            if not (t.cap and prev.cap) or t.arabic or prev.conn:
                continue
            if not WS_GAP.fullmatch(text[prev.end : t.start]) and text[prev.end : t.start] not in (". ",):
                continue
            pl = prev.text.lower().rstrip(".")
            if pl in DIRECTION_WORDS or pl in PLACE_CUES_BEFORE or pl in PERSON_TITLES:
                continue
            if HYPHEN_ADJ.search(prev.text):
                continue  # "Houthi-held Marib": an adjective, not a first name
            pk = sh.norm(prev.text)
            if pk in hits or pk in sh.country_names or pk in sh.demonyms:
                continue
            if sentence_initial(text, prev.start) and pl in sh.common_keys:
                continue
            k = sh.norm(t.text)
            if k in hits and k not in sh.country_names:
                nxt = toks[i + 1] if i + 1 < len(toks) else None
                whole = sh.norm(text[prev.start : t.end])
                if whole in hits:
                    continue  # "Fort Worth", "Lake Charles": one place name
                if nxt is not None and nxt.cap and WS_GAP.fullmatch(text[t.end : nxt.start]):
                    continue  # part of a longer title-case run: leave it to the evidence rules
                out.add(k)
        return out
