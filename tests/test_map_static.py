"""The static PNG/SVG map (matplotlib, no browser): same layers, offline labels, same bytes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from devtools.fixtures import load_fixture
from geoevents.errors import InputError, OutputExists
from geoevents.outputs.static_map import write_static_map

FIXTURE = Path(__file__).parent / "data" / "outputs" / "events.json"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def events():
    """Return the fixture events (strikes, attacks, a raid, hostile text, one unlocated)."""
    return load_fixture(FIXTURE)[0]


def test_png_and_svg_are_deterministic(events, tmp_path):
    """The same events give byte-identical images (no dates, versions or random ids)."""
    for suffix in (".png", ".svg"):
        a = write_static_map(events, tmp_path / f"a{suffix}").read_bytes()
        b = write_static_map(events, tmp_path / f"b{suffix}").read_bytes()
        assert a == b and len(a) > 10_000


def test_svg_has_base_labels_legend_and_literal_title(events, tmp_path):
    """Country and town names, the legend, and a hostile title drawn as plain escaped text."""
    title = "Strikes {{ 7*7 }} $x^2$ <script>alert(1)</script>"
    svg = write_static_map(events, tmp_path / "m.svg", title=title).read_text("utf-8")
    assert "IRAQ" in svg and "SYRIA" in svg
    assert "Strikes (3)" in svg and "Attacks (2)" in svg
    assert "Strikes {{ 7*7 }} $x^2$ &lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "<script" not in svg


def test_png_draws_markers_in_side_colours(events, tmp_path):
    """The US-side strikes' blue and the Iran-backed attack's red are in the picture."""
    import matplotlib.image as mpimg
    import numpy as np

    img = mpimg.imread(write_static_map(events, tmp_path / "m.png", width_px=800, height_px=500))
    assert img.shape[:2] == (500, 800)
    rgb = (img[..., :3] * 255).round().astype(int)

    def has(colour: str) -> bool:
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return bool(
            np.any((abs(rgb[..., 0] - r) < 20) & (abs(rgb[..., 1] - g) < 20) & (abs(rgb[..., 2] - b) < 20))
        )

    assert has("#1f5fbf") and has("#d62728")


def test_refuses_unknown_suffix_and_clobber(events, tmp_path):
    with pytest.raises(InputError):
        write_static_map(events, tmp_path / "m.jpg")
    write_static_map(events, tmp_path / "m.png")
    with pytest.raises(OutputExists):
        write_static_map(events, tmp_path / "m.png")


@pytest.mark.slow
def test_cli_png_and_svg(tmp_path, gazetteer_path):
    """`geoevents map seeds -o OUT --png --svg` writes both images beside the other outputs."""
    out = tmp_path / "maps"
    args = ["--gazetteer", str(gazetteer_path), "--png", "--svg"]
    proc = subprocess.run(
        [sys.executable, "-m", "geoevents.cli", "map", str(ROOT / "seeds"), "-o", str(out), "-q", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert (out / "events.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (out / "events.svg").read_bytes()[:2000]
