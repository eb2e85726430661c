"""Property tests: whatever text or bytes arrive, ingest answers with a record or a GeoeventsError."""

# Long lines are fixtures (E501); test names say what they test (D103).

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from geoevents.errors import GeoeventsError, InputError, Report
from geoevents.ingest import parse_published, parse_text_article, read_articles

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

_DATEISH = st.from_regex(
    r"[0-9]{1,2}[/.\- ][0-9]{1,2}[/.\- ][0-9]{2,4}|[A-Za-z]{3,9}\.? [0-9]{1,2},? [0-9]{4,8}( min)?",
    fullmatch=True,
)


@FAST
@given(st.one_of(st.text(), _DATEISH, st.text(alphabet="0123456789/.-: ,FebruaryMay•٠١٢", max_size=40)))
@example("31/02/2024")
@example("Web DeskFebruary 4, 20243084 min")
@example("\x00\ud7ff\U0010ffff")
def test_parse_published_total(text: str) -> None:
    got = parse_published(text)
    assert got is None or (isinstance(got, dt.date) and 1900 <= got.year <= 2099)
    assert parse_published(text) == got  # deterministic


@FAST
@given(st.text(), st.booleans() | st.none())
def test_parse_published_order_param_total(text: str, day_first: bool | None) -> None:
    got = parse_published(text, prefer_day_first=day_first)
    assert got is None or isinstance(got, dt.date)


@FAST
@given(st.text())
@example("• Friday, 22 November 2024\nlogo\n\n")
@example("https://x.example/a.jpg\n")
@example("Related\n\nShare This Post")
def test_parse_text_article_total(raw: str) -> None:
    try:
        art = parse_text_article(raw, id="p", path="p.txt")
    except GeoeventsError as err:
        assert isinstance(err, InputError) and "p.txt" in str(err)
        assert not raw.replace("\x00", "").replace("\ufeff", "").strip()
        return
    assert art.text.strip()
    assert art.id == "p"
    # the body is a slice of the (newline-normalised) input: evidence quotes stay exact
    norm = raw.replace("\x00", "").removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    assert art.text in norm


_SUFFIXES = st.sampled_from([".txt", ".md", ".html", ".jsonl", ".json", ".txt.gz", ".jsonl.gz", ".text"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.binary(max_size=3000) | st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
    suffix=_SUFFIXES,
    gz=st.booleans(),
)
def test_reading_any_file_never_raises_raw(tmp_path_factory, data: bytes, suffix: str, gz: bool) -> None:
    folder = tmp_path_factory.mktemp("prop")
    if gz and not suffix.endswith(".gz"):
        data = gzip.compress(data)
    path = Path(folder) / f"f{suffix}"
    path.write_bytes(data)
    report = Report()
    try:
        arts = list(read_articles([path], report=report, on_error="skip", max_bytes=2048))
    except GeoeventsError:
        raise AssertionError("skip policy must not raise for a single file") from None
    assert report.read == len(arts) + report.n_skipped
    for art in arts:
        assert art.text.strip() and "\x00" not in art.text
    try:
        list(read_articles([path], on_error="raise", max_bytes=2048))
    except GeoeventsError as err:
        assert "\n" not in str(err) and "f" + suffix in str(err)


_TAGS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<script>",
        "</script>",
        "<style>",
        "<div>",
        "<br>",
        "<!--",
        "-->",
        "<html>",
        "<title>",
        "</title>",
        "<meta charset='x'>",
        "&amp;",
        "&#0;",
        "<![CDATA[",
    ]
)


@settings(max_examples=80, deadline=None)
@given(st.lists(_TAGS | st.text(max_size=30), max_size=30).map("".join))
def test_parse_html_article_total(html: str) -> None:
    from geoevents.ingest import parse_html_article

    try:
        art = parse_html_article(html, id="h", path="h.html")
    except GeoeventsError as err:
        assert isinstance(err, InputError) and "h.html" in str(err)
        return
    assert art.text.strip()
