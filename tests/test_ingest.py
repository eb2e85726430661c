"""Ingest: seeds, dates, file kinds, encodings and every bad input a newsroom folder can hold."""

# Arabic fixtures are meant (RUF001); long lines are article fixtures (E501); test names say what they test (D103).
# ruff: noqa: E501

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import sys
import warnings
from pathlib import Path

import pytest

from geoevents.errors import GeoeventsError, GeoeventsWarning, InputError, Report
from geoevents.ingest import (
    iter_input_files,
    parse_html_article,
    parse_published,
    parse_text_article,
    read_article,
    read_articles,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DATA = Path(__file__).parent / "data" / "ingest"

BODY = (
    "A drone strike hit a vehicle near Erbil airport on Tuesday, killing two people, officials said.\n\n"
    "The Kurdistan Region's interior ministry condemned the attack and promised an investigation.\n"
)


def write(path: Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode(encoding)
    path.write_bytes(content)
    return path


# ---------------------------------------------------------------- the five seeds

SEED_EXPECT = {
    "000_c6d1475d1c79559c": (
        "Iraqi Government Denies U.S. Warning, Alleges Civilian Casualties in Airstrikes",
        dt.date(2024, 2, 5),
        {"ICARO Media Group"},
    ),
    "001_a0d824f097a04d37": (
        "Escalating Tensions: US Airstrikes in Iraq Claim Civilian Lives",
        dt.date(2024, 2, 4),
        {"Web Desk", "News Guru"},
    ),
    "002_ab57a92e2d5baa27": (
        "Iraq Criticizes U.S. Drone Strike, Calls for End to Coalition Presence",
        dt.date(2024, 2, 8),
        {"Gulan Media"},
    ),
    "003_ec154ef90b200f76": (
        'Iraqi Government Condemns U.S. Airstrikes on Kataib Hezbollah Fighters as "Dangerous Escalation"',
        dt.date(2023, 11, 22),
        {"ICARO Media Group"},
    ),
    "004_d3a0f2f7f1e39c30": (
        "Iraq Criticizes the US for Attacks on Iran-Backed Forces",
        None,
        {None},
    ),
}


@pytest.mark.parametrize("stem", sorted(SEED_EXPECT))
def test_seed_title_date_source(stem: str) -> None:
    title, published, sources = SEED_EXPECT[stem]
    article = read_article(SEEDS / f"{stem}.txt")
    assert article.id == stem
    assert article.title == title
    assert article.published == published
    assert article.source in sources
    assert article.path == str(SEEDS / f"{stem}.txt")


def test_seed_bodies_keep_content_and_drop_header_and_footer() -> None:
    arts = {a.id: a for a in read_articles([SEEDS])}
    assert list(arts) == sorted(SEED_EXPECT)
    raw = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    for stem, art in arts.items():
        assert art.text in raw[stem]  # characters unchanged: a contiguous slice of the file
        assert art.title not in art.text.split("\n")[0]
        for junk in (
            "Share This Post",
            "Related Stories",
            "No stories found.",
            "All Rights Reserved",
            "The views expressed in this article",
            "21h33",
            "logo",
        ):
            assert junk not in art.text, (stem, junk)
    assert arts["000_c6d1475d1c79559c"].text.startswith("In response to attacks by local militant groups")
    assert arts["000_c6d1475d1c79559c"].text.endswith("stability in the Middle East.")
    assert arts["002_ab57a92e2d5baa27"].text.endswith("heightened tensions in the region.")  # "Top" gone
    assert arts["004_d3a0f2f7f1e39c30"].text.endswith("spokesman for military affairs.")
    # "Also Read:" lines are kept (the events stage decides)
    assert "Also Read:\u00a0Israel Launches Airstrikes on Gaza" in arts["001_a0d824f097a04d37"].text
    # ICARO prints a photo URL in its header: kept as url when nothing better
    assert arts["000_c6d1475d1c79559c"].url.startswith("https://icaro.icaromediagroup.com/")
    assert arts["004_d3a0f2f7f1e39c30"].url is None


def test_seed_ids_and_report_counts() -> None:
    report = Report()
    arts = list(read_articles([SEEDS], report=report))
    assert len(arts) == 5 and report.read == 5 and report.n_skipped == 0 and report.processed == 0


# ---------------------------------------------------------------- parse_published


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/02/2024 21h33", dt.date(2024, 2, 5)),
        ("22/11/2023 21h37", dt.date(2023, 11, 22)),
        ("Web DeskFebruary 4, 20243084 min", dt.date(2024, 2, 4)),
        ("Gulan Media February 8, 2024 News", dt.date(2024, 2, 8)),
        ("By Jane Doe | Feb. 8, 2024 | 3 min read", dt.date(2024, 2, 8)),
        ("Published 8th of February 2024", dt.date(2024, 2, 8)),
        ("2024-02-05T10:00:00Z", dt.date(2024, 2, 5)),
        ("2024-02-05", dt.date(2024, 2, 5)),
        ("03/04/2024", dt.date(2024, 4, 3)),  # ambiguous: day-first
        ("03/04/2024 and later 11/22/2023", dt.date(2024, 3, 4)),  # the text shows month-first
        ("11/22/2023", dt.date(2023, 11, 22)),  # unambiguous month-first
        ("05.02.2024", dt.date(2024, 2, 5)),
        ("05/02/24", dt.date(2024, 2, 5)),
        ("٠٥/٠٢/٢٠٢٤", dt.date(2024, 2, 5)),  # Eastern Arabic digits
        ("31/02/2024", None),  # impossible
        ("30/13/2024", None),
        ("February 30, 2024", None),
        ("February 2024", None),  # no day
        ("yesterday", None),
        ("3 days ago", None),
        ("today", None),
        ("3 min read", None),
        ("version 1.2.33", None),
        ("", None),
        ("Mayor 4, 2024 was elected", None),
    ],
)
def test_parse_published(text: str, expected: dt.date | None) -> None:
    assert parse_published(text) == expected


