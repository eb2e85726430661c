"""Recognition: which spans of a text are place mentions.

Name-like token runs (see :mod:`tokens`) give candidate spans of up to six tokens; all their
normalized forms go to the gazetteer in ONE ``lookup_keys`` call per document; then
:meth:`Recognizer.select` takes the longest matching span first and keeps it when the context's
evidence (:func:`~geoevents.geoparse.evidence.span_evidence`) says it is a place mention at all.
"""

from __future__ import annotations

import re
from collections import defaultdict

from geoevents.geoparse._lexicon import CONNECTORS, DIRECTION_WORDS, PERSON_TITLES, PLACE_CUES_BEFORE
from geoevents.geoparse.candidates import candidates_for
from geoevents.geoparse.evidence import HYPHEN_ADJ, context_cues, span_evidence
from geoevents.geoparse.forms import translit_variants
from geoevents.geoparse.mention import Mention
from geoevents.geoparse.tables import ADJECTIVE_ALIASES, NameTables
from geoevents.geoparse.tokens import ARABIC, ARTICLE_PREFIX, WS_GAP, Token, headline_ranges, sentence_initial
from geoevents.geoparse.tokens import runs as name_runs
from geoevents.geoparse.weights import Weights
from geoevents.records import Place

__all__ = ["ATTACKER_AFTER", "MAX_NGRAM", "Keys", "Recognizer"]

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


class Recognizer:
    """Candidate spans of a text and the choice of which are place mentions."""

    def __init__(self, tables: NameTables, weights: Weights) -> None:
        self.tables = tables
        self.w = weights

    def candidate_keys(self, text: str, toks: list[Token]) -> tuple[Keys, list[list[int]]]:
        """Candidate n-grams: key -> [(start, end, n_tokens)], plus runs."""
        sh = self.tables
        keys: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
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
            parts = re.split(r"[-‐‑]", t.text)
            if len(parts) == 2 and all(p[:1].isupper() for p in parts):
                # merged provinces written with a hyphen: "Sistan-Baluchestan" is the
                # gazetteer's "Sistan and Baluchestan"; counted as two tokens so it beats a part
                k = sh.norm(f"{parts[0]} and {parts[1]}")
                if k:
                    keys[k].append((t.start, t.end, 2))
            pos = t.start
            for part in re.split(r"[-‐‑]", t.text):
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
                        alt = re.sub(r"sh", "ch", alt, flags=re.IGNORECASE)
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
        return keys, runs

    def select(
        self,
        text: str,
        toks: list[Token],
        keys: dict[str, list[tuple[int, int, int]]],
        hits: dict[str, list[Place]],
        accept: float | None = None,
    ) -> list[Mention]:
        """Pick the spans that are place mentions: longest match first, then evidence."""
        sh = self.tables
        by_start = {t.start: i for i, t in enumerate(toks)}
        by_end = {t.end: i for i, t in enumerate(toks)}
        for i, t in enumerate(toks):  # hyphen parts map onto their token
            if t.cap and "-" in t.text:
                pos = t.start
                for part in t.text.split("-"):
                    by_start.setdefault(pos, i)
                    by_end.setdefault(pos + len(part), i)
                    pos += len(part) + 1
        headlines = headline_ranges(text)
        # countries the article names (or names the people of): a rare name that is a place in
        # one of them is more likely a place mention ("Akashat" in an article about Iraq)
        doc_cc = {sh.country_names[k] for k in keys if k in sh.country_names}
        doc_cc |= {sh.demonyms[k] for k in keys if k in sh.demonyms}
        surnames = self.surnames(text, toks, keys, hits)
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
                taken.append((s, e))
                occupied[s:e] = b"\x01" * (e - s)
                out.append(m)
                continue
            cands = candidates_for(sh, k, hits)
            if not cands:
                continue
            if k in ADJECTIVE_ALIASES:
                m = Mention(s, e, text[s:e], k, cands=cands, is_demonym=True)
                taken.append((s, e))
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
            if ev < (self.w.accept if accept is None else accept):
                continue
            m = Mention(s, e, text[s:e], k, cands=cands, evidence=ev)
            context_cues(text, toks, ti, tj, m)
            taken.append((s, e))
            occupied[s:e] = b"\x01" * (e - s)
            out.append(m)
        out.sort(key=lambda m: m.start)
        return out

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
