"""The CLI contract other tools rely on: command names, outputs, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def run_cli(
    *args: str, input: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m geoevents.cli ...` as a user would (a real process, real exit code)."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("GEOEVENTS_VERBOSE", None)
    return subprocess.run(
        [sys.executable, "-m", "geoevents.cli", *args],
        capture_output=True,
        text=True,
        input=input.decode() if input else None,
        env=full_env,
        timeout=600,
    )


def assert_one_line_error(proc: subprocess.CompletedProcess[str], code: int = 1) -> None:
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    assert proc.stderr.strip(), "an error must say what went wrong"


def test_help_lists_the_commands() -> None:
    proc = run_cli("--help")
    assert proc.returncode == 0
    for cmd in ("map", "ingest", "geoparse", "events", "eval", "gazetteer", "check"):
        assert cmd in proc.stdout


def test_check_reports_the_gazetteer(gazetteer_path: Path) -> None:
    proc = run_cli("check", "--gazetteer", str(gazetteer_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "gazetteer" in proc.stdout and "places" in proc.stdout


def test_map_seeds_writes_all_outputs(tmp_path: Path, gazetteer_path: Path) -> None:
    out = tmp_path / "maps"
    proc = run_cli("map", str(SEEDS), "-o", str(out), "--gazetteer", str(gazetteer_path))
    assert proc.returncode == 0, proc.stderr
    for name in ("events.html", "events.geojson", "events.gpkg", "events.csv", "run-summary.json"):
        assert (out / name).stat().st_size > 0, name
    summary = json.loads((out / "run-summary.json").read_text())
    arts = summary["articles"]
    assert arts["read"] == 5 and arts["processed"] + arts["n_skipped"] == arts["read"]
    # no temp files left beside the outputs
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["events.html", "events.geojson", "events.gpkg", "events.csv", "run-summary.json"]
    )
    # existing outputs are not clobbered without --overwrite
    again = run_cli("map", str(SEEDS), "-o", str(out), "--gazetteer", str(gazetteer_path))
    assert_one_line_error(again)
    assert "--overwrite" in again.stderr
    assert (
        run_cli(
            "map", str(SEEDS), "-o", str(out), "--gazetteer", str(gazetteer_path), "--overwrite"
        ).returncode
        == 0
    )


def test_ingest_then_geoparse_then_events(tmp_path: Path, gazetteer_path: Path) -> None:
    arts = tmp_path / "articles.jsonl"
    assert run_cli("ingest", str(SEEDS), "-o", str(arts)).returncode == 0
    rows = [json.loads(line) for line in arts.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 5
    assert {"id", "path", "title", "url", "published", "text"} <= set(rows[0])
    by_id = {r["id"]: r for r in rows}
    assert by_id["003_ec154ef90b200f76"]["published"] == "2023-11-22"
    assert by_id["000_c6d1475d1c79559c"]["published"] == "2024-02-05"

    parsed = tmp_path / "toponyms.jsonl"
    proc = run_cli("geoparse", str(arts), "-o", str(parsed), "--gazetteer", str(gazetteer_path))
    assert proc.returncode == 0, proc.stderr
    out = {
        json.loads(line_)["id"]: json.loads(line_)["toponyms"]
        for line_ in parsed.read_text(encoding="utf-8").splitlines()
    }
    names = {t["name"]: t for t in out["003_ec154ef90b200f76"]}
    assert names["Jurf al-Sakhar"]["geonameid"] == 95069
    for t in names.values():
        assert {
            "start",
            "end",
            "name",
            "lat",
            "lon",
            "geonameid",
            "feature_code",
            "country_code",
            "score",
        } <= set(t)

    events = tmp_path / "events.jsonl"
    proc = run_cli("events", str(SEEDS), "-o", str(events), "--gazetteer", str(gazetteer_path))
    assert proc.returncode == 0, proc.stderr
    recs = [json.loads(line_) for line_ in events.read_text(encoding="utf-8").splitlines()]
    assert recs and all(r["event_type"] in ("strike", "attack") for r in recs)
    for key in (
        "event_id",
        "event_date",
        "place_name",
        "lat",
        "lon",
        "geonameid",
        "geo_precision",
        "killed",
        "injured",
        "source_ids",
        "evidence",
    ):
        assert key in recs[0]


def test_geoparse_gold_spans_one_output_per_span(tmp_path: Path, gazetteer_path: Path) -> None:
    text = "Rockets hit Baghdad and Erbil; Xqzzyville was quiet."
    spans = [(12, 19), (24, 29), (31, 41)]
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "d1", "text": text, "toponyms": [{"start": s, "end": e} for s, e in spans]}) + "\n"
    )
    out = tmp_path / "out.jsonl"
    proc = run_cli("geoparse", str(src), "-o", str(out), "--gold-spans", "--gazetteer", str(gazetteer_path))
    assert proc.returncode == 0, proc.stderr
    tops = json.loads(out.read_text())["toponyms"]
    assert [(t["start"], t["end"]) for t in tops] == spans
    assert tops[0]["country_code"] == "IQ" and tops[1]["country_code"] == "IQ"
    assert tops[2]["lat"] is None  # unresolvable name: kept, with null coordinates


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("map", "no/such/dir", "-o", "{tmp}/o"), "no such"),
        (("ingest", "{tmp}/empty", "-o", "{tmp}/a.jsonl"), "no articles"),
        (("geoparse", "{tmp}/missing.jsonl", "-o", "{tmp}/x.jsonl"), "no such file"),
    ],
)
def test_user_errors_are_one_line(
    tmp_path: Path, gazetteer_path: Path, args: tuple[str, ...], needle: str
) -> None:
    (tmp_path / "empty").mkdir()
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if argv[0] in ("map", "geoparse"):
        argv += ["--gazetteer", str(gazetteer_path)]
    proc = run_cli(*argv)
    assert_one_line_error(proc)
    assert needle in proc.stderr.lower()


def test_corrupt_gazetteer_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "gaz.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    proc = run_cli("gazetteer", "search", "Baghdad", "--gazetteer", str(bad))
    assert_one_line_error(proc)
    assert "geoevents gazetteer build" in proc.stderr


def test_unwritable_output_dir(tmp_path: Path, gazetteer_path: Path) -> None:
    if os.geteuid() == 0:
        target = Path("/proc/geoevents-out")  # not creatable even for root
    else:
        target = tmp_path / "ro"
        target.mkdir()
        target.chmod(0o500)
    proc = run_cli("map", str(SEEDS), "-o", str(target), "--gazetteer", str(gazetteer_path))
    assert_one_line_error(proc)


def test_gazetteer_search_variants(gazetteer_path: Path) -> None:
    for query in ("Al Qaim", "al-Qa'im", "Qaim", "القائم"):
        proc = run_cli("gazetteer", "search", query, "--json", "--gazetteer", str(gazetteer_path))
        assert proc.returncode == 0, proc.stderr
        assert "92138" in proc.stdout, query


def test_strict_exits_3_when_something_was_skipped(tmp_path: Path, gazetteer_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(
        (SEEDS / "003_ec154ef90b200f76.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (src / "bad.txt").write_bytes(b"\x00\x01\x02\xff" * 500)
    proc = run_cli(
        "events", str(src), "-o", str(tmp_path / "e.jsonl"), "--strict", "--gazetteer", str(gazetteer_path)
    )
    assert proc.returncode == 3, proc.stderr
    assert "skipped" in proc.stderr


def test_events_stream_to_geoparquet(tmp_path: Path, gazetteer_path: Path) -> None:
    from geoevents.eventstore import read_geoparquet

    out, pq = tmp_path / "e.jsonl", tmp_path / "e.parquet"
    proc = run_cli(
        "events",
        str(SEEDS),
        "-o",
        str(out),
        "--parquet",
        str(pq),
        "--no-merge",
        "-q",
        "--gazetteer",
        str(gazetteer_path),
    )
    assert proc.returncode == 0, proc.stderr
    recs = [json.loads(line_) for line_ in out.read_text(encoding="utf-8").splitlines()]
    frame = read_geoparquet(pq)
    assert len(frame) == sum(max(1, len(r["locations"])) for r in recs)
    assert set(frame["event_id"]) == {r["event_id"] for r in recs}


def test_version_and_usage_errors() -> None:
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("geoevents ")
    for argv in (("map",), ("no-such-command",)):
        bad = run_cli(*argv)
        assert bad.returncode == 2 and "Traceback" not in bad.stderr and "Internal error" not in bad.stderr