def test_parse_published_order_parameter() -> None:
    assert parse_published("03/04/2024", prefer_day_first=True) == dt.date(2024, 4, 3)
    assert parse_published("03/04/2024", prefer_day_first=False) == dt.date(2024, 3, 4)
    assert parse_published("22/11/2023", prefer_day_first=False) == dt.date(2023, 11, 22)


def test_page_banner_is_not_the_publication_date() -> None:
    header = "• Friday, 22 November 2024\nlogo\n\nTitle\n\nGulan Media February 8, 2024 News"
    assert parse_published(header) == dt.date(2024, 2, 8)
    assert parse_published("• Friday, 22 November 2024") == dt.date(2024, 11, 22)  # nothing better


def test_parse_published_other_languages_via_dateparser() -> None:
    assert parse_published("Publié le 5 février 2024") == dt.date(2024, 2, 5)
    assert parse_published("٥ فبراير ٢٠٢٤") == dt.date(2024, 2, 5)


def test_page_banner_in_text_article() -> None:
    raw = (
        "• Friday, 22 November 2024\nlogo\n\nStrike near Erbil\n\nGulan Media February 8, 2024 News\n" + BODY
    )
    art = parse_text_article(raw, id="x")
    assert art.title == "Strike near Erbil"
    assert art.published == dt.date(2024, 2, 8)
    assert art.source == "Gulan Media"
    assert art.text == BODY.strip()
    # banner only: used as a last resort, a body date never is
    art = parse_text_article("• Friday, 22 November 2024\nStrike near Erbil\n" + BODY, id="y")
    assert art.published == dt.date(2024, 11, 22)
    art = parse_text_article(
        "Strike near Erbil\n\nOn 05/02/2024 a drone struck a car, officials said.\n", id="z"
    )
    assert art.published is None


def test_text_article_without_date_is_none_not_today() -> None:
    art = parse_text_article("Title\n\n" + BODY, id="a")
    assert art.published is None and art.title == "Title"


def test_unknown_short_line_stays_in_text_unless_metadata_follows() -> None:
    art = parse_text_article("Strike near Erbil\nFebruary 8, 2024\nERBIL, Iraq -\n" + BODY, id="d")
    assert art.text.startswith("ERBIL, Iraq -\n") and art.published == dt.date(2024, 2, 8)
    art = parse_text_article("Strike near Erbil\nJane Doe\nFebruary 8, 2024\n\n" + BODY, id="d")
    assert art.text == BODY.strip()


def test_text_article_standfirst_stays_in_text() -> None:
    raw = (
        "Strike near Erbil\nICARO Media Group\n05/02/2024 21h33\nIraq says two people died in a drone strike near the airport\n\n"
        + BODY
    )
    art = parse_text_article(raw, id="a")
    assert art.text.startswith("Iraq says two people died")
    assert art.source == "ICARO Media Group"


