"""The geoparser façade: find place names in a text and resolve them against the offline gazetteer.

Where each decision is made:

* :mod:`tokens` -- words, and the runs of name-like words recognition starts from;
* :mod:`recognition` and :mod:`evidence` -- which spans are place mentions;
* :mod:`candidates` -- the gazetteer entries a span may refer to (one lookup per document);
* :mod:`resolution` -- which candidate, from priors, qualifiers and document context, with every
  weight in :mod:`weights`; :mod:`ranker` -- the learned re-ranker;
* :mod:`relative` -- "30 km south of X", "near X" (``Toponym.relation``);
* :mod:`explain` -- the reason string and the returned :class:`~geoevents.records.Toponym`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from geoevents.errors import GeoeventsError, InputError
from geoevents.gazetteer.protocol import Gazetteer
from geoevents.geo import haversine_km
from geoevents.geoparse._lexicon import COMMON_WORDS, NOT_PLACES, ORG_FOLLOWERS
from geoevents.geoparse.candidates import (
    MAX_CANDIDATES,
    add_state_abbrevs,
    candidates_for,
    lookup,
    state_abbrev,
    with_variants,
)
from geoevents.geoparse.evidence import context_cues
from geoevents.geoparse.explain import explain, to_toponym
from geoevents.geoparse.forms import span_forms
from geoevents.geoparse.mention import Mention
from geoevents.geoparse.ranker import LearnedRanker, load_default_ranker
from geoevents.geoparse.recognition import Keys, Recognizer
from geoevents.geoparse.relative import relation_before
from geoevents.geoparse.resolution import CandidateFeatures, Resolver
from geoevents.geoparse.tables import NameTables, tables_for
from geoevents.geoparse.tokens import Token, tokenize
from geoevents.geoparse.weights import COUNTRY_CODES, DEFAULT_WEIGHTS, Weights
from geoevents.records import Place, Toponym

__all__ = ["CandidateFeatures", "Geoparser", "geoparse", "resolve_spans"]

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 2_000_000  # a longer "article" is a file read by mistake
_NOTABLE_CODES = frozenset({"PPLC", "PPLA", "PPLA2", "CONT", "RGN", "ISL", "ISLS"})
_NOTABLE_POP = 20_000  # a town this size is what a facility named after a place usually means
_INNER_NEAR_KM = 150.0  # ... and a smaller one only this near the text's other places
_GENERIC_WORDS = NOT_PLACES | COMMON_WORDS  # one word of a given span that is never its place


class Geoparser:
    """Find and resolve place names with an offline gazetteer.

    Construction is cheap; the demonym and country tables are read from the gazetteer on first
    use and shared by all parsers on the same gazetteer file. A parser holds no per-document
    state, so one instance may serve many documents (one thread at a time per gazetteer
    connection).

    Parameters
    ----------
    gazetteer : Gazetteer
        Where names are looked up (see :mod:`geoevents.gazetteer.protocol`): one
        ``lookup_keys`` call per document.
    ranker : {None, "learned", "rules"}, optional
        How the final candidate is chosen. ``"rules"``: the hand-weighted score alone.
        ``"learned"``: a model (``geoparse/models/ranker.json``, trained by
        ``benchmarks/train_ranker.py``) re-ranks the rule score's top candidates using the rule
        score and the evidence behind it as features. None picks :attr:`DEFAULT_RANKER`, the
        better of the two on held-out documents (see docs/geoparse.md). Without a usable model
        file ``"learned"`` falls back to the rules, with a warning.
    weights : Weights, optional
        The rule weights (default :data:`~geoevents.geoparse.weights.DEFAULT_WEIGHTS`).

    Raises
    ------
    InputError
        If ``ranker`` is not one of the values above.

    """

    DEFAULT_RANKER = "learned"

    def __init__(
        self, gazetteer: Gazetteer, ranker: str | None = None, *, weights: Weights | None = None
    ) -> None:
        self.gazetteer = gazetteer
        kind = self.DEFAULT_RANKER if ranker is None else ranker
        if kind not in ("learned", "rules"):
            raise InputError(f"Unknown ranker {ranker!r}; use None, 'learned' or 'rules'")
        self.ranker = kind
        self.weights = weights or DEFAULT_WEIGHTS
        self._model: LearnedRanker | None = load_default_ranker() if kind == "learned" else None
        self._tables: NameTables | None = None
        self._recognizer: Recognizer | None = None
        self._resolver: Resolver | None = None

    # ------------------------------------------------------------------ shared state
    @property
    def tables(self) -> NameTables:
        """The gazetteer's name tables (built on first use, shared per gazetteer file)."""
        if self._tables is None:
            self._tables = tables_for(self.gazetteer)
            self._recognizer = Recognizer(self._tables, self.weights)
            self._resolver = Resolver(self._tables, self.weights, self._model)
        return self._tables

    @property
    def recognizer(self) -> Recognizer:
        """Recognition on this parser's tables and weights."""
        if self._recognizer is None:
            _ = self.tables
        assert self._recognizer is not None
        return self._recognizer

    @property
    def resolver(self) -> Resolver:
        """Resolution on this parser's tables, weights and model."""
        if self._resolver is None:
            _ = self.tables
        assert self._resolver is not None
        return self._resolver

    def warm_up(self) -> None:
        """Build the lazy shared tables now (benchmarks call this outside their timers)."""
        _ = self.tables

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
        clean = self._check_spans(text, spans)
        try:
            return self._resolve(text, clean, None)
        except GeoeventsError:
            raise
        except Exception as err:
            log.exception("resolve failed")
            raise InputError(f"Could not resolve {len(clean)} spans: {err!r}") from err

    def candidate_features(self, text: str, spans: Sequence[tuple[int, int]]) -> list[CandidateFeatures]:
        """Return the learned ranker's features for given spans, as :meth:`resolve` computes them.

        The training hook (``benchmarks/train_ranker.py``): one entry per span that has
        candidates, with the rule score's top candidates and their feature rows. The rule
        ranker decides; the learned model is not applied.
        """
        text = self._check_text(text)
        clean = self._check_spans(text, spans)
        out: list[CandidateFeatures] = []
        rules = Geoparser(self.gazetteer, ranker="rules", weights=self.weights)
        rules._resolve(text, clean, out)
        return out

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

    @staticmethod
    def _check_spans(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
        clean: list[tuple[int, int]] = []
        for sp in spans:
            try:
                s, e = int(sp[0]), int(sp[1])
            except (TypeError, ValueError, IndexError) as err:
                raise InputError(f"Span {sp!r} is not a (start, end) pair of integers") from err
            if not (0 <= s < e <= len(text)):
                raise InputError(f"Span ({s}, {e}) does not index a text of {len(text)} characters")
            clean.append((s, e))
        return clean

    # ------------------------------------------------------------------ the two pipelines
    def _finish(
        self, text: str, mentions: list[Mention], context: list[Mention], collect=None
    ) -> list[Toponym]:
        self.resolver.resolve(text, mentions, context, collect)
        _drop_far_inner(mentions, context)
        for m in mentions:
            q = m.best >= 0 and self.resolver.qual_bonus(m, m.cands[m.best]) > 0
            m.why = explain(m, q)
        return [to_toponym(m) for m in mentions]

    def _parse(self, text: str, *, title: str | None) -> list[Toponym]:
        rec = self.recognizer
        sh = self.tables
        toks = tokenize(text)
        keys, _ = rec.candidate_keys(text, toks)
        tkeys: Keys = {}
        ttoks: list[Token] = []
        if title and title.strip() and title.strip() not in text[: len(title) + 200]:
            ttoks = tokenize(title)
            tkeys, _ = rec.candidate_keys(title, ttoks)
        hits = lookup(self.gazetteer, with_variants(sh, list(keys) + list(tkeys)))
        weak: list[Mention] = []
        mentions = rec.select(text, toks, keys, hits, weak=weak)
        mentions = add_state_abbrevs(sh, text, mentions)
        context = rec.select(title, ttoks, tkeys, hits) if ttoks and title else []
        context += weak  # rejected names still say something about the story's region
        return self._finish(text, mentions, context)

    def _resolve(
        self, text: str, spans: list[tuple[int, int]], collect: list[CandidateFeatures] | None
    ) -> list[Toponym]:
        sh = self.tables
        rec = self.recognizer
        toks = tokenize(text)
        keys, _ = rec.candidate_keys(text, toks)
        span_keys: list[list[str]] = []
        for s, e in spans:
            ks: list[str] = []
            for x in span_forms(text[s:e]):
                k = sh.norm(x)
                if k and k not in ks:
                    ks.append(k)
            span_keys.append(ks)
        hits = lookup(self.gazetteer, with_variants(sh, list(keys) + [k for ks in span_keys for k in ks]))
        by_start = {t.start: i for i, t in enumerate(toks)}
        by_end = {t.end: i for i, t in enumerate(toks)}
        # context only: a looser threshold, since a wrong extra name costs little here
        found = rec.select(text, toks, keys, hits, accept=self.weights.context_accept)
        # the countries the text names, or where its clearly recognized places lie
        doc_cc = sh.countries_named(keys)
        doc_cc |= {
            f.cands[0].country_code for f in found if f.cands and f.evidence >= 1.5 and not f.is_demonym
        }
        gold = [
            self._gold_mention(text, s, e, ks, hits, toks, by_start, by_end, doc_cc)
            for (s, e), ks in zip(spans, span_keys, strict=True)
        ]
        context = [f for f in found if not any(f.start < g.end and g.start < f.end for g in gold)]
        return self._finish(text, gold, context, collect)

    def _gold_mention(self, text, s, e, ks, hits, toks, by_start, by_end, doc_cc) -> Mention:
        """Make a given span a mention: demonym, exact key, state abbreviation or fuzzy match."""
        sh = self.tables
        m = Mention(s, e, text[s:e], ks[0] if ks else "", gold=True)
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
            cands = candidates_for(sh, k, hits)
            if cands:
                m.cands, m.key = cands, k
                break
        abbr = state_abbrev(sh, text, s, e)
        if abbr is not None:
            m.cands = [abbr]
        if not m.cands:
            dk = next((k for k in ks if k in sh.demonyms or k.rstrip("s") in sh.demonyms), None)
            if dk is not None:
                cc = sh.demonyms.get(dk) or sh.demonyms.get(dk.rstrip("s"))
                if cc in sh.countries:
                    m.cands = [sh.countries[cc]]
                    m.is_demonym, m.demonym_cc = True, cc
        if not m.cands and self.weights.inner_name:
            self._inner_name(text, s, e, hits, toks, m)
        if not m.cands and ks:
            # the gazetteer's variant/fuzzy fallback: keep only close spellings, since a
            # far one ("Appalachians" -> Apalachin) is wrong more often than right; a looser
            # one only in a country the document names ("Akuressa" is no town in Guinea)
            from rapidfuzz import fuzz

            fmin = self.weights.fuzzy_min
            m.key = ks[0]
            kept = []
            for c in self.gazetteer.candidates(text[s:e].strip(), limit=MAX_CANDIDATES):
                cn = sh.norm(c.name)
                r = max(fuzz.ratio(cn, k) for k in ks)
                if r >= self.weights.fuzzy_sure or (r >= fmin and c.country_code in doc_cc):
                    kept.append(c)
            m.cands = kept
        ti, tj = by_start.get(s), by_end.get(e)
        if ti is not None and tj is not None:
            context_cues(text, toks, ti, tj, m)
        else:
            m.relation = relation_before(text, s)
        return m

    def _inner_name(self, text: str, s: int, e: int, hits, toks: list[Token], m: Mention) -> None:
        """Resolve a given span with no entry to the longest place name inside it.

        A caller's span may be a facility or body named after its place ("Liverpool Academy",
        "Walker County Sheriff's Office", "University of Alberta", "Dulles International
        Airport"): the place it is in is nearer the truth than no place, and nearer than a fuzzy
        namesake of the whole ("Duke International Airport"). Only proper sub-spans that start
        and end on a name-like word count, so "Third Street" never becomes "Third".
        """
        inner = [t for t in toks if t.start >= s and t.end <= e]
        if len(inner) < 2:
            return
        sh = self.tables
        best: tuple[int, int, str, list] | None = None
        for i, a in enumerate(inner):
            if not a.cap:
                continue
            for b in inner[i : i + 6]:
                if not b.cap or (a.start == s and b.end == e):
                    continue
                if b.text.lower() in ORG_FOLLOWERS or (a is b and a.text.lower() in _GENERIC_WORDS):
                    continue  # "Airport", "Street", "Royal": a generic word, not the place
                k = sh.norm(text[a.start : b.end])
                if not k or k in sh.demonyms:
                    continue
                cands = candidates_for(sh, k, hits)
                if cands and (best is None or (b.end - a.start, a.start) > best[:2]):
                    best = (b.end - a.start, a.start, k, cands)
        if best is not None:
            m.key, m.cands, m.inner = best[2], best[3], True


def _notable(c: Place) -> bool:
    """Tell whether a place is one a reader would know (a unit, a capital, a town of some size)."""
    return c.feature_class == "A" or c.feature_code in _NOTABLE_CODES or (c.population or 0) >= _NOTABLE_POP


def _drop_far_inner(mentions: list[Mention], context: list[Mention]) -> None:
    """Unresolve a given span's inner place that is neither notable nor near the text's other places.

    "Royal Street" in a New Orleans story must not become Royal City, Washington (issue 13: where
    the data has no entry, the name stays, never a far homonym); "Ballinagh Community Centre" in a
    story about County Cavan keeps the village of Ballinagh.
    """
    placed = [
        m.cands[m.best]
        for m in mentions + context
        if m.best >= 0
        and not m.inner
        and not m.is_demonym
        and m.cands[m.best].feature_code not in COUNTRY_CODES
    ]
    for m in mentions:
        if not m.inner or m.best < 0:
            continue
        c = m.cands[m.best]
        if not _notable(c) and not any(
            p is not c and haversine_km(c.lat, c.lon, p.lat, p.lon) <= _INNER_NEAR_KM for p in placed
        ):
            m.best = -1


def geoparse(
    text: str, gazetteer: Gazetteer, *, title: str | None = None, ranker: str | None = None
) -> list[Toponym]:
    """Find and resolve the place names in ``text`` (see :meth:`Geoparser.parse`)."""
    return Geoparser(gazetteer, ranker=ranker).parse(text, title=title)


def resolve_spans(
    text: str, spans: Sequence[tuple[int, int]], gazetteer: Gazetteer, ranker: str | None = None
) -> list[Toponym]:
    """Resolve given spans of ``text`` (see :meth:`Geoparser.resolve`)."""
    return Geoparser(gazetteer, ranker=ranker).resolve(text, spans)
