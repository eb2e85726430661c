"""A GeoParquet event store: columnar, typed, streamable, readable by geopandas, DuckDB and GDAL.

One row per event location (the shape of :meth:`Event.rows`), a WKB point ``geometry`` column in
OGC:CRS84 (lon, lat) and GeoParquet 1.1 ``geo`` metadata. Events are written in row groups
through ``pyarrow.parquet.ParquetWriter``, so a million events stream to disk without being held
in memory, and every write goes to a file beside the target that replaces it only when complete.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geoevents.errors import InputError, OutputError, OutputExists
from geoevents.outputs import atomic_target
from geoevents.records import EVENT_COLUMNS, Event

if TYPE_CHECKING:
    import geopandas
    import pyarrow as pa

__all__ = ["GeoParquetWriter", "append_geoparquet", "read_geoparquet", "write_geoparquet"]

GEOPARQUET_VERSION = "1.1.0"
ROW_GROUP_SIZE = 5_000  # rows; one group is buffered (~5 KB a row while encoding: evidence is long)

_INT_COLUMNS = {
    "location_index",
    "n_locations",
    "geonameid",
    "place_id",
    "geo_precision",
    "killed",
    "injured",
    "n_sources",
}
_FLOAT_COLUMNS = {"lat", "lon"}
_DATE_COLUMNS = {"event_date"}


def _schema() -> pa.Schema:
    import pyarrow as pa

    def type_of(name: str) -> pa.DataType:
        if name in _INT_COLUMNS:
            return pa.int64()
        if name in _FLOAT_COLUMNS:
            return pa.float64()
        if name in _DATE_COLUMNS:
            return pa.date32()  # typed, so date filters work in pandas/DuckDB without parsing
        return pa.string()

    fields = [pa.field(name, type_of(name)) for name in EVENT_COLUMNS]
    fields.append(pa.field("geometry", pa.binary()))
    return pa.schema(fields)


def _geo_metadata(bbox: list[float] | None) -> bytes:
    column: dict[str, Any] = {
        "encoding": "WKB",
        "geometry_types": ["Point"],
        # no "crs" key: GeoParquet's default, OGC:CRS84, is exactly lon/lat on WGS 84
    }
    if bbox is not None:
        column["bbox"] = bbox
    meta = {"version": GEOPARQUET_VERSION, "primary_column": "geometry", "columns": {"geometry": column}}
    return json.dumps(meta).encode()


def _check_dir(path: Path) -> None:
    if not path.parent.is_dir():
        raise OutputError(f"Cannot write {path}: directory {path.parent} does not exist; create it first")


class GeoParquetWriter:
    """Write events to a GeoParquet file in row groups, as they come.

    Rows are buffered up to ``row_group_size`` and then written as one row group, so memory is
    bounded by one row group whatever the number of events. The file is written beside ``path``
    and moved into place by :meth:`close` (or leaving the ``with`` block without an error); an
    error leaves ``path`` untouched.

    Parameters
    ----------
    path : path
        Target ``.parquet`` file.
    overwrite : bool
        Replace an existing file; otherwise an existing ``path`` raises ``OutputExists``.
    row_group_size : int
        Rows per row group: larger groups compress and scan better, smaller ones use less memory.

    Examples
    --------
    >>> with GeoParquetWriter("events.parquet") as out:          # doctest: +SKIP
    ...     for batch in batches_of_events:
    ...         out.write(batch)

    """

    def __init__(
        self, path: str | os.PathLike[str], *, overwrite: bool = False, row_group_size: int = ROW_GROUP_SIZE
    ) -> None:
        import pyarrow.parquet as pq

        self.path = Path(path)
        if self.path.exists() and not overwrite:
            raise OutputExists(f"{self.path} exists; pass overwrite=True (CLI: --overwrite) to replace it")
        _check_dir(self.path)
        self.row_group_size = row_group_size
        self.n_rows = 0
        self._buffered = 0
        self._columns: dict[str, list[Any]] = {name: [] for name in EVENT_COLUMNS}  # no dict per row
        self._bbox = [math.inf, math.inf, -math.inf, -math.inf]
        self._schema = _schema()
        self._target = atomic_target(self.path, overwrite=overwrite)
        self._tmp = self._target.__enter__()
        self._writer = pq.ParquetWriter(
            self._tmp,
            self._schema.with_metadata({b"geo": _geo_metadata(None)}),
            store_schema=False,  # else readers take the stored Arrow schema's "geo", without bbox
            compression="zstd",
        )
        self._closed = False

    def write(self, events: Iterable[Event]) -> None:
        """Add events; full row groups are written to disk immediately."""
        for event in events:
            self.write_rows(event.rows())

    def write_rows(self, rows: Iterable[dict[str, Any]]) -> None:
        """Add rows already in :meth:`Event.rows` form (used to copy an existing store)."""
        columns = self._columns
        for row in rows:
            for name in EVENT_COLUMNS:
                value = row.get(name)
                if name in _DATE_COLUMNS and isinstance(value, str):
                    value = dt.date.fromisoformat(value)
                columns[name].append(value)
            self._buffered += 1
            if self._buffered >= self.row_group_size:
                self._flush()

    def _flush(self) -> None:
        if not self._buffered:
            return
        import pyarrow as pa

        self._writer.write_table(self._table(self._columns))
        pa.default_memory_pool().release_unused()  # hand the group's buffers back: flat RSS
        self.n_rows += self._buffered
        self._buffered = 0
        self._columns = {name: [] for name in EVENT_COLUMNS}

    def _table(self, columns: dict[str, list[Any]]) -> pa.Table:
        import pyarrow as pa
        import shapely

        lon, lat = columns["lon"], columns["lat"]
        located = [x is not None and y is not None for x, y in zip(lon, lat, strict=True)]
        points = shapely.points(
            [x if ok else 0.0 for x, ok in zip(lon, located, strict=True)],
            [y if ok else 0.0 for y, ok in zip(lat, located, strict=True)],
        )
        wkb = shapely.to_wkb(points, flavor="iso", byte_order=1)
        # an event without a location keeps its row, with a null geometry
        geometry = [bytes(w) if ok else None for w, ok in zip(wkb, located, strict=True)]
        for x, y, ok in zip(lon, lat, located, strict=True):
            if ok:
                b = self._bbox
                b[0], b[1], b[2], b[3] = min(b[0], x), min(b[1], y), max(b[2], x), max(b[3], y)
        arrays = [pa.array(columns[name], type=self._schema.field(name).type) for name in EVENT_COLUMNS]
        arrays.append(pa.array(geometry, type=pa.binary()))
        return pa.Table.from_arrays(arrays, schema=self._schema)

    def close(self) -> Path:
        """Write the last row group and the footer, and move the file into place."""
        if self._closed:
            return self.path
        self._flush()
        bbox = self._bbox if math.isfinite(self._bbox[0]) else None
        self._writer.add_key_value_metadata({"geo": _geo_metadata(bbox).decode()})  # bbox known now
        self._writer.close()
        self._closed = True
        self._target.__exit__(None, None, None)
        return self.path

    def abort(self) -> None:
        """Drop what was written; ``path`` is left as it was."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):
            self._writer.close()
        err = RuntimeError("aborted")
        with contextlib.suppress(RuntimeError):
            self._target.__exit__(RuntimeError, err, None)

    def __enter__(self) -> GeoParquetWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def write_geoparquet(
    events: Iterable[Event],
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    row_group_size: int = ROW_GROUP_SIZE,
) -> Path:
    """Write ``events`` (any iterable, consumed once and lazily) to a new GeoParquet file.

    Raises
    ------
    OutputExists
        ``path`` exists and ``overwrite`` is False.
    OutputError
        The directory of ``path`` does not exist.

    """
    with GeoParquetWriter(path, overwrite=overwrite, row_group_size=row_group_size) as out:
        out.write(events)
    return Path(path)