def test_text_article_prefers_page_url_over_image_url() -> None:
    raw = (
        "Strike near Erbil\nhttps://cdn.example.com/images/photo.jpg\nhttps://news.example.com/a/strike\n"
        "05/02/2024\n\n" + BODY
    )
    assert parse_text_article(raw, id="a").url == "https://news.example.com/a/strike"


def test_markdown_title_and_crlf() -> None:
    raw = "# Strike near Erbil\r\n\r\nFebruary 8, 2024\r\n\r\n" + BODY.replace("\n", "\r\n")
    art = parse_text_article(raw, id="md")
    assert art.title == "Strike near Erbil" and art.published == dt.date(2024, 2, 8)
    assert "\r" not in art.text and art.text == BODY.strip()


def test_arabic_text_passes_through_unchanged() -> None:
    body = "قصفت طائرة مسيرة سيارة قرب مطار أربيل صباح الثلاثاء، ما أسفر عن مقتل شخصين.\nوقال مسؤولون إن التحقيق جار.\n"
    art = parse_text_article("غارة قرب أربيل\n\n" + body, id="ar")
    assert art.title == "غارة قرب أربيل"
    assert art.text == body.strip()


def test_title_only_file_keeps_its_text() -> None:
    art = parse_text_article("Just one short line", id="one")
    assert art.text == "Just one short line"


@pytest.mark.parametrize("raw", ["", "   \n\t\n", "\ufeff\n"])
def test_parse_text_article_empty_raises(raw: str) -> None:
    with pytest.raises(InputError, match="empty"):
        parse_text_article(raw, id="e", path="e.txt")


# ---------------------------------------------------------------- HTML

HTML_PAGE = """<!DOCTYPE html><html><head>
<title>Drone strike near Erbil airport - Kurdistan News</title>
<meta property="og:site_name" content="Kurdistan News">
<link rel="canonical" href="https://kurdistan.example/news/drone-strike-erbil">
<meta property="article:published_time" content="2024-02-08T09:30:00+03:00">
<script>var TRACKING_SECRET = "SCRIPT-TEXT-MUST-NOT-LEAK";</script>
<style>.headline { color: red } /* STYLE-TEXT */</style>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Drone strike near Erbil airport</h1>
<p>A drone strike hit a vehicle near Erbil airport on Tuesday, killing two people, officials said.
The Kurdistan Region's interior ministry condemned the attack.</p>
<script>document.write("INLINE-SCRIPT-MUST-NOT-LEAK")</script>
<p>Security forces closed the road to the airport for several hours while investigators examined the wreckage
and collected fragments of the drone for analysis, the ministry said in a statement on its website.</p>
</article><footer>© 2024 Kurdistan News. All rights reserved.</footer></body></html>"""


def test_html_article_metadata_and_no_script() -> None:
    art = parse_html_article(HTML_PAGE, id="h", path="h.html")
    assert "drone strike hit a vehicle near Erbil airport" in art.text
    assert "collected fragments of the drone" in art.text
    for leak in ("SCRIPT-TEXT", "INLINE-SCRIPT", "STYLE-TEXT", "color: red"):
        assert leak not in art.text
    assert art.title and art.title.startswith("Drone strike near Erbil airport")
    assert art.url == "https://kurdistan.example/news/drone-strike-erbil"
    assert art.published == dt.date(2024, 2, 8)
    assert art.source == "Kurdistan News"


def test_tiny_html_falls_back_to_tag_stripping() -> None:
    html = "<html><head><title>T</title><script>alert('LEAK')</script><style>p{}</style></head><body><p>Blast in Kirkuk.</p></body></html>"
    art = parse_html_article(html, id="tiny", url="https://example.com/x")
    assert "Blast in Kirkuk." in art.text and "LEAK" not in art.text and "p{}" not in art.text
    assert art.url == "https://example.com/x"


def test_html_strip_fallback_directly() -> None:
    from geoevents.ingest.html import _strip_tags, _strip_tags_stdlib

    html = "<html><head><title>T</title><script>x='LEAK'</script></head><body><p>One</p><div>Two<!-- c --></div></body></html>"
    for strip in (_strip_tags, _strip_tags_stdlib):
        text, title = strip(html)
        assert text.split() == ["One", "Two"] and title == "T"


def test_html_without_text_is_input_error() -> None:
    with pytest.raises(InputError, match="no visible text"):
        parse_html_article("<html><head><script>x=1</script></head><body> </body></html>", id="n")


