"""Issue 16: the hypothesis suite at the CLI level: random bytes, names and JSON into `geoevents map`.

Each example is a folder of up to three files with random names (any Unicode, plus bytes that
are not UTF-8) and random contents (raw bytes, text, JSON Lines of random JSON values), run
through ``geoevents.cli.main`` in this process. Whatever comes in, the run must end with exit 0
and a whole, consistent output set in which every article read is processed or counted as
skipped, or with exit 1 and one line when nothing at all could be read. Never a traceback,
never exit 70. Examples are bounded (each is a full run with all four writers).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

SUFFIXES = [".txt", ".html", ".jsonl", ".json", ".md", ".jsonl.gz", ".txt.gz"]
SENTENCE = "A US air strike hit a militia depot in Al-Qaim on Friday, killing four fighters."

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
article_rows = st.fixed_dictionaries(
    {"text": st.one_of(st.just(SENTENCE), st.text(max_size=200))},
    optional={
        "id": st.text(max_size=20),
        "title": st.text(max_size=30),
        "published": st.one_of(
            st.text(max_size=20), st.integers(), st.sampled_from(["0001-01-01", "9999-12-31"])
        ),
        "source": st.text(max_size=20),
        "url": st.text(max_size=30),
    },
)


@st.composite
def contents(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["bytes", "text", "jsonl", "json"]))
    if kind == "bytes":
        return draw(st.binary(max_size=600))
    if kind == "text":
        return draw(st.text(max_size=400)).encode("utf-8", "surrogatepass")
    if kind == "json":
        return json.dumps(draw(json_values)).encode()
    rows = draw(st.lists(st.one_of(article_rows, json_values), max_size=4))
    sep = draw(st.sampled_from(["\n", "\r\n", "\r", "\n\n"]))
    return sep.join(json.dumps(r) for r in rows).encode()


names = st.tuples(
    st.text(
        alphabet=st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)),
        min_size=1,
        max_size=12,
    ),
    st.binary(max_size=2),  # raw bytes in a name: often not UTF-8
    st.sampled_from(SUFFIXES),
)


def _write(folder: Path, name: tuple[str, bytes, str], data: bytes) -> None:
    stem, raw, suffix = name
    fname = stem.encode("utf-8", "surrogatepass") + raw.replace(b"/", b"_").replace(b"\x00", b"_")
    fname = fname + suffix.encode()
    if fname.lstrip(b".") == suffix.encode().lstrip(b".") or fname.startswith(b"."):
        fname = b"x" + fname
    if suffix.endswith(".gz"):
        import gzip

        data = gzip.compress(data)
    with open(os.path.join(os.fsencode(folder), fname), "wb") as fh:
        fh.write(data)


def _run_main(argv: list[str]) -> tuple[int, str]:
    from geoevents.cli import main

    err, out = io.StringIO(), io.StringIO()
    old_argv, root = sys.argv, logging.getLogger()
    handlers, level = root.handlers[:], root.level
    sys.argv = ["geoevents", *argv]
    try:
        with redirect_stderr(err), redirect_stdout(out):
            try:
                main()
                code = 0
            except SystemExit as exc:
                code = int(exc.code or 0)
    finally:
        sys.argv = old_argv
        root.handlers[:] = handlers
        root.setLevel(level)
    return code, err.getvalue()


@pytest.mark.slow
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(files=st.lists(st.tuples(names, contents()), min_size=1, max_size=3))
def test_random_files_into_map(
    files: list[tuple[tuple[str, bytes, str], bytes]], gazetteer_path: Path
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "out"
        src.mkdir()
        for name, data in files:
            _write(src, name, data)
        code, stderr = _run_main(["map", str(src), "-o", str(out), "--gazetteer", str(gazetteer_path)])
        assert "Traceback" not in stderr and "Internal error" not in stderr, stderr
        if code == 1:  # only when nothing at all could be read
            assert "no articles found" in stderr and len(stderr.strip().splitlines()) == 1, stderr
            return
        assert code == 0, stderr
        summary = json.loads((out / "run-summary.json").read_text(encoding="utf-8"))
        arts = summary["articles"]
        assert arts["read"] == arts["processed"] + arts["n_skipped"]
        for name, entry in summary["manifest"].items():
            assert hashlib.sha256((out / name).read_bytes()).hexdigest() == entry["sha256"]
