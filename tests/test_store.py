"""GeoParquet event store: round trip through geopandas, append, streaming row groups, atomicity."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from geoevents.errors import InputError, OutputError, OutputExists
from geoevents.eventstore import GeoParquetWriter, append_geoparquet, read_geoparquet, write_geoparquet
from geoevents.records import EVENT_COLUMNS, Event, EventLocation


def make_event(i: int, n_locations: int = 1) -> Event:
    locations = tuple(
        EventLocation(
            place_name=f"Place {i}-{j}",
            lat=33.0 + j + i / 1000,
            lon=44.0 - j,
            geonameid=1000 + i,
            place_id=i,
            resolved_name=f"Place {i}",
            feature_code="PPL",
            country_code="IQ",
            geo_precision=1 + j % 3,
            location_relation="near" if j else None,
        )
        for j in range(n_locations)
    )
    return Event(
        event_id=f"ev{i:04d}",
        event_type="strike" if i % 2 else "attack",
        sub_event_type="air strike",
        actor1="United States",
        actor2=None,
        event_date=dt.date(2024, 2, 1 + i % 28) if i % 5 else None,
        date_precision="day",
        locations=locations,
        killed=i % 4 if i % 3 else None,
        injured=None,
        evidence=("a strike hit", "Al-Qa'im"),
        source_ids=(f"a{i}",),
        source_titles=("Ünïcode — title",),
    )


@pytest.fixture
def events() -> list[Event]:
    return [make_event(i, n_locations=i % 3) for i in range(12)]  # 0, 1 and 2 locations


def expected_rows(events: list[Event]) -> list[dict[str, object]]:
    return [row for e in events for row in e.rows()]


def frame_rows(path: Path) -> list[dict[str, object]]:
    df = read_geoparquet(path)
    rows = []
    for rec in df.drop(columns="geometry").to_dict("records"):
        rec = {k: (None if v is None or v != v else v) for k, v in rec.items()}  # NaN/NA -> None
        if rec["event_date"] is not None:
            rec["event_date"] = rec["event_date"].isoformat()
        rows.append(
            {
                k: (int(v) if hasattr(v, "__int__") and not isinstance(v, (float, str)) else v)
                for k, v in rec.items()
            }
        )
    return rows


def test_round_trip_through_geopandas(tmp_path: Path, events: list[Event]) -> None:
    path = write_geoparquet(events, tmp_path / "events.parquet")
    df = read_geoparquet(path)
    assert list(df.columns) == [*EVENT_COLUMNS, "geometry"]
    assert frame_rows(path) == expected_rows(events)
    assert df.crs is not None and df.crs.equals("OGC:CRS84")
    located = df[df.geometry.notna()]
    assert located.geometry.x.tolist() == pytest.approx(located["lon"].tolist())  # x is lon
    assert located.geometry.y.tolist() == pytest.approx(located["lat"].tolist())
    assert df.loc[df["n_locations"] == 0, "geometry"].isna().all()  # no location: null geometry
    assert str(df["killed"].dtype) == "Int64"  # "not reported" stays apart from 0
    assert list(tmp_path.iterdir()) == [path]  # no temp file left beside it


def test_geoparquet_metadata(tmp_path: Path, events: list[Event]) -> None:
    path = write_geoparquet(events, tmp_path / "events.parquet")
    geo = json.loads(pq.ParquetFile(path).schema_arrow.metadata[b"geo"])
    assert geo["version"] == "1.1.0" and geo["primary_column"] == "geometry"
    col = geo["columns"]["geometry"]
    assert col["encoding"] == "WKB" and col["geometry_types"] == ["Point"]
    lons = [loc.lon for e in events for loc in e.locations]
    lats = [loc.lat for e in events for loc in e.locations]
    assert col["bbox"] == pytest.approx([min(lons), min(lats), max(lons), max(lats)])
    assert pq.ParquetFile(path).schema_arrow.field("event_date").type == "date32[day]"


def test_streams_in_row_groups(tmp_path: Path) -> None:
    produced = 0

    def stream() -> Iterator[Event]:
        nonlocal produced
        for i in range(1000):
            produced += 1
            yield make_event(i)

    path = write_geoparquet(stream(), tmp_path / "big.parquet", row_group_size=128)
    meta = pq.ParquetFile(path).metadata
    assert meta.num_rows == 1000 and produced == 1000
    assert meta.num_row_groups == 8  # 7 full groups of 128 and the rest: never all in memory


def test_writer_flushes_as_it_goes(tmp_path: Path) -> None:
    with GeoParquetWriter(tmp_path / "w.parquet", row_group_size=10) as out:
        out.write(make_event(i) for i in range(25))
        assert out.n_rows == 20 and out._buffered == 5  # two groups on disk, five buffered
        assert not (tmp_path / "w.parquet").exists()  # only moved into place when complete
    assert pq.ParquetFile(tmp_path / "w.parquet").metadata.num_rows == 25


def test_append_adds_rows_after_the_existing_ones(tmp_path: Path, events: list[Event]) -> None:
    path = tmp_path / "store.parquet"
    append_geoparquet(events[:5], path)  # creates
    append_geoparquet(events[5:], path, row_group_size=4)
    assert frame_rows(path) == expected_rows(events)
    assert list(tmp_path.iterdir()) == [path]


def test_write_refuses_to_clobber(tmp_path: Path, events: list[Event]) -> None:
    path = write_geoparquet(events, tmp_path / "e.parquet")
    with pytest.raises(OutputExists, match="overwrite"):
        write_geoparquet(events[:1], path)
    write_geoparquet(events[:1], path, overwrite=True)
    assert len(read_geoparquet(path)) == 1


def test_failure_midway_leaves_the_old_store(tmp_path: Path, events: list[Event]) -> None:
    path = write_geoparquet(events, tmp_path / "e.parquet")
    before = path.read_bytes()

    def broken() -> Iterator[Event]:
        yield from events
        raise RuntimeError("reader died")

    with pytest.raises(RuntimeError, match="reader died"):
        append_geoparquet(broken(), path)
    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path]


def test_append_to_a_foreign_parquet_is_refused(tmp_path: Path) -> None:
    import pyarrow as pa

    path = tmp_path / "other.parquet"
    pq.write_table(pa.table({"x": [1, 2]}), path)
    with pytest.raises(InputError, match="not a geoevents GeoParquet store"):
        append_geoparquet([make_event(1)], path)
    with pytest.raises(InputError, match="not a geoevents GeoParquet store"):
        read_geoparquet(path)


def test_read_errors_are_typed(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="No GeoParquet store"):
        read_geoparquet(tmp_path / "missing.parquet")
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(b"not parquet at all")
    with pytest.raises(InputError, match="not a readable Parquet file"):
        read_geoparquet(junk)


def test_missing_directory_is_an_output_error(tmp_path: Path, events: list[Event]) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        write_geoparquet(events, tmp_path / "no" / "such" / "e.parquet")
