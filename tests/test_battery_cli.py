"""Issue 16 and issue 11 (terminal), CLI rows: real processes, real exit codes, real stderr.

Each test failed on the code before the fix; the issue's row is named in each docstring.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SET = ["events.html", "events.geojson", "events.gpkg", "events.csv", "run-summary.json"]
BODY = (
    "A US air strike hit a militia depot in Al-Qaim on Friday, killing four fighters, "
    "officials said. The strike followed a drone attack on a base in Erbil."
)


def cli(*args: str | bytes, timeout: float = 300, **kw: object) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m geoevents.cli`` with stderr piped (not a terminal), as a script would."""
    # this checkout's package, whatever the working directory
    env = {**os.environ, "COLUMNS": "80", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "geoevents.cli", *args],
        capture_output=True,
        timeout=timeout,
        env=env,
        cwd=kw.pop("cwd", None),  # type: ignore[arg-type]
    )


def err(proc: subprocess.CompletedProcess[bytes]) -> str:
    return proc.stderr.decode("utf-8", "replace")


def assert_clean(proc: subprocess.CompletedProcess[bytes], code: int) -> None:
    text = err(proc)
    assert proc.returncode == code, text[-3000:]
    assert "Traceback" not in text and "Internal error" not in text, text[-3000:]


def digests(folder: Path) -> dict[str, bytes]:
    return {n: (folder / n).read_bytes() for n in SET if (folder / n).exists()}


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory, gazetteer_path: Path) -> Path:
    """Write a finished output set of the seeds, copied by tests that need 'the previous outputs'."""
    out = tmp_path_factory.mktemp("prev") / "maps"
    proc = cli("map", str(SEEDS), "-o", str(out), "--gazetteer", str(gazetteer_path), "-q")
    assert_clean(proc, 0)
    return out


def _copy_previous(previous: Path, dest: Path) -> Path:
    shutil.copytree(previous, dest)
    return dest


# --------------------------------------------------------------------------- names and text


def test_hostile_names_and_rows_give_a_whole_set_and_exit_0(tmp_path: Path, gazetteer_path: Path) -> None:
    """Rows 1-2: a lone surrogate in a JSON row, a non-UTF-8 file name: exit 0, the whole set."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "rows.jsonl").write_bytes(
        b'{"id":"s\\ud800","title":"t\\udfff","source":"x\\ud800","text":"' + BODY.encode() + b'"}\n'
    )
    with open(os.path.join(os.fsencode(src), b"bad\xff.txt"), "wb") as fh:
        fh.write(("Title\n\n" + BODY).encode())
    out = tmp_path / "out"
    proc = cli("map", str(src), "-o", str(out), "--gazetteer", str(gazetteer_path))
    assert_clean(proc, 0)
    assert sorted(p.name for p in out.iterdir()) == sorted(SET)
    summary = json.loads((out / "run-summary.json").read_text(encoding="utf-8"))
    assert summary["articles"]["read"] == 2 and summary["articles"]["processed"] == 2
    assert "bad\\xff" in (out / "events.csv").read_text(encoding="utf-8")


def test_terminal_escapes_never_reach_stderr(tmp_path: Path, gazetteer_path: Path) -> None:
    """Issue 11: ids, titles and file names printed to stderr lose ANSI escapes and controls."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "evil\x1b[2J\x1b]0;owned\x07.txt").write_bytes(b"")  # an empty file: its name is printed
    (src / "rows.jsonl").write_text(
        json.dumps({"id": "x\x1b[31mred\x1b[0m", "title": "\x1b]0;title\x07"}) + "\n", encoding="utf-8"
    )
    proc = cli("ingest", str(src), "-o", str(tmp_path / "a.jsonl"), "--on-error", "warn")
    text = err(proc)
    assert proc.returncode == 0, text  # both skipped, counted
    assert "evil" in text or "rows.jsonl" in text
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text


def test_error_messages_are_one_line_when_piped(tmp_path: Path) -> None:
    """Row 19: a long error message was wrapped at 80 columns when stderr was piped."""
    missing = tmp_path / ("a-very-long-folder-name-" * 6) / "articles"
    proc = cli("ingest", str(missing), "-o", str(tmp_path / "a.jsonl"))
    assert_clean(proc, 1)
    lines = [ln for ln in err(proc).splitlines() if ln.strip()]
    assert len(lines) == 1 and len(lines[0]) > 120, lines


