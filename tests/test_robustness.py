"""Issue 8 end to end: hostile input never crashes, loses nothing, injects nothing; writes are atomic."""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geoevents.errors import GeoeventsError, InputError, Report

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

HOSTILE = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=1>",
    "</script><script>window.__xss=1</script>",
    "`${window.__xss=1}`",
    "javascript:window.__xss=1",
    "<svg/onload=window.__xss=1>",
    '"><iframe src=javascript:alert(1)>',
]


def _article_text(i: int, rng: random.Random) -> str:
    seed_lines = [
        "U.S. airstrikes hit Kataib Hezbollah sites in Jurf al-Sakhar south of Baghdad on Tuesday, killing 3.",  # noqa: E501
        "A drone attack on a U.S. base in Jordan injured 4 soldiers.",
        "Militants fired rockets at Ain al-Asad airbase in Anbar province.",
        "Officials in Erbil said nothing happened today.",
    ]
    body = " ".join(rng.choice(seed_lines) for _ in range(3))
    return f"{rng.choice(HOSTILE)} {body} {rng.choice(HOSTILE)}"


def _hostile_corpus(path: Path, n: int, rng: random.Random) -> dict[str, int]:
    """Write n JSON Lines articles, some deliberately broken; return how many bad lines of each kind."""
    bad = {"not json": 0, "no text": 0}
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for i in range(n):
            r = rng.random()
            if r < 0.02:
                fh.write("{this is not json\n")
                bad["not json"] += 1
            elif r < 0.04:
                fh.write(json.dumps({"id": f"x{i}", "title": "no body"}) + "\n")
                bad["no text"] += 1
            else:
                fh.write(
                    json.dumps(
                        {
                            "id": f"a{i}",
                            "title": rng.choice(HOSTILE) + " title",
                            "url": rng.choice(
                                [
                                    "javascript:alert(1)",
                                    "https://example.org/a?x=<b>",
                                    "data:text/html,<script>1</script>",
                                ]
                            ),
                            "published": rng.choice(
                                ["31/02/2024", "2024-02-05", "05/02/2024 21h33", "garbage"]
                            ),
                            "text": _article_text(i, rng),
                        }
                    )
                    + "\n"
                )
    return bad


