"""Geoparsing: find place names in article text and resolve them offline against the gazetteer.

>>> from geoevents.gazetteer import SQLiteGazetteer
>>> from geoevents.geoparse import Geoparser
>>> parser = Geoparser(SQLiteGazetteer.open())            # doctest: +SKIP
>>> [t.place.name for t in parser.parse("Strikes hit Al-Qaim in Iraq.")]   # doctest: +SKIP
['Al Qā’im', 'Iraq']
"""

from geoevents.geoparse.parser import Geoparser, geoparse, resolve_spans
from geoevents.geoparse.relative import relation_before

__all__ = ["Geoparser", "geoparse", "relation_before", "resolve_spans"]