def test_html_file_read_by_suffix_and_by_content(tmp_path: Path) -> None:
    write(tmp_path / "page.html", HTML_PAGE)
    write(tmp_path / "saved.txt", HTML_PAGE)  # saved page with the wrong suffix
    arts = list(read_articles([tmp_path]))
    assert [a.id for a in arts] == ["page", "saved"]
    assert all("INLINE-SCRIPT" not in a.text and a.published == dt.date(2024, 2, 8) for a in arts)


# ---------------------------------------------------------------- JSON Lines and JSON


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    rows = [
        json.dumps(
            {
                "id": "a1",
                "title": "T1",
                "text": "Strike in Mosul.",
                "url": "https://x.example/1",
                "published": "2024-02-08T10:00:00Z",
                "source": "X",
            }
        ),
        json.dumps({"body": "Attack in Basra.", "date": "05/02/2024"}),
        "",
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps(["a", "list"]),
        json.dumps(
            {"content": "Raid in Kirkuk.", "pubdate": "February 4, 2024", "url": "javascript:alert(1)"}
        ),
    ]
    path = write(tmp_path / "feed.jsonl", "\n".join(rows) + "\n")
    report = Report()
    arts = list(read_articles([path], report=report))
    assert [a.id for a in arts] == ["a1", "feed:2", "feed:7"]
    assert arts[0].published == dt.date(2024, 2, 8) and arts[0].url == "https://x.example/1"
    assert arts[0].path == f"{path}:1" and arts[0].source == "X" and arts[0].title == "T1"
    assert arts[1].text == "Attack in Basra." and arts[1].published == dt.date(2024, 2, 5)
    assert arts[2].url is None and arts[2].published == dt.date(2024, 2, 4)
    assert report.read == 6 and report.n_skipped == 3 and report.skipped["bad JSON line"] == 3
    assert any(f"{path}:4" in m and "not valid JSON" in m for m in report.messages)
    assert any(f"{path}:5" in m and "'text'" in m for m in report.messages)
    with pytest.raises(InputError, match=r"feed\.jsonl:4: not valid JSON"):
        list(read_articles([path], on_error="raise"))


def test_jsonl_gz_and_ndjson(tmp_path: Path) -> None:
    data = "\n".join(json.dumps({"text": f"Strike number {i} near Sinjar."}) for i in range(3)).encode()
    write(tmp_path / "a.jsonl.gz", gzip.compress(data))
    write(tmp_path / "b.ndjson", data)
    arts = list(read_articles([tmp_path]))
    assert [a.id for a in arts] == ["a:1", "a:2", "a:3", "b:1", "b:2", "b:3"]


def test_jsonl_line_longer_than_max_bytes_is_skipped(tmp_path: Path) -> None:
    rows = [json.dumps({"text": "x" * 500}), json.dumps({"text": "short one"})]
    path = write(tmp_path / "big.jsonl", "\n".join(rows) + "\n")
    report = Report()
    arts = list(read_articles([path], report=report, max_bytes=100))
    assert [a.text for a in arts] == ["short one"]
    assert report.n_skipped == 1 and "longer than max_bytes" in report.messages[0]


def test_json_file_object_and_list(tmp_path: Path) -> None:
    write(
        tmp_path / "one.json", json.dumps({"title": "T", "text": "Shelling in Idlib.", "date": "2024-01-02"})
    )
    write(tmp_path / "many.json", json.dumps({"articles": [{"text": "A."}, {"nope": 1}, {"text": "B."}]}))
    report = Report()
    arts = list(read_articles([tmp_path], report=report))
    assert [a.id for a in arts] == ["many:1", "many:3", "one"]
    assert arts[2].published == dt.date(2024, 1, 2)
    assert report.read == 4 and report.skipped["bad JSON"] == 1


def test_duplicate_ids_are_renamed_and_noted(tmp_path: Path) -> None:
    write(tmp_path / "a" / "x.txt", "T\n\n" + BODY)
    write(tmp_path / "b" / "x.txt", "T2\n\n" + BODY)
    write(tmp_path / "c.jsonl", json.dumps({"id": "x", "text": "Again."}) + "\n")
    report = Report()
    arts = list(read_articles([tmp_path], report=report))
    assert [a.id for a in arts] == ["x", "x~2", "x~3"]
    assert sum("already used" in m for m in report.messages) == 2


# ---------------------------------------------------------------- files, folders, stdin


