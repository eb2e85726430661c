"""Name tables read once per gazetteer: demonyms, country names, US states, region aliases.

They are built on a parser's first use and shared by every parser on the same gazetteer file
(keyed by its path); nothing here changes a module-level table.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from geoevents.errors import GeoeventsError
from geoevents.gazetteer.normalize import normalize_name
from geoevents.gazetteer.protocol import Gazetteer
from geoevents.geoparse._lexicon import COMMON_WORDS, NOT_PLACE_PHRASES, NOT_PLACES
from geoevents.geoparse._usstates import COUNTRY_ALIASES, US_STATE_NAMES
from geoevents.records import Place

__all__ = ["ADJECTIVE_ALIASES", "NameTables", "tables_for"]

# continent adjectives and the EU, which gazetteers hold only as the continent
_REGION_ALIASES = {
    "EU": "Europe",
    "E.U.": "Europe",
    "European Union": "Europe",
    "European": "Europe",
    "Europeans": "Europe",
    "African": "Africa",
    "Africans": "Africa",
    "Asian": "Asia",
    "Asians": "Asia",
    "South American": "South America",
    "North American": "North America",
}
ADJECTIVE_ALIASES = frozenset(
    {"european", "europeans", "african", "africans", "asian", "asians", "south american", "north american"}
)
# the constituent nations, often missing from demonym tables
_EXTRA_DEMONYMS = {"English": "GB", "Scottish": "GB", "Welsh": "GB", "British": "GB", "Scots": "GB"}


class NameTables:
    """Structures built once per gazetteer and shared by every Geoparser on it."""

    def __init__(self, gaz: Gazetteer) -> None:
        # re-normalized here so that a table keyed by plain lower case still meets our keys
        self.demonyms: dict[str, str] = {normalize_name(k): v for k, v in gaz.demonyms().items()}
        for k, v in _EXTRA_DEMONYMS.items():
            self.demonyms.setdefault(normalize_name(k), v)
        self.country_names: dict[str, str] = {normalize_name(k): v for k, v in gaz.country_names().items()}
        self.countries: dict[str, Place] = {}
        for iso in set(self.demonyms.values()) | set(self.country_names.values()):
            p = gaz.country(iso)
            if p is not None:
                self.countries[iso] = p
        # two/three-letter keys are ISO codes, mostly ordinary words in text ("IS", "IT", "ME")
        self.country_names = {k: v for k, v in self.country_names.items() if len(k.replace(" ", "")) > 3}
        for alias, iso in COUNTRY_ALIASES.items():
            k = normalize_name(alias)
            if k and k not in self.country_names:
                self.country_names[k] = iso
        for iso in set(self.country_names.values()) - set(self.countries):
            p = gaz.country(iso)
            if p is not None:
                self.countries[iso] = p
        # the 50 states + DC, for "Alexandria, La." style qualifiers and mentions
        skeys = {code: normalize_name(name) for code, name in US_STATE_NAMES.items()}
        found = gaz.lookup_keys(list(skeys.values()))
        self.us_states: dict[str, Place] = {}
        for code, k in skeys.items():
            for p in found.get(k, ()):
                if p.country_code == "US" and p.feature_code == "ADM1" and p.admin1 == code:
                    self.us_states[code] = p
                    break
        self.region_alias: dict[str, str] = {
            normalize_name(a): normalize_name(b) for a, b in _REGION_ALIASES.items()
        }
        self._norm_cache: dict[str, str] = {}
        self.stop_keys = {normalize_name(w) for w in (*NOT_PLACES, *NOT_PLACE_PHRASES)}
        self.common_keys = {normalize_name(w) for w in COMMON_WORDS}

    def countries_named(self, keys: Iterable[str]) -> set[str]:
        """Return the ISO codes of the countries ``keys`` name ("iraq") or name the people of ("iraqi")."""
        out: set[str] = set()
        for k in keys:
            if k in self.country_names:
                out.add(self.country_names[k])
            if k in self.demonyms:
                out.add(self.demonyms[k])
        return out

    def norm(self, s: str) -> str:
        """Return the gazetteer's key for ``s`` ("" when it has none), memoised."""
        k = self._norm_cache.get(s)
        if k is None:
            try:
                k = normalize_name(s)
            except GeoeventsError:
                k = ""
            if len(self._norm_cache) < 500_000:
                self._norm_cache[s] = k
        return k


_CACHE: dict[str, NameTables] = {}
_CACHE_LOCK = threading.Lock()


def tables_for(gaz: Gazetteer) -> NameTables:
    """Return the shared tables of ``gaz``, built on first use (keyed by the index path)."""
    key = str(getattr(gaz, "path", id(gaz)))
    with _CACHE_LOCK:
        t = _CACHE.get(key)
        if t is None:
            t = NameTables(gaz)
            _CACHE[key] = t
    return t
