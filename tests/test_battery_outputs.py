"""Issue 16, output rows: the folder holds the whole old set or the whole new set, whatever happens.

A set is consistent when every file named in ``run-summary.json``'s manifest has the recorded
bytes and SHA-256. Each test failed on the code before the output-set writer.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
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


def cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "geoevents.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def consistent(folder: Path) -> dict[str, str]:
    """Assert the folder holds exactly one whole set; return its manifest digests."""
    assert sorted(p.name for p in folder.iterdir()) == sorted(SET), sorted(os.listdir(folder))
    manifest = json.loads((folder / "run-summary.json").read_text(encoding="utf-8"))["manifest"]
    assert sorted(manifest) == sorted(SET[:-1])
    for name, entry in manifest.items():
        data = (folder / name).read_bytes()
        assert len(data) == entry["bytes"] and hashlib.sha256(data).hexdigest() == entry["sha256"], name
    return {n: e["sha256"] for n, e in manifest.items()}


@pytest.fixture(scope="module")
def seeds_set(tmp_path_factory: pytest.TempPathFactory, gazetteer_path: Path) -> Path:
    out = tmp_path_factory.mktemp("seeds") / "maps"
    proc = cli("map", str(SEEDS), "-o", str(out), "--gazetteer", str(gazetteer_path), "-q")
    assert proc.returncode == 0, proc.stderr
    consistent(out)
    return out


def test_an_overwrite_replaces_the_set_with_a_manifest(
    tmp_path: Path, seeds_set: Path, gazetteer_path: Path
) -> None:
    """The summary, written last, lists every file of the set with its bytes and SHA-256."""
    out = tmp_path / "again"
    shutil.copytree(seeds_set, out)
    proc = cli("map", str(SEEDS), "-o", str(out), "--overwrite", "--gazetteer", str(gazetteer_path), "-q")
    assert proc.returncode == 0, proc.stderr
    assert consistent(out).keys() == consistent(seeds_set).keys()


def test_stale_temps_of_dead_runs_are_removed(tmp_path: Path, seeds_set: Path, gazetteer_path: Path) -> None:
    """Row 7: `.events.*.tmp/` folders of killed runs were left behind and never cleaned."""
    out = tmp_path / "maps"
    shutil.copytree(seeds_set, out)
    for stale in (".events.gpkg.k2j3.tmp", ".geoevents-staging-99999-abc", ".run-summary.json.x.tmp"):
        (out / stale).mkdir()
        (out / stale / "partial").write_bytes(b"half")
    (out / "notes.txt").write_text("the user's own file stays")
    proc = cli("map", str(SEEDS), "-o", str(out), "--overwrite", "--gazetteer", str(gazetteer_path), "-q")
    assert proc.returncode == 0, proc.stderr
    (out / "notes.txt").unlink()
    consistent(out)


_INTERRUPTED_COMMIT = """
import os, sys
from pathlib import Path
from geoevents.outputs.outset import OutputSet
out, renames = Path(sys.argv[1]), int(sys.argv[2])
real = os.replace
count = {"n": 0}
def replace(src, dst):
    if Path(dst).parent == out and not str(dst).endswith(".json.tmp"):
        count["n"] += 1
        if count["n"] > renames:
            os._exit(9)  # the process dies here, as under kill -9
    real(src, dst)
with OutputSet(out) as outset:
    for name in ("events.html", "events.geojson", "events.gpkg", "events.csv"):
        (outset.staging / name).write_text("new " + name)
    os.replace = replace
    outset.commit({"events": 1})
"""


@pytest.mark.parametrize("renames", [0, 1, 2, 3, 4, 5])
def test_killed_between_renames_is_finished_by_the_next_run(
    tmp_path: Path, seeds_set: Path, renames: int
) -> None:
    """Row 7: kill -9 while replacing a set left a mixed old/new set in 10 of 13 kill points."""
    out = tmp_path / "maps"
    shutil.copytree(seeds_set, out)
    old = consistent(out)
    proc = subprocess.run(
        [sys.executable, "-c", _INTERRUPTED_COMMIT, str(out), str(renames)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 9, proc.stderr
    from geoevents.outputs.outset import recover

    recover(out)  # what the next run does first, under the folder's lock
    new = consistent(out)
    assert new == old or all((out / n).read_text() == f"new {n}" for n in SET[:-1])


@pytest.mark.slow
def test_kill_9_during_real_runs_never_leaves_a_mixed_set(
    tmp_path: Path, seeds_set: Path, gazetteer_path: Path
) -> None:
    """Row 7, end to end: SIGKILL at several moments of a `map --overwrite`; recover, then check."""
    out = tmp_path / "maps"
    shutil.copytree(seeds_set, out)
    big = tmp_path / "big.jsonl"
    big.write_text(
        "".join(json.dumps({"id": f"a{i}", "text": f"{BODY} Report {i}."}) + "\n" for i in range(400))
    )
    from geoevents.outputs.outset import recover

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-m", "geoevents.cli", "map", str(big), "-o", str(out), "--overwrite", "-q"]
    for delay in (2.0, 5.0, 8.0, 11.0):
        proc = subprocess.Popen([*args, "--gazetteer", str(gazetteer_path)], env=env)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        recover(out)
        consistent(out)


@pytest.mark.skipif(
    os.geteuid() != 0 or not Path("/proc/mounts").exists(), reason="mounting a tmpfs needs root"
)
def test_disk_full_is_one_error_and_keeps_the_previous_set(
    tmp_path: Path, seeds_set: Path, gazetteer_path: Path
) -> None:
    """Row 8: a full disk gave exit 70 and a half-written set; now exit 1, 'no space left', old set intact."""
    total = sum((seeds_set / n).stat().st_size for n in SET)
    mount = tmp_path / "small"
    mount.mkdir()
    size_kb = total * 3 // 2 // 1024 + 64  # room for one set, not for two
    if (
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(mount)]).returncode
        != 0
    ):
        pytest.skip("cannot mount a tmpfs here")
    try:
        for name in SET:
            shutil.copyfile(seeds_set / name, mount / name)
        before = consistent(mount)
        proc = cli("map", str(SEEDS), "-o", str(mount), "--overwrite", "--gazetteer", str(gazetteer_path))
        assert proc.returncode == 1, proc.stderr
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and "no space left on" in lines[0], lines
        assert consistent(mount) == before
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_two_runs_into_one_folder_take_turns(tmp_path: Path, gazetteer_path: Path) -> None:
    """Concurrency: two `map` runs into one folder end with one whole set (the folder is locked)."""
    out = tmp_path / "maps"
    a, b = tmp_path / "a", tmp_path / "b"
    for folder, place in ((a, "Al-Qaim"), (b, "Erbil")):
        folder.mkdir()
        (folder / "x.txt").write_text(f"T\n\nA US air strike hit a militia depot in {place} on Friday.")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "geoevents.cli",
                "map",
                str(src),
                "-o",
                str(out),
                "--overwrite",
                "-q",
                "--gazetteer",
                str(gazetteer_path),
            ],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for src in (a, b)
    ]
    for p in procs:
        _, stderr = p.communicate(timeout=300)
        assert p.returncode == 0, stderr
    consistent(out)