# --------------------------------------------------------------------------- files and folders


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_as_input_or_gazetteer_is_refused_at_once(tmp_path: Path, gazetteer_path: Path) -> None:
    """Row 4: a FIFO on the command line, or as --gazetteer, hung the run."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (tmp_path / "a.txt").write_text("T\n\n" + BODY, encoding="utf-8")
    t0 = time.perf_counter()
    proc = cli("ingest", str(fifo), str(tmp_path / "a.txt"), "-o", str(tmp_path / "o.jsonl"), timeout=60)
    assert_clean(proc, 0)
    assert "not a regular file" in err(proc)
    proc = cli(
        "map", str(tmp_path / "a.txt"), "-o", str(tmp_path / "m"), "--gazetteer", str(fifo), timeout=60
    )
    assert_clean(proc, 1)
    assert "not a regular file" in err(proc) and "gazetteer build --force" in err(proc)
    assert time.perf_counter() - t0 < 50


def test_workers_are_capped_at_the_cpu_count(tmp_path: Path, gazetteer_path: Path) -> None:
    """Row 6: --workers 100000 started a fork storm (587 processes, 12.8 GB in 48 s)."""
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"a{i}.txt").write_text("T\n\n" + BODY, encoding="utf-8")
    proc = cli(
        "events",
        str(src),
        "-o",
        str(tmp_path / "e.jsonl"),
        "--workers",
        "100000",
        "--gazetteer",
        str(gazetteer_path),
    )
    assert_clean(proc, 0)
    assert "--workers 100000 is more than the" in err(proc)
    assert len((tmp_path / "e.jsonl").read_text().splitlines()) >= 1


@pytest.mark.parametrize("out", ["", "-", "{src}", "{src}/.."])
def test_bad_output_folders_are_usage_errors(tmp_path: Path, out: str) -> None:
    """Row 17: -o "" wrote into the current dir, -o - into a folder named '-', -o IN read its outputs back."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("T\n\n" + BODY, encoding="utf-8")
    proc = cli("map", str(src), "-o", out.replace("{src}", str(src)), cwd=tmp_path)
    assert_clean(proc, 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"] and os.listdir(src) == ["a.txt"]
    assert not (tmp_path / "-").exists()


def test_outputs_inside_the_input_are_never_read_back(tmp_path: Path, gazetteer_path: Path) -> None:
    """Row 17: with the output folder inside the input folder, a rerun read run-summary.json as an article."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("T\n\n" + BODY, encoding="utf-8")
    for _ in range(2):
        proc = cli(
            "map", str(src), "-o", str(src / "maps"), "--overwrite", "--gazetteer", str(gazetteer_path), "-q"
        )
        assert_clean(proc, 0)
        summary = json.loads((src / "maps" / "run-summary.json").read_text())
        assert summary["articles"]["read"] == 1


# --------------------------------------------------------------------------- the gazetteer


def _damaged_copy(gazetteer_path: Path, dest: Path, how: str) -> Path:
    shutil.copyfile(gazetteer_path, dest)
    if how == "dropped table":
        with sqlite3.connect(dest) as conn:
            conn.execute("DROP TABLE demonyms")
    elif how == "emptied table":
        with sqlite3.connect(dest) as conn:
            conn.execute("DELETE FROM places")
    else:  # zero 64 pages in the middle of the names table's b-tree
        size = dest.stat().st_size
        with open(dest, "r+b") as fh:
            fh.seek((size // 2) // 4096 * 4096)
            fh.write(b"\x00" * 4096 * 64)
    return dest


@pytest.mark.parametrize("how", ["dropped table", "zeroed pages", "emptied table"])
def test_damaged_gazetteer_is_one_error_and_keeps_the_outputs(
    tmp_path: Path, gazetteer_path: Path, previous: Path, how: str
) -> None:
    """Row 9: zeroed pages or a dropped table gave exit 0 and 0-event outputs over the previous ones."""
    gaz = _damaged_copy(gazetteer_path, tmp_path / "gaz.sqlite", how)
    out = _copy_previous(previous, tmp_path / "maps")
    before = digests(out)
    proc = cli("map", str(SEEDS), "-o", str(out), "--overwrite", "--gazetteer", str(gaz))
    assert_clean(proc, 1)
    lines = [ln for ln in err(proc).splitlines() if ln.strip()]
    assert len(lines) == 1 and "geoevents gazetteer build --force" in lines[0]
    assert digests(out) == before and sorted(os.listdir(out)) == sorted(SET)


def test_concurrent_first_builds_share_the_lock(tmp_path: Path, gazetteer_path: Path) -> None:
    """Row 16: two first-time `gazetteer build`s both built in full (the CLI skipped the lock)."""
    target = tmp_path / "gaz.sqlite"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import shutil, sys, time\n"
            "from pathlib import Path\n"
            "from geoevents.gazetteer.store import _build_lock\n"
            "with _build_lock(Path(sys.argv[1])):\n"
            "    print('locked', flush=True)\n"
            "    time.sleep(3)\n"
            "    shutil.copyfile(sys.argv[2], sys.argv[1] + '.part')\n"
            "    Path(sys.argv[1] + '.part').rename(sys.argv[1])\n",
            str(target),
            str(gazetteer_path),
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"locked"
        t0 = time.perf_counter()
        proc = cli("gazetteer", "build", "--gazetteer", str(target), timeout=120)
        assert_clean(proc, 0)
        assert "Another run built" in err(proc) and "places" in err(proc)
        assert time.perf_counter() - t0 < 60  # waited for the other build, did not build again
    finally:
        holder.wait(30)


def test_stale_build_temp_files_are_removed(tmp_path: Path, gazetteer_path: Path) -> None:
    """Row 7: a killed gazetteer build left a 181 MB temp file that nothing removed."""
    target = tmp_path / "gaz.sqlite"
    shutil.copyfile(gazetteer_path, target)
    stale = tmp_path / "gaz.sqlite.abc123.tmp"
    stale.write_bytes(b"\0" * 1000)
    proc = cli("gazetteer", "build", "--gazetteer", str(target), "-q", timeout=120)
    assert_clean(proc, 0)
    assert not stale.exists() and target.exists()


# --------------------------------------------------------------------------- help and formats


def test_help_shows_plain_flags_and_metavars() -> None:
    """Issue 14: `--overwrite <bool>`, `paths <list[str]>` in --help."""
    for argv in (["--help"], ["map", "--help"], ["events", "--help"], ["gazetteer", "search", "--help"]):
        text = cli(*argv).stdout.decode()
        assert "<bool>" not in text and "<list" not in text and "<int" not in text and "<str>" not in text
    text = cli("map", "--help").stdout.decode()
    assert "--workers" in text and " N " in text and "OUTDIR" in text


def test_gazetteer_search_json_is_one_object_per_line(gazetteer_path: Path) -> None:
    """Issue 14: `gazetteer search --json` printed pretty multi-line JSON."""
    proc = cli("gazetteer", "search", "Baghdad", "--json", "--limit", "3", "--gazetteer", str(gazetteer_path))
    assert_clean(proc, 0)
    lines = proc.stdout.decode().splitlines()
    assert len(lines) == 3 and all(isinstance(json.loads(line), dict) for line in lines)


def test_eval_markdown_survives_redirection(tmp_path: Path, gazetteer_path: Path) -> None:
    """Issue 14: `eval ... > out.md` wrapped the table at 80 columns."""
    corpus = tmp_path / "gold.jsonl"
    corpus.write_text(
        json.dumps(
            {"id": "d", "text": BODY, "toponyms": [{"start": 40, "end": 47, "lat": 34.38, "lon": 41.0}]}
        )
        + "\n",
        encoding="utf-8",
    )
    proc = cli("eval", str(corpus), "--gold-spans", "-q", "--gazetteer", str(gazetteer_path))
    assert_clean(proc, 0)
    rows = [ln for ln in proc.stdout.decode().splitlines() if ln.startswith("|")]
    assert len(rows) >= 3 and len({ln.count("|") for ln in rows}) == 1, rows


# --------------------------------------------------------------------------- dask


def test_dask_without_loopback_is_one_line(tmp_path: Path, gazetteer_path: Path) -> None:
    """Row 15: `--engine dask` under `unshare -n` (no loopback) gave exit 70 after 30 s."""
    pytest.importorskip("distributed")
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-n", "true"]).returncode != 0:
        pytest.skip("unshare -n is not permitted here (needs root or user namespaces)")
    t0 = time.perf_counter()
    proc = subprocess.run(
        [
            "unshare",
            "-n",
            sys.executable,
            "-m",
            "geoevents.cli",
            "map",
            str(SEEDS),
            "-o",
            str(tmp_path / "o"),
            "--engine",
            "dask",
            "--gazetteer",
            str(gazetteer_path),
        ],
        capture_output=True,
        timeout=120,
    )
    assert_clean(proc, 1)
    lines = [ln for ln in err(proc).splitlines() if ln.strip()]
    assert len(lines) == 1 and "Dask" in lines[0] and "--engine local" in lines[0], lines
    assert time.perf_counter() - t0 < 25


@pytest.mark.slow
def test_dask_quiet_and_ctrl_c(tmp_path: Path, gazetteer_path: Path) -> None:
    """Rows 14 and issue 14: `--engine dask -q` printed 24 INFO lines; Ctrl-C printed worker tracebacks."""
    pytest.importorskip("distributed")
    args = [sys.executable, "-m", "geoevents.cli", "map", str(SEEDS), "--engine", "dask", "--workers", "2"]
    args += ["--gazetteer", str(gazetteer_path)]
    proc = subprocess.run([*args, "-o", str(tmp_path / "q"), "-q"], capture_output=True, timeout=300)
    assert_clean(proc, 0)
    assert err(proc).strip() == "", err(proc)
    big = tmp_path / "big.jsonl"
    # long enough to be still running at the last Ctrl-C on a fast, idle machine (~400 articles/s)
    big.write_text("".join(json.dumps({"id": f"a{i}", "text": BODY}) + "\n" for i in range(30000)))
    for delay in (6.0, 12.0):
        child = subprocess.Popen(
            [*args[:4], str(big), *args[5:], "-o", str(tmp_path / f"c{delay}")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        time.sleep(delay)
        os.killpg(child.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole group
        _, stderr = child.communicate(timeout=120)
        text = stderr.decode("utf-8", "replace")
        assert child.returncode == 130, text[-3000:]
        assert "Traceback" not in text and "KeyboardInterrupt" not in text, text[-3000:]
        assert not (tmp_path / f"c{delay}" / "events.html").exists()


def test_undecodable_output_folder_and_title(tmp_path: Path, gazetteer_path: Path) -> None:
    """Hidden-battery kinds: `-o` and `--title` holding bytes that are not UTF-8 crashed the writers."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("T\n\n" + BODY, encoding="utf-8")
    out = os.path.join(os.fsencode(tmp_path), b"out\xff")
    proc = cli("map", str(src), "-o", out, "--title", b"t\xff\x1b[2J", "--gazetteer", str(gazetteer_path))
    assert_clean(proc, 0)
    assert sorted(os.listdir(out)) == sorted(s.encode() for s in SET)
    assert "out\\xff" in err(proc) and "\x1b" not in err(proc)


def test_usage_errors_are_one_line(tmp_path: Path) -> None:
    """Row 19 for usage errors: typer's boxed panels are one line when stderr is piped."""
    for argv in (["map"], ["map", "x", "-o", "y", "--workers", "0"], ["no-such-command"]):
        proc = cli(*argv)
        assert_clean(proc, 2)
        lines = [ln for ln in err(proc).splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("Usage error:") and "--help" in lines[0], lines


@pytest.mark.slow
def test_ctrl_c_with_local_workers_is_quiet(tmp_path: Path, gazetteer_path: Path) -> None:
    """Ctrl-C reaches the worker processes too: exit 130, no worker tracebacks, nothing written."""
    big = tmp_path / "big.jsonl"
    # long enough to be still running at the last Ctrl-C on a fast, idle machine (~400 articles/s)
    big.write_text("".join(json.dumps({"id": f"a{i}", "text": BODY}) + "\n" for i in range(30000)))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "geoevents.cli",
            "map",
            str(big),
            "-o",
            str(tmp_path / "o"),
            "--workers",
            "2",
            "--gazetteer",
            str(gazetteer_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=env,
    )
    time.sleep(8)
    os.killpg(child.pid, signal.SIGINT)
    _, stderr = child.communicate(timeout=120)
    text = stderr.decode("utf-8", "replace")
    assert child.returncode == 130, text[-3000:]
    assert "Traceback" not in text and "KeyboardInterrupt" not in text, text[-3000:]
    assert not (tmp_path / "o" / "events.html").exists()


def test_ingest_output_inside_its_input_is_not_read_back(tmp_path: Path) -> None:
    """Row 17 for `ingest`/`events`: a rerun read its own earlier articles.jsonl as input."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("T\n\n" + BODY, encoding="utf-8")
    for _ in range(2):
        proc = cli("ingest", str(src), "-o", str(src / "articles.jsonl"), "--overwrite")
        assert_clean(proc, 0)
        assert len((src / "articles.jsonl").read_text(encoding="utf-8").splitlines()) == 1
