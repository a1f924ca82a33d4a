"""`irde site` without a browser: a page per record (counts equal the tables), no broken internal
link and nothing loaded from outside (the crawl, and planted breakage it must name), identical
builds, the citation of a record, the search index, the refusal of a foreign folder, the verb and
the localhost preview."""

from __future__ import annotations

import json
import threading
import urllib.request
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import ROOT, tree_digest
from irde.cli import main
from irde.site.build import SiteError, render_site, write_site
from irde.site.cite import bibtex, citation_text
from irde.site.content import KINDS, statement_anchor
from irde.site.links import crawl
from irde.site.lists import fold

TABLES = ROOT / "dataset" / "parquet"


def _rows(table: str) -> list:
    return pq.read_table(TABLES / f"{table}.parquet").to_pylist()


def test_every_record_has_its_page_at_the_path_of_its_id(built_site):
    for kind, (folder, key) in KINDS.items():
        ids = sorted(r[key] for r in _rows(folder))
        pages = sorted(p.stem for p in (built_site / folder).glob("*.html") if p.name != "index.html")
        assert pages == ids, kind
        assert len(pages) == pq.read_metadata(TABLES / f"{folder}.parquet").num_rows


def test_the_built_site_has_no_broken_link_and_loads_nothing_from_outside(built_site):
    assert crawl(built_site) == []
    # and each page tells the browser so: scripts, styles and images from the site only, no connections
    for page in built_site.rglob("*.html"):
        head = page.read_text().split("</head>")[0]
        assert "default-src 'self'" in head and "connect-src 'none'" in head, page


def _small_site(folder: Path, planted: str = "") -> Path:
    """A three-page site whose links all resolve, with `planted` added to its home page."""
    page = '<!DOCTYPE html><html lang="en"><head><link rel="stylesheet" href="{css}"></head><body>{body}</body></html>'
    files = {"index.html": page.format(css="site.css", body='<a href="codebook.html#top">c</a> '
                                       '<a href="meetings/m.html">m</a> <a href="https://example.org/">out</a>' + planted),
             "codebook.html": page.format(css="site.css", body='<h1 id="top">Codebook</h1>'),
             "meetings/m.html": page.format(css="../site.css", body='<a href="../index.html#">home</a>'),
             "site.css": "body { color: #111; }\n"}
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


@pytest.mark.parametrize("planted, expected", [
    ("", None),
    ('<h2 id="a%C3%97b">x</h2><a href="#a%C3%97b">x</a><h2 id="c×d">y</h2><a href="#c%C3%97d">y</a>', None),
    ('<a href="meetings/no-such-meeting.html">x</a>',
     "index.html: broken link meetings/no-such-meeting.html (no file meetings/no-such-meeting.html)"),
    ('<a href="codebook.html#no-such-anchor">x</a>',
     "index.html: broken link codebook.html#no-such-anchor (no id 'no-such-anchor' in codebook.html)"),
    ('<script src="https://cdn.example.org/lib.js"></script>',
     "index.html: <script> loads https://cdn.example.org/lib.js from outside the site"),
    ('<img src="//example.org/pixel.gif" alt="">', "index.html: <img> loads //example.org/pixel.gif from outside the site"),
    ('<link rel="stylesheet" href="http://fonts.example.org/f.css">',
     "index.html: <link> loads http://fonts.example.org/f.css from outside the site"),
    ('<div style="background: url(https://example.org/bg.png)"></div>',
     "index.html: <div> loads https://example.org/bg.png from outside the site"),
    ('<form action="https://example.org/collect"></form>',
     "index.html: <form> loads https://example.org/collect from outside the site"),
    ('<a href="meetings/">x</a>', "index.html: meetings/ names a folder; the file system serves no index for it"),
    ('<a href="../../etc/passwd">x</a>', "index.html: ../../etc/passwd points outside the site"),
    ('<a href="javascript:alert(1)">x</a>', "index.html: link with scheme javascript: javascript:alert(1)"),
])
def test_the_crawl_names_each_planted_problem(tmp_path, planted, expected):
    assert crawl(_small_site(tmp_path, planted)) == ([expected] if expected else [])


def test_the_crawl_names_an_unreachable_page_and_an_outside_font_in_css(tmp_path):
    site = _small_site(tmp_path)
    (site / "orphan.html").write_text("<!DOCTYPE html><title>o</title>")
    with (site / "site.css").open("a") as fh:
        fh.write('@font-face { src: url("https://fonts.example.org/x.woff2"); }\n')
    assert crawl(site) == ["site.css: loads https://fonts.example.org/x.woff2 from outside the site",
                           "orphan.html: not reachable from index.html"]


def test_two_builds_are_identical(built_site, schema, tmp_path):
    again = tmp_path / "again"
    write_site(render_site(schema, ROOT, TABLES, tmp_path / "no-build"), again)
    assert tree_digest(again) == tree_digest(built_site)


def test_executed_notebooks_are_copied_and_linked_from_the_home_page(schema, tmp_path):
    notebooks = tmp_path / "build" / "notebooks"
    notebooks.mkdir(parents=True)
    (notebooks / "overview.html").write_text(
        '<!DOCTYPE html><html><head><title>Notebook</title></head><body><h1 id="top">Overview &amp; sources'
        '<a class="anchor-link" href="#top">¶</a></h1></body></html>')
    files = render_site(schema, ROOT, TABLES, tmp_path / "build")
    assert files["report/overview.html"] == (notebooks / "overview.html").read_bytes()
    assert '<a href="report/overview.html">Overview &amp; sources</a>' in files["index.html"].decode()
    assert "not part of this build" in render_site(schema, ROOT, TABLES, tmp_path / "none")["index.html"].decode()


