"""Event extraction speed: learned stage vs rules vs a previous revision, date parsers, whole pipeline.

Run: ``python benchmarks/events_speed.py [--repeat 40] [--baseline REV]``. Input: the five seeds repeated plus
seeded synthetic strike reports, built once outside the timers. Baseline and candidate run in
the same process on the same input; their event lists are checked to agree (type, places,
casualties) before timing. Single process, timed in CPU seconds of this process
(``time.process_time``), so the figures are per core and hold on a shared, loaded machine.
Target: >= 100 articles/s/core for extraction.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import sys
import tempfile
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # this worktree's geoevents, not an installed one

from geoevents.events.extract import _extract  # noqa: E402
from geoevents.events.when import DateMatch, resolve_phrase  # noqa: E402
from geoevents.records import Article  # noqa: E402

_ACTORS = ["Israeli jets", "U.S. warplanes", "Turkish drones", "Coalition aircraft", "Iraqi army helicopters"]
_TARGETS = ["Hezbollah positions", "PKK targets", "militia weapons depots", "an Islamic State hideout"]
_PLACES = ["Tyre", "Mosul", "Kirkuk", "Erbil", "Ramadi", "Fallujah", "Deir ez-Zor", "Aleppo", "Sidon"]
_WHEN = ["on Sunday", "on Monday", "late on Tuesday", "over the weekend", "on November 22", "yesterday", ""]
_FILL = [
    "Officials said the operation was in response to earlier attacks on troops in the region.",
    "The government condemned the action and summoned the ambassador in Baghdad.",
    "Analysts warned of further escalation as talks continued in Washington.",
    "The group did not immediately comment on the reports.",
]


def synthetic(n: int, seed: int = 0) -> list[Article]:
    """Seeded strike/attack reports with a few paragraphs each (about the seeds' length)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        paras = []
        for _ in range(4):
            paras.append(
                f"{rng.choice(_ACTORS)} struck {rng.choice(_TARGETS)} near {rng.choice(_PLACES)} "
                f"{rng.choice(_WHEN)}, killing {rng.randint(1, 20)} people and wounding "
                f"{rng.randint(1, 30)}. "
                f"A rocket attack on a base in {rng.choice(_PLACES)} {rng.choice(_WHEN)} injured "
                f"{rng.randint(1, 9)} soldiers. {rng.choice(_FILL)} {rng.choice(_FILL)}"
            )
        out.append(Article(id=f"syn{i}", text="\n\n".join(paras), published=dt.date(2024, 3, 6)))
    return out


def dateparser_resolver(
    match: DateMatch, ref: dt.date | None, anchor: tuple[dt.date, str] | None = None
) -> tuple[dt.date | None, str | None, str]:
    """Baseline: every date phrase through ``dateparser`` with RELATIVE_BASE (what we replaced)."""
    import dateparser

    if ref is None or match.kind in {"since", "rel_event"}:
        return resolve_phrase(match, ref, anchor)
    settings = {"RELATIVE_BASE": dt.datetime.combine(ref, dt.time()), "PREFER_DATES_FROM": "past"}
    phrase = match.text
    for lead in ("over the ", "on ", "late on ", "early on ", "in the ", "during the "):
        if phrase.lower().startswith(lead):
            phrase = phrase[len(lead) :]
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)  # type: ignore[arg-type]
    if parsed is None:
        return resolve_phrase(match, ref, anchor)
    prec = "month" if "month" in match.kind else "week" if "week" in match.kind else "day"
    return parsed.date(), prec, f"dateparser {match.text!r}"


def _signature(events: list) -> list:
    return [
        (e.event_type, e.sub_event_type, tuple(x.place_name for x in e.locations), e.killed, e.injured)
        for e in events
    ]