def test_iter_input_files_sorted_recursive_and_filtered(tmp_path: Path) -> None:
    for name in [
        "b.txt",
        "a.md",
        "sub/c.html",
        "sub/d.jsonl.gz",
        "skip.pdf",
        ".hidden.txt",
        "e.TXT",
        "f.text.gz",
    ]:
        write(tmp_path / name, "x")
    report = Report()
    files = list(iter_input_files([tmp_path], report=report))
    assert [p.relative_to(tmp_path).as_posix() for p in files] == [
        "a.md",
        "b.txt",
        "e.TXT",
        "f.text.gz",
        "sub/c.html",
        "sub/d.jsonl.gz",
    ]
    # given twice: yielded once; explicit file with another suffix: used
    write(tmp_path / "notes.log", "x")
    files = list(iter_input_files([tmp_path / "b.txt", tmp_path, tmp_path / "notes.log", "-"], report=report))
    assert files[0] == tmp_path / "b.txt" and files.count(tmp_path / "b.txt") == 1
    assert files[-2:] == [tmp_path / "notes.log", Path("-")]


def test_empty_folder_always_raises(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    write(tmp_path / "other" / "image.png", b"\x89PNG\r\n\x1a\n")
    for folder in ("empty", "other"):
        for policy in ("skip", "warn", "raise"):
            with pytest.raises(InputError, match="no articles found in"):
                list(read_articles([tmp_path / folder], on_error=policy))  # type: ignore[arg-type]
    with pytest.raises(InputError, match="no input paths"):
        list(read_articles([]))


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    with pytest.raises(InputError, match="no such file") as info:
        list(read_articles([missing], on_error="raise"))
    assert str(missing) in str(info.value)
    assert isinstance(info.value, ValueError)
    report = Report()
    assert list(read_articles([missing, SEEDS / "004_d3a0f2f7f1e39c30.txt"], report=report))
    assert report.skipped == {"no such file": 1} and report.read == 2
    # only missing paths: nothing can be read, so it raises whatever the policy
    for policy in ("skip", "warn"):
        with pytest.raises(InputError, match="no such file or folder"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            list(read_articles([missing, tmp_path / "other"], on_error=policy))  # type: ignore[arg-type]


def test_warn_policy_warns(tmp_path: Path) -> None:
    write(tmp_path / "empty.txt", "")
    report = Report()
    with pytest.warns(GeoeventsWarning, match="empty"):
        assert list(read_articles([tmp_path], on_error="warn", report=report)) == []
    assert report.skipped == {"empty file": 1}


def test_bad_policy_rejected() -> None:
    with pytest.raises(InputError, match="on_error must be one of"):
        read_articles([SEEDS], on_error="ignore")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\r\n\t  \n", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "looks binary"),
        ("archive.txt", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(200), "looks binary"),
        ("blob.txt", bytes(range(256)) * 8, "looks binary"),
        ("nul.txt", b"\x00" * 1000 + b"text", "looks binary"),
        ("broken.txt.gz", b"\x1f\x8b\x08\x00garbage-not-deflate", "corrupt"),
        ("notgz.txt.gz", b"plain text with a .gz name", "corrupt"),
        ("truncated.txt.gz", gzip.compress(b"Strike near Erbil. " * 1000)[:60], "corrupt"),
        ("broken.json", b'{"text": ', "not valid JSON"),
        ("empty.html", b"<html><body><script>var a=1;</script></body></html>", "no visible text"),
    ],
)
def test_bad_files(tmp_path: Path, name: str, content: bytes, match: str) -> None:
    path = write(tmp_path / name, content)
    with pytest.raises(InputError, match=match) as info:
        read_article(path)
    assert name in str(info.value) and "\n" not in str(info.value)
    report = Report()
    assert list(read_articles([path], report=report)) == []
    assert report.n_skipped == 1 and report.read == 1


