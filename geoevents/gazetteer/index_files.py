"""Where the index file lives and how it is (re)built safely: default path, build lock, old files.

Kept apart from ``store.py`` (the read side): these functions touch the file system around the
index, never its content.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

from geoevents.errors import GazetteerError
from geoevents.gazetteer.build import SCHEMA_VERSION, ProgressFn, build_gazetteer

__all__ = ["ENV_PATH", "build_index_locked", "default_gazetteer_path"]

log = logging.getLogger(__name__)

ENV_PATH = "GEOEVENTS_GAZETTEER"


def default_gazetteer_path() -> Path:
    """Return where the index lives by default: ``$GEOEVENTS_GAZETTEER`` or the user cache folder.

    The file name carries the schema version, so an upgrade that changes the schema builds a new
    index beside the old one instead of failing on it.
    """
    env = os.environ.get(ENV_PATH)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("geoevents")) / f"gazetteer-v{SCHEMA_VERSION}.sqlite"


@contextlib.contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside ``path`` so concurrent first uses build the index only once."""
    try:
        import fcntl
    except ImportError:  # Windows: no lock, the atomic replace still keeps the file whole
        yield
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(path.with_name(path.name + ".lock"), "a+b")
    except OSError as err:
        raise GazetteerError(
            f"Cannot write the gazetteer index to {path} ({err.strerror or err}). Pass a writable location "
            "with --gazetteer PATH or set GEOEVENTS_GAZETTEER=PATH."
        ) from err
    with fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def build_index_locked(path: Path, *, force: bool = False, progress: ProgressFn | None = None) -> bool:
    """Build the index at ``path`` under the build lock; return whether this call built it.

    A second process asking for the same first build waits on the lock and then reuses the
    index the first one built (unless ``force``). Build temp files beside ``path`` that no
    process holds the lock for are leftovers of a killed build (about 180 MB each): removed.
    """
    path = Path(path)
    with _build_lock(path):
        for leftover in path.parent.glob(f"{path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                leftover.unlink()
                log.info("removed %s, left by a build that was stopped", leftover)
        if path.exists() and not force:
            return False
        build_gazetteer(path, progress=progress)
        return True


def _remove_outdated(path: Path) -> None:
    """Delete indexes of older schema versions and day-old build leftovers beside a fresh default index.

    Each is about 180 MB and nothing can read an older schema, so keeping them only fills the cache.
    """
    now = time.time()
    for old in path.parent.glob("gazetteer-v*.sqlite*"):
        if old == path:
            continue
        stem = old.name[len("gazetteer-v") :].split(".", 1)[0]
        outdated = old.suffix in (".sqlite", ".lock") and stem.isdigit() and int(stem) < SCHEMA_VERSION
        leftover = old.suffix == ".tmp" and now - old.stat().st_mtime > 86_400
        if outdated or leftover:
            with contextlib.suppress(OSError):
                old.unlink()
                log.info("removed outdated gazetteer file %s", old)
