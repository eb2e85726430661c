"""The typed interface the geoparser needs from a gazetteer (``SQLiteGazetteer`` implements it).

Anything with these methods can stand behind :class:`~geoevents.geoparse.Geoparser`: the parser
looks names up in one batch per document (``lookup_keys``), falls back to a fuzzy search for a
given span with no exact entry (``candidates``), and reads the demonym and country-name tables
once per gazetteer (``demonyms``, ``country_names``, ``country``). ``path`` identifies the index,
so that parsers on the same file share those tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol, runtime_checkable

from geoevents.records import Place

__all__ = ["Gazetteer"]


@runtime_checkable
class Gazetteer(Protocol):
    """What the geoparser calls on a gazetteer."""

    path: Path

    def lookup_keys(self, keys: Iterable[str], *, include_codes: bool = True) -> dict[str, list[Place]]:
        """Map each normalized name key to its places, best first, for many keys in one query."""
        ...

    def candidates(self, name: str, *, country: str | None = None, limit: int = 20) -> list[Place]:
        """Ranked places for a written name, with variant and fuzzy fallbacks."""
        ...

    def demonyms(self) -> dict[str, str]:
        """Demonym ("iraqi") -> ISO country code."""
        ...

    def country_names(self) -> dict[str, str]:
        """Country name or alias -> ISO country code."""
        ...

    def country(self, code: str) -> Place | None:
        """Return the country entry for an ISO 3166-1 alpha-2 code."""
        ...