def test_truncated_gzip_jsonl_keeps_rows_before_the_damage(tmp_path: Path) -> None:
    rows = "".join(
        json.dumps({"text": f"Strike {i} near Erbil, row {i * 7919 % 1000}."}) + "\n" for i in range(2000)
    )
    blob = gzip.compress(rows.encode())
    path = write(tmp_path / "cut.jsonl.gz", blob[: len(blob) // 2])
    report = Report()
    arts = list(read_articles([path], report=report))
    assert 0 < len(arts) < 2000
    assert report.skipped == {"corrupt file": 1} and "corrupt" in report.messages[-1]
    assert report.read == len(arts) + 1


def test_nul_bytes_inside_text_are_stripped(tmp_path: Path) -> None:
    path = write(
        tmp_path / "nul.txt", ("Strike near Erbil\n\n" + BODY).encode().replace(b"drone", b"dr\x00one")
    )
    report = Report()
    (art,) = read_articles([path], report=report)
    assert "\x00" not in art.text and "drone strike" in art.text
    assert any("NUL" in m for m in report.messages) and report.n_skipped == 0


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        (
            "utf-8",
            "Frappe près d'Erbil\n\nUne frappe de drone a touché un véhicule près de l'aéroport d'Erbil mardi, tuant deux personnes.\n",
        ),
        ("utf-8-sig", "Strike near Erbil\n\n" + BODY),
        (
            "utf-16",
            "ضربة قرب أربيل\n\nقصفت طائرة مسيرة سيارة قرب مطار أربيل صباح الثلاثاء، ما أسفر عن مقتل شخصين.\n",
        ),
        ("utf-16-le", "Strike near Erbil\n\n" + BODY),
        (
            "cp1256",
            "ضربة قرب أربيل\n\nقصفت طائرة مسيرة سيارة قرب مطار أربيل صباح الثلاثاء، ما أسفر عن مقتل شخصين. وقالت الحكومة إن الضربة انتهاك للسيادة.\n",
        ),
        (
            "latin-1",
            "Frappe près d'Erbil\n\nUne frappe de drone a touché un véhicule près de l'aéroport d'Erbil mardi, tuant deux personnes. Le ministère a condamné l'opération.\n",
        ),
    ],
)
def test_encodings(tmp_path: Path, encoding: str, text: str) -> None:
    path = write(tmp_path / "enc.txt", text, encoding=encoding)
    art = read_article(path)
    title, _, body = text.partition("\n\n")
    assert art.title == title
    assert art.text == body.strip()


def test_undecodable_bytes_are_replaced_and_noted(tmp_path: Path) -> None:
    # valid UTF-8 plus a few stray bytes: kept, with U+FFFD or a guessed code page, and a note
    raw = ("Strike near Erbil\n\n" + BODY).encode() + b"\xff\xfe\x81 end.\n"
    report = Report()
    (art,) = read_articles([write(tmp_path / "mixed.txt", raw)], report=report)
    assert "Erbil airport" in art.text
    assert any(m.startswith("note:") for m in report.messages) and report.n_skipped == 0


def test_max_bytes_truncates_with_note(tmp_path: Path) -> None:
    text = "Strike near Erbil\n\n" + "Él dijo que la explosión fue fuerte. " * 200
    path = write(tmp_path / "big.txt", text)
    report = Report()
    (art,) = read_articles([path], report=report, max_bytes=1001)
    assert len(art.text.encode()) <= 1001 and art.text.startswith("Él dijo")
    assert any("truncated" in m or "max_bytes" in m for m in report.messages)
    with pytest.raises(InputError, match="max_bytes must be"):
        read_articles([path], max_bytes=0)


def test_gzip_text_file(tmp_path: Path) -> None:
    raw = (SEEDS / "000_c6d1475d1c79559c.txt").read_bytes()
    write(tmp_path / "000_c6d1475d1c79559c.txt.gz", gzip.compress(raw))
    art = read_article(tmp_path / "000_c6d1475d1c79559c.txt.gz")
    assert art.id == "000_c6d1475d1c79559c" and art.published == dt.date(2024, 2, 5)
    # gzipped bytes under a plain name are recognised by their signature
    write(tmp_path / "plain.txt", gzip.compress(raw))
    assert read_article(tmp_path / "plain.txt").published == dt.date(2024, 2, 5)


