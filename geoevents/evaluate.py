"""Score the geoparser against gold geoparsing corpora (LGL, GeoWebNews, GeoVirus, WikToR, ...).

Two modes, as in the literature:

* ``gold_spans=True`` (toponym *resolution*): the gold spans are handed to
  :meth:`Geoparser.resolve`; only the choice of place is scored (Acc@161 km, mean/median error,
  AUC of the log-error curve, exact GeoNames id).
* ``gold_spans=False`` (end to end): :meth:`Geoparser.parse` finds the spans itself; tagging is
  scored by span overlap (precision/recall/F1) and resolution on the matched spans only.

Corpora are JSON Lines in the ``/work/shared/eval-data`` schema (``id``, ``text``, ``toponyms``
with ``start``/``end``/``lat``/``lon``/``geonameid``). Gold rows lacking coordinates are left
out of the distance metrics but still count as toponyms for tagging F1.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geoevents.errors import InputError
from geoevents.geo import haversine_km as great_circle_km

if TYPE_CHECKING:
    from geoevents.gazetteer import SQLiteGazetteer
    from geoevents.records import Toponym

__all__ = [
    "EvalResult",
    "GoldDoc",
    "GoldToponym",
    "acc_at",
    "evaluate",
    "format_table",
    "great_circle_km",
    "iter_corpus",
    "log_error_auc",
    "score_documents",
]

EARTH_HALF_CIRCUMFERENCE_KM = 20039.0  # the largest possible error; what an unresolved mention costs
ACC_KM = 161.0  # 100 miles, the customary threshold (Leidner 2008; Gritta et al. 2018)


@dataclass(frozen=True, slots=True)
class GoldToponym:
    """One gold annotation: a span and, when annotated, its coordinates and GeoNames id."""

    start: int
    end: int
    name: str
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """One gold document."""

    id: str
    text: str
    toponyms: tuple[GoldToponym, ...]
    title: str | None = None


@dataclass
class EvalResult:
    """Scores of one corpus in one mode; ``None`` where the mode does not define a metric.

    ``acc161``, ``mean_km``, ``median_km``, ``auc`` and ``exact_geonameid`` are computed over gold
    toponyms that have coordinates (gold-span mode) or over the matched ones (end to end); an
    unresolved mention counts as an error of half the Earth's circumference (20,039 km), so
    abstaining is never free. ``auc`` is Gritta et al.'s (2018) area under the log-error curve:
    0 is perfect, 1 is always the antipode; lower is better.
    """

    corpus: str
    mode: str  # "gold spans" | "end to end"
    system: str = "geoevents"
    n_docs: int = 0
    n: int = 0  # toponyms scored for distance
    acc161: float | None = None
    mean_km: float | None = None
    median_km: float | None = None
    auc: float | None = None
    exact_geonameid: float | None = None
    n_geonameid: int = 0
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    docs_per_s: float | None = None
    chars_per_s: float | None = None
    seconds: float = 0.0
    errors_km: list[float] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict without the per-toponym error list."""
        d = asdict(self)
        d.pop("errors_km")
        return d


def acc_at(errors: Sequence[float], km: float = ACC_KM) -> float:
    """Share of errors within ``km`` kilometres."""
    return sum(e <= km for e in errors) / len(errors) if errors else float("nan")


def log_error_auc(errors: Sequence[float]) -> float:
    """Area under the sorted log-error curve, scaled to [0, 1] (Gritta et al. 2018; lower is better).

    Uses the trapezoid rule over ``log(1 + error)`` divided by ``log(20039)`` so that scores are
    comparable with the published tables.
    """
    if not errors:
        return float("nan")
    ys = sorted(math.log(1.0 + min(e, EARTH_HALF_CIRCUMFERENCE_KM)) for e in errors)
    if len(ys) == 1:
        return ys[0] / math.log(EARTH_HALF_CIRCUMFERENCE_KM)
    area = sum((a + b) / 2 for a, b in itertools.pairwise(ys))
    return area / (math.log(EARTH_HALF_CIRCUMFERENCE_KM) * (len(ys) - 1))


