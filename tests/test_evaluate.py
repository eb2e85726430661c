"""Evaluation metrics: distances, Acc@161, AUC, span matching, corpus reading."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from geoevents.errors import InputError
from geoevents.evaluate import (
    EvalResult,
    GoldDoc,
    GoldToponym,
    acc_at,
    format_table,
    great_circle_km,
    iter_corpus,
    log_error_auc,
    score_documents,
)
from geoevents.records import Place, Toponym


def test_great_circle_km_known_distances() -> None:
    assert great_circle_km(0, 0, 0, 0) == 0
    # Baghdad -> Damascus is about 760 km
    assert great_circle_km(33.3406, 44.4009, 33.5102, 36.2913) == pytest.approx(755, abs=15)
    assert great_circle_km(90, 0, -90, 0) == pytest.approx(20015, abs=10)


def test_acc_and_auc() -> None:
    assert acc_at([0, 100, 161, 162]) == 0.75
    assert log_error_auc([0, 0, 0]) == 0
    assert log_error_auc([20039, 20039]) == pytest.approx(1.0, abs=1e-4)
    mid = log_error_auc([0, 20039])
    assert 0.4 < mid < 0.6
    assert math.isnan(acc_at([]))


def _place(lat: float, lon: float, gid: int | None = None) -> Place:
    return Place(1, "x", lat, lon, geonameid=gid)


def test_score_gold_spans_counts_unresolved_as_worst() -> None:
    doc = GoldDoc(
        "d",
        "Paris and Lyon and Nowhere",
        (
            GoldToponym(0, 5, "Paris", 48.85, 2.35, 2988507),
            GoldToponym(10, 14, "Lyon", 45.76, 4.83),
            GoldToponym(19, 26, "Nowhere", None, None),  # no coordinates: not scored for distance
        ),
    )
    pred = [
        Toponym(0, 5, "Paris", _place(48.86, 2.35, 2988507)),
        Toponym(10, 14, "Lyon", None),
        Toponym(19, 26, "Nowhere", None),
    ]
    r = score_documents([doc], lambda d: pred, corpus="t", gold_spans=True)
    assert r.n == 2
    assert r.acc161 == 0.5
    assert r.exact_geonameid == 1.0
    assert max(r.errors_km) == 20039.0
    assert r.f1 is None


def test_score_end_to_end_span_overlap_and_demonyms() -> None:
    doc = GoldDoc(
        "d",
        "Iraqi jets hit Al-Qaim near Baghdad",
        (GoldToponym(15, 22, "Al-Qaim", 34.37, 41.09), GoldToponym(28, 35, "Baghdad", 33.34, 44.40)),
    )
    pred = [
        Toponym(0, 5, "Iraqi", _place(33, 44), is_demonym=True),  # unmatched demonym: not an FP
        Toponym(6, 10, "jets", _place(0, 0)),  # a false positive
        Toponym(15, 20, "Al-Qa", _place(34.39, 40.99)),  # overlaps the gold span: a match
    ]
    r = score_documents([doc], lambda d: pred, corpus="t", gold_spans=False)
    assert r.precision == 0.5
    assert r.recall == 0.5
    assert r.f1 == pytest.approx(0.5)
    assert r.n == 1 and r.acc161 == 1.0


def test_iter_corpus_keeps_u0085_inside_records(tmp_path: Path) -> None:
    text = "Line one\u0085line two in Baghdad"
    start = text.index("Baghdad")
    rec = {
        "id": "a",
        "text": text,
        "toponyms": [
            {
                "start": start,
                "end": start + 7,
                "name": "Baghdad",
                "lat": 33.3,
                "lon": 44.4,
                "geonameid": 98182,
            },
            {
                "start": start,
                "end": start + 7,
                "name": "Baghdad",
                "lat": 33.3,
                "lon": 44.4,
                "geonameid": 98182,
            },
            {"start": 0, "end": 999, "name": "bad", "lat": 0, "lon": 0},
        ],
    }
    p = tmp_path / "c.jsonl"
    p.write_text(
        json.dumps(rec, ensure_ascii=False) + "\n" + json.dumps(rec, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    docs = list(iter_corpus(p))
    assert len(docs) == 2
    assert docs[0].text == text
    assert [t.name for t in docs[0].toponyms] == ["Baghdad"]  # duplicate merged, bad span dropped
    assert len(list(iter_corpus(p, limit=1))) == 1


def test_iter_corpus_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="No corpus file"):
        list(iter_corpus(tmp_path / "missing.jsonl"))
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:1"):
        list(iter_corpus(bad))


def test_format_table() -> None:
    r = EvalResult(corpus="lgl", mode="gold spans", n_docs=2, n=3, acc161=0.5, mean_km=12.0)
    table = format_table([r])
    lines = table.splitlines()
    assert lines[0].startswith("| corpus | mode |")
    assert "| lgl | gold spans | geoevents | 2 | 3 | 0.500 | 12 |" in lines[2]
    assert len(lines[1].split("|")) == len(lines[0].split("|"))


def test_progress_is_called_with_increments() -> None:
    docs = [GoldDoc(str(i), "x", ()) for i in range(3)]
    seen: list[int] = []
    score_documents(docs, lambda d: [], corpus="t", gold_spans=False, progress=seen.append)
    assert seen == [1, 1, 1]