def test_stdin_text(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = (SEEDS / "002_ab57a92e2d5baa27.txt").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    (art,) = read_articles(["-"])
    assert art.id == "stdin" and art.published == dt.date(2024, 2, 8) and art.path == "<stdin>"


def test_stdin_jsonl_and_stringio(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = "\n".join(json.dumps({"text": t}) for t in ("Strike in Mosul.", "Attack in Basra.")) + "\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))  # no .buffer
    assert [a.id for a in read_articles("-")] == ["stdin:1", "stdin:2"]


def test_stdin_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    with pytest.raises(InputError, match="empty"):
        read_article("-")


def test_read_article_rejects_multi_and_folder(tmp_path: Path) -> None:
    path = write(tmp_path / "two.jsonl", '{"text": "a"}\n{"text": "b"}\n')
    with pytest.raises(InputError, match="more than one article"):
        read_article(path)
    with pytest.raises(InputError, match="is a folder"):
        read_article(tmp_path)


def test_read_articles_is_lazy(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "T\n\n" + BODY)
    write(tmp_path / "b.txt", "")  # bad, but not reached yet
    it = read_articles([tmp_path], on_error="raise")
    assert next(it).id == "a"
    with pytest.raises(InputError, match="empty"):
        next(it)


def test_unreadable_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import geoevents.ingest.files as files

    path = write(tmp_path / "secret.txt", "T\n\n" + BODY)

    def deny(p: Path) -> io.BufferedReader:
        raise PermissionError(13, "Permission denied", str(p))

    monkeypatch.setattr(files, "_open_binary", deny)  # root ignores chmod, so simulate it
    with pytest.raises(InputError, match="permission denied"):
        read_article(path)
    report = Report()
    assert list(read_articles([path], report=report)) == []
    assert report.skipped == {"unreadable file": 1}


def test_errors_are_geoevents_errors_without_warnings(tmp_path: Path) -> None:
    path = write(tmp_path / "x.txt", b"\x00" * 100)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = Report()
        assert list(read_articles([path], report=report, on_error="skip")) == []
    with pytest.raises(GeoeventsError):
        read_article(path)


def test_path_dash_and_generator_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = (SEEDS / "003_ec154ef90b200f76.txt").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    (art,) = read_articles(p for p in [Path("-")])  # a CLI may hand over Path("-")
    assert art.id == "stdin" and art.published == dt.date(2023, 11, 22)


def test_html_meta_charset_cp1256(tmp_path: Path) -> None:
    body = "قصفت طائرة مسيرة سيارة قرب مطار أربيل صباح الثلاثاء، ما أسفر عن مقتل شخصين وإصابة ثلاثة آخرين."
    page = (
        f'<html><head><meta charset="windows-1256"><title>غارة قرب أربيل</title></head>'
        f"<body><article><p>{body}</p><p>{body}</p></article></body></html>"
    )
    path = write(tmp_path / "ar.html", page, encoding="cp1256")
    report = Report()
    (art,) = read_articles([path], report=report)
    assert body in art.text and art.title == "غارة قرب أربيل"
    assert any("meta charset" in m for m in report.messages)


def test_json_row_with_html_page(tmp_path: Path) -> None:
    path = write(tmp_path / "pages.jsonl", json.dumps({"id": "p1", "html": HTML_PAGE}) + "\n")
    (art,) = read_articles([path])
    assert art.id == "p1" and "INLINE-SCRIPT" not in art.text and "Erbil airport" in art.text
    assert (
        art.published == dt.date(2024, 2, 8)
        and art.url == "https://kurdistan.example/news/drone-strike-erbil"
    )


def test_symlink_loop_does_not_recurse(tmp_path: Path) -> None:
    write(tmp_path / "a" / "x.txt", "T\n\n" + BODY)
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
    assert [a.id for a in read_articles([tmp_path])] == ["x"]


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("empty.jsonl", b"", "empty"),
        ("blank.ndjson", b"\n \n\n", "empty"),
        ("blob.jsonl", bytes(range(256)) * 8, "looks binary"),
        ("blob.jsonl.gz", gzip.compress(b"\x00\x01\x02\x03" * 500), "looks binary"),
    ],
)
def test_bad_jsonl_files(tmp_path: Path, name: str, content: bytes, match: str) -> None:
    path = write(tmp_path / name, content)
    with pytest.raises(InputError, match=match):
        list(read_articles([path], on_error="raise"))
    report = Report()
    assert list(read_articles([path], report=report)) == []
    assert report.n_skipped == 1 and report.read == 1