def _median(xs: Sequence[float]) -> float:
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def iter_corpus(path: str | os.PathLike[str], *, limit: int | None = None) -> Iterator[GoldDoc]:
    r"""Yield the gold documents of a JSON Lines corpus.

    The file is iterated line by line (split on ``"\n"`` only): LGL texts contain U+0085, which
    ``str.splitlines()`` would treat as a line break and so cut records in half.

    Raises
    ------
    InputError
        If the file is missing, or a line is not a JSON object with ``text``.

    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"No corpus file at {path}; pass a JSON Lines file with 'text' and 'toponyms'")
    n = 0
    with path.open(encoding="utf-8", newline="\n", errors="replace") as fh:
        for lineno, line in enumerate(fh, 1):
            if limit is not None and n >= limit:
                return
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                text = rec["text"]
                tops = []
                for t in rec.get("toponyms", []):
                    s, e = int(t["start"]), int(t["end"])
                    if t.get("offset_mismatch") or not (0 <= s < e <= len(text)):
                        continue
                    tops.append(
                        GoldToponym(
                            start=s,
                            end=e,
                            name=text[s:e],
                            lat=t.get("lat"),
                            lon=t.get("lon"),
                            geonameid=t.get("geonameid"),
                        )
                    )
            # RecursionError: JSON nested too deeply for the parser
            except (ValueError, KeyError, TypeError, RecursionError) as err:
                raise InputError(
                    f"{path}:{lineno}: not a gold record ({type(err).__name__}: {str(err)[:200]}); "
                    "expected JSON with 'text' and 'toponyms'"
                ) from None
            # the same span annotated twice (GeoCorpora) is one toponym
            uniq = {(t.start, t.end): t for t in tops}
            n += 1
            yield GoldDoc(
                id=str(rec.get("id", f"{path.stem}-{lineno}")),
                text=text,
                toponyms=tuple(sorted(uniq.values(), key=lambda t: (t.start, t.end))),
                title=rec.get("title"),
            )


def _error_km(gold: GoldToponym, top: Toponym | None) -> float:
    if top is None or top.place is None or gold.lat is None or gold.lon is None:
        return EARTH_HALF_CIRCUMFERENCE_KM
    return great_circle_km(gold.lat, gold.lon, top.place.lat, top.place.lon)


def _match_spans(gold: Sequence[GoldToponym], pred: Sequence[Toponym]) -> tuple[list[tuple[int, int]], int]:
    """One-to-one matching by character overlap (largest overlap first).

    Returns the (gold index, predicted index) pairs and the number of predicted spans that count
    as false positives: demonym spans that match nothing are not counted, since none of the
    corpora asks for demonyms unless it marks them.
    """
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            ov = min(g.end, p.end) - max(g.start, p.start)
            if ov > 0:
                pairs.append((ov, gi, pi))
    pairs.sort(key=lambda x: -x[0])
    used_g: set[int] = set()
    used_p: set[int] = set()
    matched = []
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        matched.append((gi, pi))
    fp = sum(1 for pi, p in enumerate(pred) if pi not in used_p and not p.is_demonym)
    return matched, fp


def score_documents(
    docs: Sequence[GoldDoc],
    predict: Callable[[GoldDoc], Sequence[Toponym]],
    *,
    corpus: str,
    gold_spans: bool,
    system: str = "geoevents",
    progress: Callable[[int], None] | None = None,
) -> EvalResult:
    """Run ``predict`` on every document and score it; the engine behind :func:`evaluate`.

    ``predict`` returns, in gold-span mode, one Toponym per gold span in gold order, and otherwise
    the spans it found. Only the time spent inside ``predict`` is counted for docs/s and chars/s.
    ``progress`` is called with 1 after each document.
    """
    errors: list[float] = []
    exact = n_gid = 0
    tp = fp = n_gold = 0
    elapsed = 0.0
    chars = 0
    for doc in docs:
        t0 = time.perf_counter()
        pred = list(predict(doc))
        elapsed += time.perf_counter() - t0
        chars += len(doc.text)
        if gold_spans:
            pairs = [(gi, gi) for gi in range(len(doc.toponyms))]
        else:
            pairs, n_fp = _match_spans(doc.toponyms, pred)
            fp += n_fp
            tp += len(pairs)
            n_gold += len(doc.toponyms)
        for gi, pi in pairs:
            g = doc.toponyms[gi]
            if g.lat is None or g.lon is None:
                continue
            top = pred[pi] if pi < len(pred) else None
            errors.append(_error_km(g, top))
            if g.geonameid is not None:
                n_gid += 1
                exact += bool(
                    top is not None and top.place is not None and top.place.geonameid == g.geonameid
                )
        if progress is not None:
            progress(1)
    res = EvalResult(
        corpus=corpus,
        mode="gold spans" if gold_spans else "end to end",
        system=system,
        n_docs=len(docs),
        n=len(errors),
        seconds=elapsed,
        errors_km=errors,
    )
    if errors:
        res.acc161 = acc_at(errors)
        res.mean_km = sum(errors) / len(errors)
        res.median_km = _median(errors)
        res.auc = log_error_auc(errors)
    if n_gid:
        res.exact_geonameid = exact / n_gid
        res.n_geonameid = n_gid
    if not gold_spans:
        res.precision = tp / (tp + fp) if tp + fp else 0.0
        res.recall = tp / n_gold if n_gold else 0.0
        p, r = res.precision, res.recall
        res.f1 = 2 * p * r / (p + r) if p + r else 0.0
    if elapsed > 0:
        res.docs_per_s = len(docs) / elapsed
        res.chars_per_s = chars / elapsed
    return res


def evaluate(
    corpus_path: str | os.PathLike[str],
    gazetteer: SQLiteGazetteer,
    *,
    gold_spans: bool,
    limit: int | None = None,
    progress: Callable[[int], None] | None = None,
    ranker: str | None = None,
) -> EvalResult:
    """Score the geoparser on one gold corpus.

    Parameters
    ----------
    corpus_path : path
        JSON Lines gold corpus (``id``, ``text``, ``toponyms``).
    gazetteer : SQLiteGazetteer
        The gazetteer the parser resolves against; the same one the product uses.
    gold_spans : bool
        True scores resolution only (the gold spans are given); False scores the full pipeline
        (finding spans too), with tagging precision/recall/F1 by span overlap.
    limit : int, optional
        Score only the first ``limit`` documents (for quick checks and regression tests).
    progress : callable, optional
        Called with 1 after each document (an increment, as rich's ``advance`` expects).
    ranker : {None, "learned", "rules"}, optional
        Passed to :class:`~geoevents.geoparse.Geoparser` (None: its default).

    Returns
    -------
    EvalResult

    """
    from geoevents.geoparse import Geoparser

    docs = list(iter_corpus(corpus_path, limit=limit))
    parser = Geoparser(gazetteer, ranker=ranker)
    parser.warm_up()  # build lazy structures outside the timer

    def predict(doc: GoldDoc) -> Sequence[Toponym]:
        if gold_spans:
            return parser.resolve(doc.text, [(t.start, t.end) for t in doc.toponyms])
        return parser.parse(doc.text, title=doc.title)

    name = Path(corpus_path).stem
    return score_documents(docs, predict, corpus=name, gold_spans=gold_spans, progress=progress)


def _fmt(x: float | None, spec: str) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, spec)


def format_table(results: Sequence[EvalResult]) -> str:
    """Markdown table of results, one row per (corpus, mode, system)."""
    head = (
        "| corpus | mode | system | docs | n | Acc@161 | mean km | median km | AUC | exact id "
        "| P | R | F1 | docs/s | chars/s |"
    )
    lines = [head, "|" + "|".join(["---"] * 15) + "|"]
    for r in results:
        lines.append(
            "| "
            + " | ".join(
                [
                    r.corpus,
                    r.mode,
                    r.system,
                    str(r.n_docs),
                    str(r.n),
                    _fmt(r.acc161, ".3f"),
                    _fmt(r.mean_km, ".0f"),
                    _fmt(r.median_km, ".1f"),
                    _fmt(r.auc, ".3f"),
                    _fmt(r.exact_geonameid, ".3f"),
                    _fmt(r.precision, ".3f"),
                    _fmt(r.recall, ".3f"),
                    _fmt(r.f1, ".3f"),
                    _fmt(r.docs_per_s, ".0f"),
                    _fmt(r.chars_per_s, ".0f"),
                ]
            )
            + " |"
        )
    return "\n".join(lines)
