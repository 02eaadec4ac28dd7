"""Loading articles from files, folders, globs and URLs; every bad input is a Skip, never an error."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsqa.index.articles import Article, Skip
from newsqa.index.load import SUPPORTED_SUFFIXES, fetch_url, iter_inputs, load_file, parse_date
from newsqa.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
DEMO = ROOT / "newsqa" / "demo"
DEMO_000 = DEMO / "000_d17cc11a6fb020e6.txt"
RGB_ARTICLES = ROOT.parent / "shared" / "data" / "rgb-dev" / "articles.jsonl"


@pytest.fixture
def cfg() -> Settings:
    return Settings(max_file_bytes=200_000, fetch_timeout=2.0, fetch_max_bytes=20_000)


def load(sources: list[str | Path], settings: Settings) -> tuple[list[Article], list[Skip]]:
    items = list(iter_inputs([str(s) for s in sources], settings))
    assert all(isinstance(x, (Article, Skip)) for x in items)
    return [x for x in items if isinstance(x, Article)], [x for x in items if isinstance(x, Skip)]


def test_supported_suffixes() -> None:
    assert SUPPORTED_SUFFIXES == frozenset(
        {".txt", ".md", ".html", ".htm", ".json", ".jsonl", ".csv", ".xml", ".rss", ".atom"}
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-02T03:04:05Z", datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)),
        ("2024-01-02 03:04", datetime(2024, 1, 2, 3, 4, tzinfo=timezone.utc)),  # naive: UTC
        ("Tue, 07 May 2024 10:15:00 +0200", datetime(2024, 5, 7, 8, 15, tzinfo=timezone.utc)),
        ("Dec 31, 2023 10:00 EST", datetime(2023, 12, 31, 15, 0, tzinfo=timezone.utc)),
        ("2024", datetime(2024, 1, 1, tzinfo=timezone.utc)),  # missing parts: not today's month
        (1700000000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)),
        ("not a date", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(value: object, expected: datetime | None) -> None:
    got = parse_date(value)
    assert got == expected
    if got is not None:
        assert got.tzinfo is not None and type(got.tzinfo) is timezone  # fixed offset, never tzlocal


# ---------------------------------------------------------------------------------------------
# Plain text and Markdown


def test_demo_article(cfg: Settings) -> None:
    articles, skips = load([DEMO_000], cfg)
    assert skips == []
    (a,) = articles
    assert a.id == "000_d17cc11a6fb020e6"  # files named by id keep it
    assert a.origin == str(DEMO_000)
    assert "Also read" not in a.body
    raw_lines = [ln for ln in DEMO_000.read_text(encoding="utf-8").split("\n") if ln.strip()]
    for line in raw_lines:
        if not line.startswith("Also read:"):
            assert line in a.body
    # no headline line in the file: the whole text is body, the title comes from its opening
    opening = raw_lines[0]
    assert not opening.startswith("Also read:") and len(opening.split()) >= 7
    assert a.body.startswith(opening)
    assert a.title.startswith(" ".join(opening.split()[:4]))
    assert len(a.title) <= 101


def test_ids_and_content_stable_across_loads(cfg: Settings) -> None:
    first, _ = load([DEMO, DATA / "load_*"], cfg)
    second, _ = load([DEMO, DATA / "load_*"], cfg)
    assert [a.id for a in first] == [a.id for a in second]
    assert [a.content_hash for a in first] == [a.content_hash for a in second]
    assert len({a.id for a in first}) == len(first)


def test_front_matter(cfg: Settings) -> None:
    (a,) = list(load_file(DATA / "load_front_matter.md", cfg))
    assert isinstance(a, Article)
    assert a.id == "fm-2024-001"
    assert a.title == "Council votes to keep night buses"
    assert a.source == "Metro Daily"
    assert a.url == "https://metro-daily.example/night-buses"
    assert a.author == "Sam Okafor"
    assert a.category == "Transport"
    assert a.published_at == datetime(2024, 2, 10, 18, 45, tzinfo=timezone.utc)
    # the Markdown heading repeating the title, the ad and the "Read more" line are gone
    assert a.body == (
        "The city council voted 31 to 12 on Saturday to keep the night bus network running for another year.\n\n"
        "Officials said ridership had grown by 18 percent since the network was extended in 2022.\n\n"
        "The decision will cost about 3.4 million pounds a year."
    )


def test_headline_line_becomes_title_and_leaves_body(tmp_path: Path, cfg: Settings) -> None:
    f = tmp_path / "story.txt"
    f.write_text("Storm closes mountain pass\n\nSnow closed the pass on Sunday.\nIt may reopen on Wednesday.\n")
    (a,) = list(load_file(f, cfg))
    assert a.title == "Storm closes mountain pass"
    assert a.body == "Snow closed the pass on Sunday.\nIt may reopen on Wednesday."
    assert a.id.startswith("h") and len(a.id) == 17  # content hash: no id, no URL


def test_markdown_heading_is_title(tmp_path: Path, cfg: Settings) -> None:
    f = tmp_path / "note.md"
    f.write_text("# Port strike ends.\n\nDock workers returned to work on Friday.\n")
    (a,) = list(load_file(f, cfg))
    assert a.title == "Port strike ends."
    assert a.body == "Dock workers returned to work on Friday."


def test_prose_first_line_is_not_a_title(tmp_path: Path, cfg: Settings) -> None:
    f = tmp_path / "city-council_votes.txt"
    f.write_text("The council met on Monday.\nIt approved the budget.\n")
    (a,) = list(load_file(f, cfg))
    assert a.title == "city council votes"  # from the file name
    assert a.body == "The council met on Monday.\nIt approved the budget."


def test_text_with_only_furniture_is_skipped(tmp_path: Path, cfg: Settings) -> None:
    f = tmp_path / "junk.txt"
    f.write_text("Advertisement\n\nShare this article\n")
    (s,) = list(load_file(f, cfg))
    assert isinstance(s, Skip) and "no article text" in s.reason


# ---------------------------------------------------------------------------------------------
# Encodings and bad files


def test_cp1252_file_is_decoded(tmp_path: Path, cfg: Settings) -> None:
    text = "The café on Main Street reopened on Monday, its owner said. “We’re thrilled,” she added – naïve déjà vu.\n"
    f = tmp_path / "cafe.txt"
    f.write_bytes(text.encode("cp1252"))
    (a,) = list(load_file(f, cfg))
    assert isinstance(a, Article)
    assert a.body == text.strip()


def test_latin1_file_is_decoded(tmp_path: Path, cfg: Settings) -> None:
    f = tmp_path / "fr.txt"
    f.write_bytes("Le café du coin a rouvert ses portes lundi, à la grande joie des habitués.".encode("latin-1"))
    (a,) = list(load_file(f, cfg))
    assert "café" in a.body and "à la" in a.body and "habitués" in a.body


def test_utf8_with_a_broken_byte_keeps_the_article(tmp_path: Path, cfg: Settings) -> None:
    f = tmp_path / "broken.txt"
    f.write_bytes("Zürich’s café reopened. ".encode() + b"Bad \xff byte. " + "Crème brûlée is back.".encode())
    (a,) = list(load_file(f, cfg))
    assert a.body == "Zürich’s café reopened. Bad \ufffd byte. Crème brûlée is back."


def test_utf16_with_bom(tmp_path: Path, cfg: Settings) -> None:
    f = tmp_path / "wide.txt"
    f.write_bytes("Kraków hosts the summit on Tuesday.\n".encode("utf-16"))
    (a,) = list(load_file(f, cfg))
    assert a.body == "Kraków hosts the summit on Tuesday."


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        bytes(range(256)) * 8,
        b"\x01\x02\x03\x04\x05\x06\x0e\x0f" * 200,
    ],
)
def test_binary_file_is_skipped(tmp_path: Path, cfg: Settings, content: bytes) -> None:
    f = tmp_path / "image.txt"
    f.write_bytes(content)
    assert list(load_file(f, cfg)) == [Skip(str(f), "binary file, not text")]


def test_empty_and_blank_files(tmp_path: Path, cfg: Settings) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.jsonl"
    blank.write_text("  \n\n \t\n")
    assert list(load_file(empty, cfg)) == [Skip(str(empty), "empty file")]
    (s,) = list(load_file(blank, cfg))
    assert s.reason.startswith("empty file")


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_text("word " * 300)
    (s,) = list(load_file(f, Settings(max_file_bytes=1000)))
    assert s == Skip(str(f), "file is 1500 bytes, over the limit of 1000 (NEWSQA_MAX_FILE_BYTES)")


def test_unreadable_file(tmp_path: Path, cfg: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "secret.txt"
    f.write_text("Classified.")
    real_open = Path.open

    def deny(self: Path, *args, **kwargs):  # chmod does not stop root, so refuse in open() itself
        if self == f:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    assert list(iter_inputs([str(f)], cfg)) == [Skip(str(f), "cannot read the file: permission denied")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_by_mode(tmp_path: Path, cfg: Settings) -> None:
    f = tmp_path / "secret.txt"
    f.write_text("Classified.")
    f.chmod(0)
    try:
        assert list(load_file(f, cfg)) == [Skip(str(f), "cannot read the file: permission denied")]
    finally:
        f.chmod(0o600)


# ---------------------------------------------------------------------------------------------
# Records


def test_jsonl_with_a_broken_line(tmp_path: Path, cfg: Settings) -> None:
    f = tmp_path / "news.jsonl"
    f.write_text(
        json.dumps({"id": "a1", "title": "One", "body": "First body."}) + "\n"
        + '{"id": "a2", "title": "Two", "body": "unterminated\n'
        + json.dumps({"id": "a3", "title": "Three", "body": "Third body.", "date": "2024-01-05"}) + "\n"
        + "\n"
        + json.dumps({"id": "a5", "title": "No body"}) + "\n"
        + "[1, 2]\n"
    )
    items = list(load_file(f, cfg))
    assert [(type(x).__name__, getattr(x, "id", None), getattr(x, "line", None)) for x in items] == [
        ("Article", "a1", None),
        ("Skip", None, 2),
        ("Article", "a3", None),
        ("Skip", None, 5),
        ("Skip", None, 6),
    ]
    assert items[0].origin == f"{f}:1" and items[2].origin == f"{f}:3"
    assert items[1].reason.startswith("malformed JSON line")
    assert items[3].reason == "record has no body (expected one of body, text, content)"
    assert items[4].reason == "JSON line is not an object"
    assert items[2].published_at == datetime(2024, 1, 5, tzinfo=timezone.utc)


def test_multihop_style_json_list(cfg: Settings) -> None:
    items = list(load_file(DATA / "load_corpus.json", cfg))
    a, b, s = items
    assert isinstance(a, Article) and isinstance(b, Article) and isinstance(s, Skip)
    assert a.title == "Chipmaker posts record quarterly revenue"
    assert (a.author, a.source, a.category) == ("Lee Park", "Tech Wire", "technology")
    assert a.url == "https://techwire.example/chipmaker-record"
    assert a.id.startswith("u")  # no id field: derived from the URL
    assert a.published_at == datetime(2023, 10, 25, 16, 5, tzinfo=timezone.utc)
    assert a.body == (
        "The chipmaker reported record revenue of 18.1 billion dollars for the quarter.\n"
        "Shares rose 4 percent in after-hours trading.\n"
        "The company said demand from data centres remained strong."
    )
    # empty title: from the first sentence, cut on a word boundary near 100 characters
    assert b.title.startswith("A robotics start-up based in Lyon has raised 60 million euros")
    assert b.title.endswith("…") and len(b.title) <= 101 and " firms" not in b.title
    assert b.published_at is None  # unparseable date: kept, date unknown
    assert s.reason == "record has no body (expected one of body, text, content) at record 3"


def test_json_object_shapes(tmp_path: Path, cfg: Settings) -> None:
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"status": "ok", "articles": [{"id": 7, "content": "Seven.", "published": 1700000000}]}))
    single = tmp_path / "single.json"
    single.write_text(json.dumps({"id": "s", "title": "Solo", "text": ["Para one.", "Para two."]}))
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"hello": "world"}))
    (w,) = list(load_file(wrapped, cfg))
    assert (w.id, w.body) == ("7", "Seven.")
    assert w.published_at == datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)
    (s,) = list(load_file(single, cfg))
    assert (s.id, s.title, s.body) == ("s", "Solo", "Para one.\n\nPara two.")
    (o,) = list(load_file(other, cfg))
    assert isinstance(o, Skip) and "no articles in the JSON" in o.reason


def test_malformed_json_reports_the_line(tmp_path: Path, cfg: Settings) -> None:
    f = tmp_path / "bad.json"
    f.write_text('[\n  {"title": "ok", "body": "x"},\n  {"title": oops}\n]\n')
    (s,) = list(load_file(f, cfg))
    assert isinstance(s, Skip) and s.line == 3 and s.reason.startswith("malformed JSON")


def test_json_lines_saved_as_json(tmp_path: Path, cfg: Settings) -> None:
    f = tmp_path / "lines.json"
    f.write_text('{"id": "x1", "body": "One."}\n{"id": "x2", "body": "Two."}\n')
    assert [a.id for a in load_file(f, cfg)] == ["x1", "x2"]


def test_csv_records(cfg: Settings) -> None:
    items = list(load_file(DATA / "load_records.csv", cfg))
    a, b, s = items
    assert (a.id, a.title, a.source) == ("c1", "Harvest starts early", "Wine Post")
    assert a.body == "Farmers began the grape harvest two weeks early this year.\n\nThey blamed the hot summer."
    assert a.origin.endswith("load_records.csv:2")
    assert a.published_at == datetime(2023, 8, 20, tzinfo=timezone.utc)
    assert (b.id, b.origin.rsplit(":", 1)[1]) == ("c2", "5")  # record 1 spans lines 2-4
    assert b.published_at == datetime(2023, 8, 20, tzinfo=timezone.utc)
    assert isinstance(s, Skip) and s.line == 7 and "record has no body" in s.reason


def test_csv_with_huge_field_and_no_body_column(tmp_path: Path, cfg: Settings) -> None:
    big = tmp_path / "big.csv"
    long_body = "Word " * 40_000  # over the csv module's default 131072-character field limit
    big.write_text('title,body\nLong,"' + long_body + '"\n')
    (a,) = list(load_file(big, Settings(max_file_bytes=1_000_000)))
    assert isinstance(a, Article) and len(a.body) == len(long_body.strip())
    nobody = tmp_path / "nobody.csv"
    nobody.write_text("title,summary\nA,B\n")
    (s,) = list(load_file(nobody, cfg))
    assert isinstance(s, Skip) and "no body column" in s.reason


@pytest.mark.skipif(not RGB_ARTICLES.exists(), reason="rgb-dev data not present")
def test_real_rgb_dev_articles(cfg: Settings) -> None:
    articles, skips = load([RGB_ARTICLES], Settings())
    assert skips == []
    assert len(articles) == 338
    rows = [json.loads(line) for line in RGB_ARTICLES.read_text(encoding="utf-8").split("\n") if line.strip()]
    assert [a.id for a in articles] == [r["id"] for r in rows]
    assert all(a.title and a.source == "RGB news snippets" for a in articles)
    assert all(a.body.split() == r["body"].replace("\u200b", "").split() for a, r in zip(articles, rows))


# ---------------------------------------------------------------------------------------------
# HTML and feeds


def test_html_page(cfg: Settings) -> None:
    (a,) = list(load_file(DATA / "load_page.html", cfg))
    assert isinstance(a, Article)
    assert a.title == "Harbour bridge reopens after repairs"
    assert a.source == "Coastal Times"
    assert a.author == "Maria Lopez"
    assert a.url == "https://coastal-times.example/news/harbour-bridge-reopens"
    assert a.published_at == datetime(2024, 3, 14, 8, 30, tzinfo=timezone.utc)
    assert a.body.startswith("The harbour bridge reopened to traffic on Thursday morning")
    assert "said they would return to their normal timetable next week." in a.body
    for junk in ("Home", "Weather", "cookies", "Also read", "Share on", "Related stories", "Tram strike",
                 "Subscribe", "All rights reserved", "Harbour bridge reopens after repairs"):
        assert junk not in a.body


def test_html_without_article_text(tmp_path: Path, cfg: Settings) -> None:
    f = tmp_path / "nav.html"
    f.write_text("<html><head><title>Home</title></head><body><nav><a href='/'>Home</a></nav></body></html>")
    assert list(load_file(f, cfg)) == [Skip(str(f), "no article text found in the page")]


def test_html_in_cp1252_with_meta_charset(tmp_path: Path, cfg: Settings) -> None:
    f = tmp_path / "legacy.htm"
    para = "Le café du port a rouvert lundi après trois mois de travaux, a annoncé la mairie dans un communiqué."
    page = (f'<html><head><meta charset="windows-1252"><title>Café rouvert</title></head>'
            f"<body><article><p>{para}</p><p>{para}</p></article></body></html>")
    f.write_bytes(page.encode("cp1252"))
    (a,) = list(load_file(f, cfg))
    assert a.title == "Café rouvert" and para in a.body


def test_rss_file(cfg: Settings) -> None:
    items = list(load_file(DATA / "load_feed.rss", cfg))
    a, b, s = items
    assert (a.title, a.source, a.author, a.category) == (
        "Flood defences approved for river town", "Valley Gazette", "Tom Baker", "Environment")
    assert a.url == "https://valley-gazette.example/2024/05/flood-defences"
    assert a.published_at == datetime(2024, 5, 7, 8, 15, tzinfo=timezone.utc)
    # full content preferred over the teaser; tags stripped, entities decoded, "Also read" dropped
    assert a.body == (
        "The regional council approved a 12 million pound flood defence scheme for the river town on Monday.\n\n"
        "Work on the new embankment will start in September & should finish within two years."
    )
    assert b.body == "The central library will open until 9 p.m. on weekdays from June."
    assert b.published_at == datetime(2024, 5, 8, 15, 0, tzinfo=timezone.utc)
    assert isinstance(s, Skip) and "entry 3 has no summary or content" in s.reason


def test_atom_file(cfg: Settings) -> None:
    a, b = list(load_file(DATA / "load_feed.atom", cfg))
    assert a.title == "Wind farm powers 40,000 homes"
    assert a.source == "Northern Ledger" and a.author == "Ines Carvalho"
    assert a.body == ("The offshore wind farm now supplies power to 40,000 homes, its operator said on Saturday.\n\n"
                      "Its 32 turbines were connected to the grid in April.")
    assert a.published_at == datetime(2024, 6, 1, 10, 0, tzinfo=timezone.utc)
    assert b.body == "Ferries to the islands will run every 40 minutes from July."  # summary only: used
    assert b.published_at is None


def test_xml_that_is_not_a_feed(tmp_path: Path, cfg: Settings) -> None:
    f = tmp_path / "config.xml"
    f.write_text('<?xml version="1.0"?><settings><colour>blue</colour></settings>')
    assert list(load_file(f, cfg)) == [Skip(str(f), "not an RSS or Atom feed")]


# ---------------------------------------------------------------------------------------------
# Folders, globs, missing sources


def test_folder_recursion_skips_hidden_and_unsupported(tmp_path: Path, cfg: Settings) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "top.txt").write_text("Top story text.")
    (tmp_path / "a" / "b" / "deep.TXT").write_text("Deep story text.")
    (tmp_path / "a" / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "a" / ".hidden.txt").write_text("Hidden.")
    (tmp_path / ".git" / "x.txt").write_text("Git internals.")
    articles, skips = load([tmp_path], cfg)
    assert skips == []
    assert [a.body for a in articles] == ["Top story text.", "Deep story text."]  # a folder's files, then its subfolders


def test_explicit_unsupported_file(tmp_path: Path, cfg: Settings) -> None:
    f = tmp_path / "report.pdf"
    f.write_bytes(b"%PDF-1.4")
    (s,) = list(iter_inputs([str(f)], cfg))
    assert s.origin == str(f) and s.reason.startswith("unsupported file type '.pdf'")


def test_missing_sources_and_globs(tmp_path: Path, cfg: Settings) -> None:
    missing = str(tmp_path / "nope.txt")
    pattern = str(tmp_path / "*.jsonl")
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    items = list(iter_inputs([missing, pattern, str(empty_dir)], cfg))
    assert items[0] == Skip(missing, "no such file or folder")
    assert items[1] == Skip(pattern, "no files match")
    assert isinstance(items[2], Skip) and items[2].reason.startswith("folder has no supported files")


def test_glob_and_duplicates(tmp_path: Path, cfg: Settings) -> None:
    shutil.copy(DEMO_000, tmp_path / DEMO_000.name)
    (tmp_path / "other.txt").write_text("Another story.")
    (tmp_path / "skip.log").write_text("log")
    articles, skips = load([str(tmp_path / "*"), tmp_path], cfg)  # same files twice: loaded once
    assert skips == []
    assert [a.id for a in articles][0] == "000_d17cc11a6fb020e6"
    assert len(articles) == 2


def test_bad_inputs_never_raise(tmp_path: Path, cfg: Settings) -> None:
    (tmp_path / "bad.csv").write_bytes(b'body\n"unterminated\x00')
    (tmp_path / "weird.json").write_text("null")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / "fake.rss").write_text("<rss><channel><item>")
    sources = [str(tmp_path), "", "\x00bad", "file:///etc/passwd", "ftp://example.org/x", "http://", "~nobody/x"]
    items = list(iter_inputs(sources, cfg))
    assert items and all(isinstance(x, Skip) for x in items)
    assert all(x.reason for x in items)
    reasons = {x.origin: x.reason for x in items}
    assert reasons[""].startswith("empty source")  # not the current folder
    assert reasons[str(tmp_path / "bad.csv")] == "binary file, not text"
    assert reasons[str(tmp_path / "deep.json")] == "malformed JSON: nested too deeply"
    assert reasons[str(tmp_path / "fake.rss")] == "feed entry 1 has no summary or content"
    assert reasons["\x00bad"] == "no such file or folder"
    assert reasons["http://"] == "URL has no host"
    assert "only http and https" in reasons["file:///etc/passwd"]
    assert "only http and https" in reasons["ftp://example.org/x"]


# ---------------------------------------------------------------------------------------------
# URLs, against a local server

PAGE = (DATA / "load_page.html").read_bytes()
RSS = (DATA / "load_feed.rss").read_bytes()
ATOM = (DATA / "load_feed.atom").read_bytes()


class _Handler(BaseHTTPRequestHandler):
    release = threading.Event()

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def _send(self, body: bytes, ctype: str, length: bool = True) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path == "/news":
            self._send(PAGE, "text/html; charset=utf-8")
        elif self.path == "/feed":
            self._send(RSS, "application/rss+xml")
        elif self.path == "/atom":
            self._send(ATOM, "application/octet-stream")  # wrong type: sniffed from `<feed`
        elif self.path == "/plain":
            self._send("Plain text headline\n\nThe body of a plain text story.\n".encode(), "text/plain")
        elif self.path == "/big":
            self._send(b"<html><body>" + b"<p>filler text</p>" * 5000 + b"</body></html>", "text/html", length=False)
        elif self.path == "/big-declared":
            self._send(b"x" * 50_000, "text/html")
        elif self.path == "/image":
            self._send(b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png")
        elif self.path == "/slow":
            self.release.wait(5)  # the client gives up long before
            self._send(PAGE, "text/html")
        else:
            self.send_error(404, "Not Found")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        _Handler.release.set()
        httpd.shutdown()
        httpd.server_close()


def test_fetch_news_page(server: str, cfg: Settings) -> None:
    (a,) = list(fetch_url(f"{server}/news", cfg))
    assert isinstance(a, Article)
    assert a.title == "Harbour bridge reopens after repairs"
    assert a.origin == f"{server}/news"
    assert a.body.startswith("The harbour bridge reopened") and "Also read" not in a.body
    # same page from disk and from the web: same article id (from the canonical URL)
    (from_disk,) = list(load_file(DATA / "load_page.html", cfg))
    assert a.id == from_disk.id and a.content_hash == from_disk.content_hash


def test_fetch_feeds(server: str, cfg: Settings) -> None:
    rss = list(fetch_url(f"{server}/feed", cfg))
    assert [type(x).__name__ for x in rss] == ["Article", "Article", "Skip"]
    assert rss[0].source == "Valley Gazette" and rss[0].origin == f"{server}/feed"
    atom = list(iter_inputs([f"{server}/atom"], cfg))
    assert [a.title for a in atom] == ["Wind farm powers 40,000 homes", "Ferry timetable changes"]


def test_fetch_plain_text(server: str, cfg: Settings) -> None:
    (a,) = list(fetch_url(f"{server}/plain", cfg))
    assert (a.title, a.body, a.url) == ("Plain text headline", "The body of a plain text story.", f"{server}/plain")


def test_fetch_failures(server: str, cfg: Settings) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        dead = sock.getsockname()[1]
    urls = {
        "missing": f"{server}/missing",
        "big": f"{server}/big",
        "declared": f"{server}/big-declared",
        "image": f"{server}/image",
        "slow": f"{server}/slow",
        "dead": f"http://127.0.0.1:{dead}/news",
    }
    fast = cfg.model_copy(update={"fetch_timeout": 0.5})
    got = {k: list(fetch_url(u, fast)) for k, u in urls.items()}
    for k, items in got.items():
        assert len(items) == 1 and isinstance(items[0], Skip) and items[0].origin == urls[k], k
    reason = {k: v[0].reason for k, v in got.items()}
    assert reason["missing"] == "HTTP 404 Not Found"
    assert reason["big"] == "response is over the limit of 20000 bytes (NEWSQA_FETCH_MAX_BYTES)"
    assert reason["declared"] == "response is 50000 bytes, over the limit of 20000 (NEWSQA_FETCH_MAX_BYTES)"
    assert reason["image"] == "unsupported content type 'image/png'"
    assert reason["slow"] == "timed out after 0.5 s (NEWSQA_FETCH_TIMEOUT)"
    assert reason["dead"].startswith("cannot connect")


def test_header_lines_without_dashes_are_the_articles_fields(tmp_path: Path, cfg: Settings) -> None:
    f = tmp_path / "mill.txt"
    f.write_text("Title: Paper mill to close in Norvik\nSource: Valley Gazette\nDate: 2025-09-02\n"
                 "Author: Ines Pardo\n\nThe Norvik paper mill will close in March, its owner said.\n")
    (a,) = list(load_file(f, cfg))
    assert (a.title, a.source, a.author) == ("Paper mill to close in Norvik", "Valley Gazette", "Ines Pardo")
    assert a.published_at == datetime(2025, 9, 2, tzinfo=timezone.utc)
    assert a.body == "The Norvik paper mill will close in March, its owner said."


@pytest.mark.parametrize("opening", [
    "Update: the mill will now close in April.\n\nIts owner said so on Friday.\n",  # not a field
    "Title: Mill to close\nThe mill will close.\n\nIts owner said so on Friday.\n",  # a prose line
])
def test_a_body_that_opens_like_a_header_stays_the_body(tmp_path: Path, cfg: Settings, opening: str) -> None:
    f = tmp_path / "mill.txt"
    f.write_text(opening)
    (a,) = list(load_file(f, cfg))
    assert "Its owner said so on Friday." in a.body and a.source == "" and a.published_at is None
