"""One error family for everything geoevents raises on purpose.

Each member is also the matching builtin, so callers may catch either ``GeoeventsError`` or
``ValueError``/``FileNotFoundError``/..., and each message says what happened, to which input,
and what to do next.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "GazetteerCorrupt",
    "GazetteerError",
    "GazetteerNotFound",
    "GeoeventsError",
    "GeoeventsWarning",
    "InputError",
    "MissingDependency",
    "OnError",
    "OutputError",
    "OutputExists",
    "Report",
    "UsageError",
    "check_policy",
]


class GeoeventsError(Exception):
    """Base of every error geoevents raises on purpose."""


class InputError(GeoeventsError, ValueError):
    """An article or input file that cannot be read: empty, binary, undecodable, malformed."""


class GazetteerError(GeoeventsError, RuntimeError):
    """The gazetteer index cannot be used."""


class GazetteerNotFound(GazetteerError, FileNotFoundError):
    """No gazetteer index at the given path."""


class GazetteerCorrupt(GazetteerError):
    """The gazetteer file exists but is truncated, corrupt or of the wrong schema version."""


class OutputError(GeoeventsError, OSError):
    """An output cannot be written (directory missing or not writable)."""


class OutputExists(OutputError, FileExistsError):
    """An output exists and ``overwrite`` was not given."""


class MissingDependency(GeoeventsError, ImportError):
    """An optional dependency is needed for this feature and is not installed."""


class UsageError(GeoeventsError, ValueError):
    """The command line (or call) asks for something that cannot be done as given: the CLI exits 2."""


class GeoeventsWarning(UserWarning):
    """What ``on_error='warn'`` emits."""


_log = logging.getLogger("geoevents")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _printable(message: str) -> str:
    """Messages end up in UTF-8 files: no lone surrogates (see ``ingest.decode.clean_text``)."""
    return _SURROGATE.sub("\ufffd", message)


OnError = Literal["raise", "warn", "skip"]
_POLICIES = ("raise", "warn", "skip")


def check_policy(policy: str) -> OnError:
    """Return ``policy`` if valid, else raise a ``ValueError`` naming the valid values."""
    if policy not in _POLICIES:
        raise InputError(f"on_error must be one of {', '.join(_POLICIES)}; got {policy!r}")
    return policy  # type: ignore[return-value]


@dataclass
class Report:
    """What a run did not turn into records, and why: returned, never only logged."""

    read: int = 0
    processed: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(
        default_factory=Counter
    )  # processed, but worth knowing (lossy decode, truncation)
    messages: list[str] = field(default_factory=list)

    def handle(self, policy: OnError, err: GeoeventsError, reason: str) -> None:
        """Raise ``err`` under 'raise'; otherwise count the skip under ``reason`` (and warn)."""
        if policy == "raise":
            raise err
        self.skipped[reason] += 1
        message = _printable(str(err))
        if len(self.messages) < 1000:
            self.messages.append(message)
        if policy == "warn":
            warnings.warn(message, GeoeventsWarning, stacklevel=3)

    def note(self, reason: str, message: str) -> None:
        """Record something repaired or guessed about an input that was still read (logged as a warning)."""
        message = _printable(message)
        _log.warning("%s", message)
        notes = getattr(self, "notes", None)
        if isinstance(notes, Counter):
            notes[reason] += 1
        if len(self.messages) < 1000:
            self.messages.append(f"note: {message}")

    @property
    def n_skipped(self) -> int:
        """Total number of skipped items."""
        return sum(self.skipped.values())

    def merge(self, other: Report) -> None:
        """Add another report's counts to this one (used when combining worker results)."""
        self.read += other.read
        self.processed += other.processed
        self.skipped.update(other.skipped)
        self.notes.update(other.notes)
        self.messages.extend(other.messages[: max(0, 1000 - len(self.messages))])

    def summary(self) -> str:
        """One line for people: 'read 5, processed 5; skipped: 2 unresolved place'."""
        text = f"read {self.read}, processed {self.processed}"
        if self.skipped:
            text += "; skipped: " + ", ".join(f"{n} {why}" for why, n in self.skipped.most_common())
        if self.notes:
            text += "; notes: " + ", ".join(f"{n} {why}" for why, n in self.notes.most_common())
        return text

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form for the run summary written beside the outputs."""
        return {
            "read": self.read,
            "processed": self.processed,
            "skipped": dict(self.skipped),
            "n_skipped": self.n_skipped,
            "notes": dict(self.notes),
            "messages": self.messages[:100],
        }