@pytest.mark.parametrize(
    ("header", "published", "source"),
    [
        (
            "08/02/2024\nStrike near Erbil\nBy John Smith",
            dt.date(2024, 2, 8),
            None,
        ),  # date line above the title
        (
            "Strike near Erbil\nJohn Smith\nFebruary 8, 2024",
            dt.date(2024, 2, 8),
            None,
        ),  # an author is no outlet
        ("Strike near Erbil\nBy John Smith\nThursday 8 February 2024 12:03, UK", dt.date(2024, 2, 8), None),
        (
            "Strike near Erbil\nRudaw Media Network\nPosted on 2024-02-08",
            dt.date(2024, 2, 8),
            "Rudaw Media Network",
        ),
        ("Strike near Erbil\nPublished on: February 8, 2024", dt.date(2024, 2, 8), None),
        (
            "Strike near Erbil\nLe Monde avec AFP\nPublié le 8 février 2024 à 10h",
            dt.date(2024, 2, 8),
            "Le Monde avec AFP",
        ),
        (
            "Strike near Erbil\nBaghdad Post Desk Feb 8, 2024 | 3 min read",
            dt.date(2024, 2, 8),
            "Baghdad Post Desk",
        ),
    ],
)
def test_header_variants(header: str, published: dt.date, source: str | None) -> None:
    art = parse_text_article(header + "\n\n" + BODY, id="v")
    assert art.title == "Strike near Erbil"
    assert art.published == published
    assert art.source == source
    assert art.text == BODY.strip()


def test_jsonl_text_is_verbatim_so_offsets_hold(tmp_path: Path) -> None:
    text = "  Strike in\r\nMosul.\n\n  Two killed.  "
    path = write(
        tmp_path / "gold.jsonl", json.dumps({"id": "g", "text": text, "toponyms": [{"start": 13, "end": 18}]})
    )
    (art,) = read_articles([path])
    assert art.text == text and art.text[13:18] == "Mosul"


def test_stdin_streams_gzipped_jsonl_past_max_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = "".join(json.dumps({"text": f"Strike number {i} near Sinjar."}) + "\n" for i in range(500))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(gzip.compress(lines.encode()))))
    report = Report()
    arts = list(read_articles(["-"], report=report, max_bytes=200))  # the limit is per line here
    assert len(arts) == 500 and report.n_skipped == 0 and arts[-1].id == "stdin:500"


def test_stdin_pretty_json(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = json.dumps({"articles": [{"text": "Strike in Mosul."}, {"text": "Attack in Basra."}]}, indent=2)
    monkeypatch.setattr(sys, "stdin", io.StringIO(doc))
    assert [a.id for a in read_articles(["-"])] == ["stdin:1", "stdin:2"]


def test_footer_rules() -> None:
    para = "Officials said the strike near Erbil airport killed two people and wounded three others. " * 3
    # a marker early in the body is content, not a footer
    art = parse_text_article(f"T\n\n{para}\nRelated\n{para}\n{para}\n{para}\n", id="f")
    assert art.text.count(para.strip()) == 4 and "Related" in art.text
    # a widget title mid-article does not cut the rest
    art = parse_text_article(f"T\n\n{para}\n{para}\nTrending\n{para}\n", id="f")
    assert art.text.count(para.strip()) == 3
    # copyright footer: cut, and its owner is the source
    art = parse_text_article(
        f"T\n\n{para}\n{para}\n© 2024 Kurdistan Chronicle. All rights reserved.\nPrivacy\n", id="f"
    )
    assert art.text == f"{para}\n{para}".strip() and art.source == "Kurdistan Chronicle"


def test_notes_are_counted_when_the_report_has_a_notes_counter(tmp_path: Path) -> None:
    from collections import Counter
    from dataclasses import dataclass, field

    @dataclass
    class NotedReport(Report):
        notes: Counter[str] = field(default_factory=Counter)

    write(
        tmp_path / "a" / "x.txt",
        "Frappe\n\nUne frappe près d'Erbil a tué deux personnes.\n",
        encoding="latin-1",
    )
    write(tmp_path / "b" / "x.txt", "T\n\n" + BODY)
    report = NotedReport()
    assert [a.id for a in read_articles([tmp_path], report=report)] == ["x", "x~2"]
    assert report.notes == {"encoding guessed": 1, "duplicate id": 1}
    assert report.n_skipped == 0


def test_html_footer_boilerplate_is_cut() -> None:
    paras = "".join(
        f"<p>Officials said strike {i} near Erbil airport killed two people and wounded three. "
        f"It was the {i}th attack this month, and the ministry promised an inquiry.</p>"
        for i in range(3)
    )
    html = (
        f"<html><body><article>{paras}"
        "<p>The views expressed in this article do not reflect the opinion of the site.</p>"
        "<p>Share This Post</p></article></body></html>"
    )
    art = parse_html_article(html, id="h")
    assert "views expressed" not in art.text and "Share This Post" not in art.text
    assert art.text.count("killed two people") == 3