def test_a_meeting_page_shows_place_participants_sources_and_citation(built_site, schema):
    meeting = next(m for m in _rows("meetings") if m["mode"] == "in_person" and m["parent_meeting_id"])
    page = (built_site / "meetings" / f"{meeting['meeting_id']}.html").read_text()
    sources = [s for s in _rows("meeting_sources") if s["meeting_id"] == meeting["meeting_id"]]
    assert f"Sources ({len(sources)})" in page
    assert f'href="../meetings/{meeting["parent_meeting_id"]}.html"' in page
    for p in (p for p in _rows("participants") if p["meeting_id"] == meeting["meeting_id"]):
        assert f'href="../persons/{p["person_id"]}.html"' in page
    assert "Cite this record" in page and f"@misc{{irde-{schema.version}-meeting-{meeting['meeting_id']}," in page
    assert "(precision: day)" in page or "(precision: month)" in page or "(precision: year)" in page


def test_an_allegation_page_is_a_dated_lifecycle_with_the_status_rule(built_site):
    allegation = max(_rows("allegations"), key=lambda a: a["statement_count"])
    page = (built_site / "allegations" / f"{allegation['allegation_id']}.html").read_text()
    statements = [s for s in _rows("allegation_statements") if s["allegation_id"] == allegation["allegation_id"]]
    for s in statements:
        assert f'id="{statement_anchor(s["statement_id"])}"' in page
    assert f"Lifecycle: {len(statements)} dated statements" in page
    assert "The status rule, first match wins" in page and "<em>(applies)</em>" in page


def test_a_person_page_lists_offices_meetings_and_statements(built_site):
    speaker = next(s["speaker_person_id"] for s in _rows("allegation_statements") if s["speaker_person_id"])
    page = (built_site / "persons" / f"{speaker}.html").read_text()
    assert "Statements made (" in page and "../allegations/" in page
    attendee = next(p for p in _rows("participants"))
    page = (built_site / "persons" / f"{attendee['person_id']}.html").read_text()
    assert "Offices held" in page and attendee["role_title"] in page and f"../meetings/{attendee['meeting_id']}.html" in page


def test_the_citation_names_the_record_its_path_and_the_version(schema):
    text = citation_text(schema, "meeting", "2024-01-01-x", "A meeting")
    assert "meeting 2024-01-01-x" in text and f"version {schema.version}" in text and "meetings/2024-01-01-x.html" in text
    entry = bibtex(schema, "person", "a-b", "Name {with} 100% & more")
    assert entry.startswith(f"@misc{{irde-{schema.version}-person-a-b,\n")
    assert r"Name \{with\} 100\% \& more" in entry and f"version = {{{schema.version}}}" in entry


def test_the_search_index_has_every_record_with_its_facets(built_site):
    script = (built_site / "meetings" / "search-index.js").read_text()
    assert script.startswith("window.IRDE_INDEX = ") and script.endswith(";\n")
    index = json.loads(script.removeprefix("window.IRDE_INDEX = ").rstrip(";\n"))
    meetings = _rows("meetings")
    assert [r["id"] for r in index["records"]] == [m["meeting_id"] for m in sorted(meetings, key=lambda m: (m["start_date"], m["meeting_id"]))]
    first = index["records"][0]
    assert set(first["facets"]) == {"year", "level", "mode", "forum", "country"}
    assert first["text"] == fold(first["text"])
    assert fold("  Ḥasan  RŪHANI ") == "hasan ruhani"


def test_the_site_refuses_a_folder_it_did_not_write_and_writes_nothing(tmp_path, schema):
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(SiteError, match="was not written by `irde site`"):
        write_site({"index.html": b"x"}, foreign)
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    assert not list(tmp_path.glob(".*")), "no staging folder is left behind"


def test_a_site_whose_crawl_fails_replaces_nothing(tmp_path):
    out = tmp_path / "site"
    write_site({"index.html": b'<meta name="generator" content="irde site"><a href="a.html">a</a>', "a.html": b"ok"}, out,
               check=crawl)
    broken = {"index.html": b'<meta name="generator" content="irde site"><a href="gone.html">x</a>'}
    with pytest.raises(SiteError, match=r"nothing was replaced:\n  index.html: broken link gone.html \(no file gone.html\)"):
        write_site(broken, out, check=crawl)
    assert sorted(p.name for p in out.iterdir()) == ["a.html", "index.html"]
    assert not list(tmp_path.glob(".*")), "no staging folder is left behind"


def test_the_verb_builds_replaces_its_own_site_and_refuses_another(tmp_path, capsys):
    out = tmp_path / "site"
    assert main(["site", "--out", str(out)]) == 0
    meetings = pq.read_metadata(TABLES / "meetings.parquet").num_rows
    assert f"({meetings} meeting pages," in capsys.readouterr().err and (out / "index.html").is_file()
    (out / "stale.html").write_text("from an older build")
    assert main(["site", "--out", str(out)]) == 0
    assert not (out / "stale.html").exists() and (out / "index.html").is_file()
    other = tmp_path / "other"
    other.mkdir()
    (other / "index.html").write_text("<html>someone else's</html>")
    capsys.readouterr()
    assert main(["site", "--out", str(other)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"irde site: {other} exists and was not written by `irde site`")
    assert (other / "index.html").read_text() == "<html>someone else's</html>"


def test_the_preview_serves_on_localhost_only(built_site):
    from irde.site.serve import make_server

    server = make_server(built_site, 0)
    host, port = server.server_address[:2]
    assert host == "127.0.0.1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/meetings/index.html", timeout=10) as response:
            assert response.status == 200 and b"search-index.js" in response.read()
    finally:
        server.shutdown()
        server.server_close()