def main() -> None:
    """Time extraction (own date parser vs dateparser) and the whole pipeline; print articles/s."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=40, help="times the seeds are repeated")
    ap.add_argument("--synthetic", type=int, default=300, help="number of synthetic articles")
    ap.add_argument("--baseline", help="git revision whose geoevents/events is timed in the same run")
    args = ap.parse_args()

    from geoevents.gazetteer import SQLiteGazetteer
    from geoevents.geoparse import geoparse
    from geoevents.ingest import read_articles

    seeds = list(read_articles(sorted((ROOT / "seeds").glob("*.txt"))))
    articles = seeds * args.repeat + synthetic(args.synthetic)
    with SQLiteGazetteer.open() as gaz:
        cache = {}
        for a in articles:  # outside the timers: extraction alone is timed
            if a.text not in cache:
                cache[a.text] = geoparse(a.text, gaz, title=a.title)
        pairs = [(a, cache[a.text]) for a in articles]

        fast = [_extract(a, t, resolve_phrase) for a, t in pairs]
        slow = [_extract(a, t, dateparser_resolver) for a, t in pairs]
        # The two resolvers date a few phrases differently, and the background rule (events dated
        # > 30 days before a report of a recent one are dropped) follows the dates, so a few
        # articles keep different events; all others must agree exactly.
        agree = [(x, y) for x, y in zip(fast, slow, strict=True) if _signature(x) == _signature(y)]
        assert len(agree) >= 0.9 * len(fast), (
            f"baseline and fast path disagree on {len(fast) - len(agree)} articles"
        )
        same_dates = sum(
            e1.event_date == e2.event_date for x, y in agree for e1, e2 in zip(x, y, strict=True)
        )
        n_events = sum(len(x) for x, _y in agree)

        n = len(pairs)
        base = min(
            timeit.repeat(
                lambda: [_extract(a, t, dateparser_resolver) for a, t in pairs],
                number=1,
                repeat=3,
                timer=time.process_time,
            )
        )
        new = min(
            timeit.repeat(
                lambda: [_extract(a, t, resolve_phrase) for a, t in pairs],
                number=1,
                repeat=3,
                timer=time.process_time,
            )
        )

        from geoevents.events import extract_events

        def per_s(fn: object) -> float:
            t = min(
                timeit.repeat(
                    lambda: [fn(a, tt) for a, tt in pairs],  # type: ignore[operator]
                    number=1,
                    repeat=3,
                    timer=time.process_time,
                )
            )
            return n / t

        stages = [
            (
                "extraction, rules path (extractor='rules')",
                per_s(lambda a, t: extract_events(a, t, extractor="rules")),
            ),
            ("extraction, learned default", per_s(extract_events)),
        ]
        if args.baseline:
            from benchmarks.events_accuracy import baseline_module

            with tempfile.TemporaryDirectory() as btmp:
                base_mod = baseline_module(args.baseline, Path(btmp))
                stages.insert(0, (f"extraction, previous ({args.baseline})", per_s(base_mod.extract_events)))

        with tempfile.TemporaryDirectory() as tmp:
            for i, a in enumerate(articles):
                (Path(tmp) / f"{i:05d}.txt").write_text(
                    (a.title + "\n\n" if a.title else "") + a.text, encoding="utf-8"
                )
            files = sorted(Path(tmp).glob("*.txt"))

            def pipeline() -> int:
                from geoevents.events import extract_events

                k = 0
                for art in read_articles(files):
                    k += len(extract_events(art, geoparse(art.text, gaz, title=art.title)))
                return k

            whole = min(timeit.repeat(pipeline, number=1, repeat=2, timer=time.process_time))

    print(
        f"{platform.node()} {platform.processor() or platform.machine()} {dt.datetime.now():%Y-%m-%d} "
        f"python {platform.python_version()}, 1 process, CPU time"
    )
    print(
        f"{n} articles ({len(seeds)} seeds x {args.repeat} + {args.synthetic} synthetic); both paths "
        f"give the same events for {len(agree)} articles ({n_events} events), "
        f"dates equal in {same_dates}/{n_events}"
    )
    print(f"extraction, dateparser per phrase (baseline): {n / base:8.1f} articles/s")
    print(f"extraction, own date parser:                  {n / new:8.1f} articles/s  (x{base / new:.1f})")
    print(f"whole pipeline ingest+geoparse+events:        {n / whole:8.1f} articles/s")
    for name, rate in stages:
        print(f"{name + ':':<46}{rate:8.1f} articles/s")


if __name__ == "__main__":
    main()
