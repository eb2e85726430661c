"""Where the gazetteer source extract lives: installed data package, git checkout, or env var."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from geoevents.errors import GazetteerNotFound

__all__ = ["SOURCES_ENV", "SOURCE_MARKER", "find_sources"]

SOURCES_ENV = "GEOEVENTS_GAZETTEER_SOURCES"
SOURCE_MARKER = "cities500.txt.gz"  # a folder holding this file is taken to be the extract


def _ok(p: Path | None) -> bool:
    return p is not None and (p / SOURCE_MARKER).is_file()


def find_sources(sources: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder of the gazetteer source extract.

    Looked up in this order: the ``sources`` argument; the ``gazetteer/`` folder of a git checkout
    beside the imported ``geoevents`` package (so a checkout builds from its own data, even when
    another checkout is installed in editable mode); the installed package
    ``geoevents_gazetteer_data`` (the wheel maps the repository's ``gazetteer/`` folder to it); the
    ``GEOEVENTS_GAZETTEER_SOURCES`` environment variable.

    Raises
    ------
    GazetteerNotFound
        When none of these holds the extract, with what to do about it.

    """
    tried: list[str] = []
    if sources is not None:
        p = Path(sources)
        if _ok(p):
            return p
        raise GazetteerNotFound(
            f"No gazetteer source extract in {p} (expected {SOURCE_MARKER} there); pass the repository's "
            "gazetteer/ folder"
        )
    import geoevents

    repo = Path(geoevents.__file__).resolve().parents[1] / "gazetteer"
    if _ok(repo):
        return repo
    tried.append(str(repo))
    try:
        spec = importlib.util.find_spec("geoevents_gazetteer_data")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        for loc in spec.submodule_search_locations:
            if _ok(Path(loc)):
                return Path(loc)
            tried.append(str(loc))
    env = os.environ.get(SOURCES_ENV)
    if env:
        if _ok(Path(env)):
            return Path(env)
        tried.append(env)
    raise GazetteerNotFound(
        "Cannot find the gazetteer source extract (tried: " + ", ".join(tried) + "). Reinstall geoevents "
        f"with its data (pip install geoevents), or set {SOURCES_ENV} to a copy of the repository's "
        "gazetteer/ folder, or pass an existing index with --gazetteer PATH."
    )