def test_pipeline_runs_with_sockets_disabled(
    tmp_path: Path, gazetteer_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default path opens no network socket at all (not even loopback)."""
    from geoevents.pipeline import map_articles

    class NoSocket(socket.socket):
        def __init__(self, *a: object, **k: object) -> None:
            raise AssertionError("geoevents opened a socket in its default path")

    monkeypatch.setattr(socket, "socket", NoSocket)
    monkeypatch.setattr(
        socket, "create_connection", lambda *a, **k: (_ for _ in ()).throw(AssertionError("network"))
    )
    result = map_articles([SEEDS], tmp_path, gazetteer=gazetteer_path)
    assert result.report.read == 5 and result.report.processed == 5
    assert (tmp_path / "events.html").exists()


def test_hostile_load_nothing_lost_nothing_injected(tmp_path: Path, gazetteer_path: Path) -> None:
    """10,000 hostile articles in one run: read = processed + skipped, every skip counted, no live script."""
    rng = random.Random(8)
    corpus = tmp_path / "hostile.jsonl.gz"
    bad = _hostile_corpus(corpus, 10_000, rng)
    out = tmp_path / "out"
    code = (
        "import json, resource, sys\n"
        "from geoevents.pipeline import map_articles\n"
        f"r = map_articles([{str(corpus)!r}], {str(out)!r}, gazetteer={str(gazetteer_path)!r})\n"
        "print(json.dumps({'rss_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, 'events': len(r.events)}))\n"  # noqa: E501
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    stats = json.loads(proc.stdout.strip().splitlines()[-1])
    summary = json.loads((out / "run-summary.json").read_text())["articles"]
    assert summary["read"] == 10_000
    assert summary["processed"] + summary["n_skipped"] == summary["read"]
    assert summary["n_skipped"] == sum(bad.values())
    assert stats["events"] > 0
    assert stats["rss_kb"] < 1_500_000, f"peak RSS {stats['rss_kb']} kB for 10k short articles"
    html = (out / "events.html").read_text(encoding="utf-8")
    # hostile markup may only survive as inert, escaped text (no raw "<" before it)
    for needle in (
        "<script>window.__xss",
        "<img src=x onerror",
        "<svg/onload",
        "<iframe",
        'href="javascript:',
    ):
        assert html.count(needle) == 0, needle


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_killed_mid_write_leaves_previous_outputs_intact(tmp_path: Path, gazetteer_path: Path) -> None:
    """SIGKILL during a large `map --overwrite`: each output is the old file or a complete new one."""
    pyogrio = pytest.importorskip("pyogrio")
    out = tmp_path / "maps"
    first = subprocess.run(
        [
            sys.executable,
            "-m",
            "geoevents.cli",
            "map",
            str(SEEDS),
            "-o",
            str(out),
            "--gazetteer",
            str(gazetteer_path),
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert first.returncode == 0, first.stderr
    before = {p.name: _sha(p) for p in out.iterdir() if p.name.startswith("events.")}
    # a big synthetic batch of events written by the real writers, killed at several moments
    code = (
        "import datetime, sys\n"
        "from geoevents.records import Event, EventLocation\n"
        "from geoevents.outputs import write_all\n"
        "evs = [Event(event_id=f'e{i}', event_type='strike' if i % 2 else 'attack', event_date=datetime.date(2024, 1, 1 + i % 28),\n"  # noqa: E501
        "   locations=(EventLocation(place_name=f'P{i}', lat=30 + (i % 500) / 100, lon=40 + (i % 700) / 100, geo_precision=1),),\n"  # noqa: E501
        "   evidence=('x' * 200,), source_ids=(f'a{i}',)) for i in range(60000)]\n"
        f"write_all(evs, {str(out)!r}, overwrite=True)\n"
    )
    for delay in (1.5, 3.0, 5.0):
        proc = subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for name, digest in before.items():
            path = out / name
            assert path.exists(), f"{name} vanished after a kill at {delay}s"
            if _sha(path) != digest:  # replaced: must be a complete new file
                if name.endswith(".gpkg"):
                    info = pyogrio.list_layers(path)
                    assert len(info) >= 2
                elif name.endswith(".geojson"):
                    assert json.loads(path.read_text())["type"] == "FeatureCollection"
                elif name.endswith(".html"):
                    assert path.read_text(encoding="utf-8").rstrip().endswith("</html>")
        # no partial file under an output's own name
        assert not [p for p in out.iterdir() if p.name.startswith("events.") and p.name not in before]


def test_report_accounting_and_policy() -> None:
    rep = Report()
    with pytest.raises(InputError):
        rep.handle("raise", InputError("bad"), "bad input")
    rep.handle("skip", InputError("bad one"), "bad input")
    with pytest.warns(UserWarning):
        rep.handle("warn", InputError("bad two"), "bad input")
    assert rep.skipped["bad input"] == 2 and rep.n_skipped == 2
    with pytest.raises(GeoeventsError):
        from geoevents.errors import check_policy

        check_policy("ignore")


def test_importing_geoevents_loads_nothing_heavy() -> None:
    code = "import sys, geoevents; print(sorted(m for m in ('folium','pyogrio','geopandas','dask','sqlite3') if m in sys.modules))"  # noqa: E501
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.strip() == "[]", proc.stdout + proc.stderr


def test_on_error_raise_stops_with_one_line(tmp_path: Path, gazetteer_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "bin.txt").write_bytes(bytes(range(256)) * 40)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "geoevents.cli",
            "events",
            str(src),
            "-o",
            str(tmp_path / "e.jsonl"),
            "--on-error",
            "raise",
            "--gazetteer",
            str(gazetteer_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "bin.txt" in proc.stderr
    assert not (tmp_path / "e.jsonl").exists()
