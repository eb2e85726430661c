"""The wheel ships every subpackage.

pyproject's package list is explicit (the gazetteer data is a mapped package), so a subpackage
missing from it would install a broken ``geoevents``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python >= 3.11")

ROOT = Path(__file__).resolve().parents[1]


def _listed() -> set[str]:
    return set(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"])


def test_every_subpackage_is_in_the_wheel_list() -> None:
    found = {".".join(i.parent.relative_to(ROOT).parts) for i in (ROOT / "geoevents").rglob("__init__.py")}
    missing = sorted(found - _listed())
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"


def test_dev_tooling_is_not_in_the_wheel_list() -> None:
    assert not any(name.startswith(("devtools", "tests", "benchmarks")) for name in _listed())
