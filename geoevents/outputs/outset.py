"""The output folder, checked in one place and replaced as a set.

``geoevents map`` writes five files that belong together (``events.html``, ``.geojson``,
``.gpkg``, ``.csv`` and ``run-summary.json``). A reader must never meet a new map beside an old
GeoPackage, so the set is written like this:

1. :func:`check_output_dir` refuses what cannot work before any work is done: ``-o ""``,
   ``-o -``, an output folder that is (or holds) an input, existing outputs without
   ``--overwrite``, a file where the folder should be, a folder that cannot be created or written.
2. :class:`OutputSet` takes a lock on the folder (two runs into one folder take turns), clears
   what dead runs left (staging folders, writers' temp folders) and finishes a set whose
   renaming a crash interrupted (the commit journal, below).
3. Every file is written into a staging folder *inside* the output folder (same filesystem, so
   renames are atomic; an output folder that is a mount point works too). A failure here (disk
   full, a writer error, Ctrl-C) removes the staging folder: the previous set is untouched.
4. :meth:`OutputSet.commit` writes ``run-summary.json`` with a manifest (name, bytes, SHA-256 of
   every file), then a journal naming the staging folder, then renames the files into place,
   the summary last, and removes the journal. If the process dies between two renames, the next
   run finishes the renames from the journal before doing anything else.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from geoevents.errors import OutputError, OutputExists, UsageError
from geoevents.ingest.decode import safe_name
from geoevents.outputs._common import IMAGE_NAMES, OUTPUT_NAMES

__all__ = ["SUMMARY_NAME", "OutputSet", "check_output_dir", "is_no_space", "set_names"]

log = logging.getLogger(__name__)

SUMMARY_NAME = "run-summary.json"
_STAGING_PREFIX = ".geoevents-staging-"
_JOURNAL = ".geoevents-commit.json"
_NEARLY_FULL = 8 << 20  # bytes: a library's write error with less free than this is a full disk
_NO_SPACE = re.compile(r"no space left|disk is full|disk full|not enough space|quota exceeded", re.IGNORECASE)


def set_names() -> list[str]:
    """File names of one output set, in commit order (the summary, holding the manifest, last).

    The static images (``IMAGE_NAMES``) are optional members: a set written without them
    removes those of the previous set, so the folder never mixes two runs.
    """
    return [*OUTPUT_NAMES.values(), *IMAGE_NAMES.values(), SUMMARY_NAME]


def _same_or_inside(path: Path, folder: Path) -> bool:
    try:
        return path == folder or path.is_relative_to(folder)
    except ValueError:
        return False


def check_output_dir(
    out: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    inputs: Sequence[str | os.PathLike[str]] = (),
) -> Path:
    """Check (and create) the output folder of ``map``; the one place that decides.

    Raises
    ------
    UsageError
        ``out`` is empty or ``-``, or it is an input folder, or it contains one of the inputs.
    OutputExists
        Outputs are there and ``overwrite`` is false.
    OutputError
        ``out`` is a file, or cannot be created or written.

    """
    raw = os.fspath(out)
    if isinstance(raw, bytes) or not str(raw).strip():
        raise UsageError('the output folder is empty (-o ""); give a folder name, e.g. -o maps/')
    if raw == "-":
        raise UsageError("map writes a folder of files, not standard output; give a folder, e.g. -o maps/")
    path = Path(raw)
    real = Path(os.path.realpath(path))
    for given in inputs:
        if os.fspath(given) == "-":
            continue
        src = Path(os.path.realpath(given))
        if _same_or_inside(src, real):
            raise UsageError(
                f"the output folder {path} is, or holds, the input {given}; outputs must not be read "
                "back as articles: choose another -o"
            )
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path} is a file; -o needs a folder")
    if not overwrite and path.is_dir():
        existing = [n for n in set_names() if (path / n).exists()]
        if existing:
            raise OutputExists(
                f"{path / existing[0]} exists; pass --overwrite to replace the outputs in {path}"
            )
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(
            f"Cannot create output folder {path}: {err.strerror or err}; choose another -o"
        ) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise OutputError(f"Output folder {path} is not writable; choose another -o")
    return path


def is_no_space(err: BaseException, folder: Path | None = None) -> bool:
    """Whether ``err`` (or what caused it) means the disk is full: ENOSPC/EDQUOT, or a library's wording.

    GDAL and SQLite report a full disk in their own words ("database or disk is full"); when a
    write failed and the folder's filesystem has less than ``_NEARLY_FULL`` bytes left, that is
    the cause too (SQLite rolls a failed write back, freeing what it had taken, and GDAL may then
    report only the aftermath, "cannot commit - no transaction is active").
    """
    seen: set[int] = set()
    cur: BaseException | None = err
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, OSError) and cur.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if _NO_SPACE.search(str(cur)):
            return True
        cur = cur.__cause__ or cur.__context__
    from_library = type(err).__module__.startswith(("pyogrio", "sqlite3", "fiona"))
    if folder is not None and (isinstance(err, (OSError, RuntimeError)) or from_library):
        with contextlib.suppress(OSError):
            st = os.statvfs(folder)
            return st.f_bavail * st.f_frsize < _NEARLY_FULL
    return False


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class OutputSet:
    """Write one output set into ``folder`` as a whole; see the module docstring.

    >>> with OutputSet(out) as outset:                    # doctest: +SKIP
    ...     write_all(events, outset.staging, overwrite=True)
    ...     outset.commit({"events": 3})
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.staging = Path()
        #: Where writers write: ``staging``, or the same folder as ``/proc/self/fd/N`` when its
        #: path holds bytes that are not UTF-8 (GDAL and the HTML writer need text paths).
        self.write_dir = Path()
        self._lock_fh: Any = None
        self._staging_fd: int | None = None
        self.committed: dict[str, Path] = {}

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> OutputSet:
        self._lock()
        try:
            recover(self.folder)
            self.staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{os.getpid()}-", dir=self.folder))
            self.write_dir = self._text_path(self.staging)
        except OSError as err:
            self._unlock()
            raise self._write_error(err) from None
        return self

    def _text_path(self, folder: Path) -> Path:
        try:
            os.fspath(folder).encode("utf-8")
            return folder
        except UnicodeEncodeError:
            pass
        proc = Path("/proc/self/fd")
        if not proc.is_dir():
            raise UsageError(
                f"the output folder's name has bytes that are not UTF-8 ({safe_name(self.folder)}); "
                "the writers need a text path: choose another -o"
            )
        self._staging_fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        return proc / str(self._staging_fd)

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        full = isinstance(exc, Exception) and is_no_space(exc, self.folder)  # before freeing space
        if self._staging_fd is not None:
            os.close(self._staging_fd)
            self._staging_fd = None
        try:
            if self.staging.name and self.staging.exists():
                shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            self._unlock()
        if full and exc is not None:
            raise self._write_error(exc, full=True) from None

    def _write_error(self, err: BaseException, *, full: bool | None = None) -> OutputError:
        if full or (full is None and is_no_space(err, self.folder)):
            return OutputError(
                f"no space left on the disk holding {safe_name(self.folder)}; free some space or "
                "choose another -o (the previous outputs there are unchanged)"
            )
        return OutputError(
            f"Could not write the outputs in {self.folder}: {err}; the previous outputs are unchanged"
        )

    def _lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # Windows: no lock; staging and renames still keep each file whole
            return
        try:  # the folder itself is locked: no lock file is left among the outputs
            fd = os.open(self.folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError as err:
            raise self._write_error(err) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("another geoevents run is writing to %s; waiting for it to finish", self.folder)
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # a filesystem without flock: staging and renames still keep files whole
            pass
        self._lock_fh = fd

    def _unlock(self) -> None:
        if self._lock_fh is not None:
            os.close(self._lock_fh)  # closing releases the flock
            self._lock_fh = None

    # ------------------------------------------------------------------ writing
    def commit(self, summary: dict[str, Any]) -> dict[str, Path]:
        """Write the summary with the manifest, then move the whole set into place (summary last).

        Returns ``{file name: final path}`` for every file of the set.
        """
        names = [n for n in set_names() if n != SUMMARY_NAME and (self.staging / n).exists()]
        manifest = {
            n: {"bytes": (self.staging / n).stat().st_size, "sha256": _sha256(self.staging / n)}
            for n in names
        }
        summary = {**summary, "manifest": manifest}
        try:
            (self.staging / SUMMARY_NAME).write_text(
                json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            order = [*names, SUMMARY_NAME]
            journal = self.folder / _JOURNAL
            tmp = self.staging / _JOURNAL
            tmp.write_text(json.dumps({"staging": self.staging.name, "files": order}), encoding="utf-8")
            _fsync_all(self.staging, order)
            os.replace(tmp, journal)  # from here on, a crash is finished by the next run
        except OSError as err:
            raise self._write_error(err) from None
        _roll_forward(self.folder, self.staging, order)
        journal.unlink()
        self.committed = {n: self.folder / n for n in order}
        return self.committed


def _fsync_all(folder: Path, names: Sequence[str]) -> None:
    """Flush the staged files to disk before the renames, so a power cut cannot leave empty files."""
    for name in names:
        path = folder / name
        if path.exists():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def _roll_forward(folder: Path, staging: Path, order: Sequence[str]) -> None:
    for name in order:
        src = staging / name
        if src.exists():
            os.replace(src, folder / name)
    for name in set_names():  # an optional member the new set lacks belongs to the old one
        if name not in order:
            with contextlib.suppress(FileNotFoundError):
                (folder / name).unlink()
    shutil.rmtree(staging, ignore_errors=True)


def recover(folder: Path) -> None:
    """Finish a commit a crash interrupted, and remove what dead runs left behind.

    Called with the folder's lock held, so no staging folder or temp file here is in use.
    """
    journal = folder / _JOURNAL
    if journal.exists():
        try:
            data = json.loads(journal.read_text(encoding="utf-8"))
            staging = folder / str(data["staging"])
            order = [str(n) for n in data["files"]]
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("%s: unreadable commit journal; removed", journal)
        else:
            if staging.parent == folder and staging.name.startswith(_STAGING_PREFIX) and staging.is_dir():
                log.warning("%s: finishing the output set a stopped run had written", folder)
                _roll_forward(folder, staging, [n for n in order if n in set_names()])
        journal.unlink(missing_ok=True)
    stale = re.compile(
        r"^("
        + re.escape(_STAGING_PREFIX)
        + r".*|\.("
        + "|".join(re.escape(n) for n in set_names())
        + r")\..*\.tmp)$"
    )
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if stale.match(entry.name) and entry.is_dir(follow_symlinks=False):
                log.info("removing %s, left by a run that was stopped", entry.path)
                shutil.rmtree(entry.path, ignore_errors=True)