def append_geoparquet(
    events: Iterable[Event], path: str | os.PathLike[str], *, row_group_size: int = ROW_GROUP_SIZE
) -> Path:
    """Add ``events`` to the GeoParquet store at ``path``, creating it if needed.

    Parquet files cannot grow in place, so the existing rows are copied row group by row group
    into a new file beside ``path``, the new events follow, and the new file replaces the old
    one: memory stays at one row group, and a crash leaves the old store intact. Appending is
    therefore linear in the store's size; for one long run, prefer one
    :class:`GeoParquetWriter` (or :func:`write_geoparquet` over a generator).

    Raises
    ------
    InputError
        ``path`` exists but is not a geoevents GeoParquet store (other columns or types).

    """
    path = Path(path)
    if not path.exists():
        return write_geoparquet(events, path, row_group_size=row_group_size)
    with (
        _open_store(path) as existing,
        GeoParquetWriter(path, overwrite=True, row_group_size=row_group_size) as out,
    ):
        for batch in existing.iter_batches(batch_size=row_group_size, columns=list(EVENT_COLUMNS)):
            out.write_rows(_rows_of(batch))
        out.write(events)
    return path


def _rows_of(batch: Any) -> Iterator[dict[str, Any]]:
    names = batch.schema.names
    columns = [batch.column(i).to_pylist() for i in range(len(names))]
    for values in zip(*columns, strict=True):
        yield dict(zip(names, values, strict=True))


def _open_store(path: Path) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not path.is_file():
        raise InputError(f"No GeoParquet store at {path}; write one with write_geoparquet or --parquet")
    try:
        store = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as err:
        raise InputError(
            f"{path} is not a readable Parquet file ({err}); was it written by geoevents?"
        ) from err
    found = store.schema_arrow.remove_metadata()
    if not found.equals(_schema()):
        store.close()
        missing = sorted(set(_schema().names) - set(found.names))
        raise InputError(
            f"{path} is not a geoevents GeoParquet store (columns or types differ"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + "); write to a new file instead"
        )
    return store


def read_geoparquet(path: str | os.PathLike[str]) -> geopandas.GeoDataFrame:
    """Read a GeoParquet event store into a GeoDataFrame (OGC:CRS84, one row per location).

    Integer columns come back as pandas' nullable ``Int64`` (so ``killed`` keeps "not reported"
    apart from 0), ``event_date`` as ``datetime.date`` values or None; events without a
    location have a missing geometry.
    """
    import geopandas
    import pandas as pd
    import pyarrow as pa

    path = Path(path)
    _open_store(path).close()
    types = {pa.int64(): pd.Int64Dtype()}
    return geopandas.read_parquet(path, to_pandas_kwargs={"types_mapper": types.get})
