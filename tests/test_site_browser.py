"""The web edition in a real browser: headless Chromium (Debian's `chromium`, installed by `make
test` as root) driven by Playwright. A reader searches for a known meeting from the home page,
filters the list, follows the record and finds its sources and citation; every page loads with no
request leaving the site and no script error, from the file system and from a localhost server;
axe-core finds no accessibility violation on the home page and one page of each kind; the layout
fits a phone and the print style hides the navigation. Screenshots go to build/site-screens/.

Where Chromium or Playwright is missing these tests skip and say why; the link crawl without a
browser (tests/test_site.py) still runs.
"""

from __future__ import annotations

import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import ROOT

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
SCREENS = ROOT / "build" / "site-screens"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-features=Translate,MediaRouter",
                  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


def _chromium() -> str | None:
    return os.environ.get("IRDE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the Python package playwright is not installed (make test installs it from requirements.lock)")
    executable = _chromium()
    if executable is None:
        pytest.skip("Debian's chromium is not installed (make test installs it when run as root; "
                    "or apt-get install chromium); the link crawl without a browser still ran")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


class Guard:
    """Fails a page that asks for anything outside the site, logs a script error or misses a file.

    Every request is seen (Playwright's request event) and any outside the site is recorded; the
    browser cannot reach another host anyway, its resolver being pointed nowhere (CHROMIUM_FLAGS).
    """

    def __init__(self, context, site_prefix: str):
        self.prefix = site_prefix
        self.outside: list[str] = []
        self.errors: list[str] = []
        context.on("request", self._request)
        context.on("page", self.watch)

    def _request(self, request) -> None:
        url = request.url
        if not (url.startswith(self.prefix) or url.startswith("data:")):
            self.outside.append(url)

    def watch(self, page) -> None:
        page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"script error: {e}"))
        page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url} ({r.failure})")
                if r.url.startswith(self.prefix) else None)
        page.on("response", lambda r: self.errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

    def check(self) -> None:
        assert self.outside == [], "requests left the site"
        assert self.errors == []


@contextmanager
def guarded(browser, prefix: str, **options):
    context = browser.new_context(**options)
    guard = Guard(context, prefix)
    try:
        yield context.new_page(), guard
    finally:
        context.close()


def _known_meeting() -> dict:
    """An in-person meeting with sources, taken from the tables so the test follows the data."""
    meetings = pq.read_table(ROOT / "dataset" / "parquet" / "meetings.parquet").to_pylist()
    return next(m for m in sorted(meetings, key=lambda m: m["meeting_id"], reverse=True)
                if m["mode"] == "in_person" and m["city"] and m["independent_source_count"] >= 2)


def _reader_journey(page, home_url: str, version: str) -> None:
    meeting = _known_meeting()
    page.goto(home_url)
    page.get_by_label("Search the meetings").fill(meeting["title"])
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/meetings/index.html?q=*")
    row = page.locator(f'[id="r-{meeting["meeting_id"]}"]')
    assert row.is_visible()
    count = page.locator("#count").inner_text()
    assert " of " in count and "match" in count, count
    # a filter that excludes it, then one that keeps it
    page.get_by_label("Search meetings").fill("")
    page.get_by_label("Mode").select_option("phone")
    assert not row.is_visible()
    page.get_by_label("Mode").select_option("in_person")
    page.get_by_label("Year").select_option(str(meeting["start_date"].year))
    assert row.is_visible()
    shown = page.locator("#list tbody tr:visible").count()
    assert 0 < shown < pq.read_metadata(ROOT / "dataset" / "parquet" / "meetings.parquet").num_rows
    assert page.locator("#count").inner_text().startswith(f"{shown} of ")
    row.get_by_role("link").click()
    page.wait_for_url(f"**/meetings/{meeting['meeting_id']}.html")
    assert page.get_by_role("heading", level=1).inner_text() == meeting["title"]
    sources = page.locator("section.sources li")
    assert sources.count() >= 2
    assert page.locator("section.sources a.out").first.get_attribute("href").startswith("http")
    citation = page.locator("section.cite").inner_text()
    assert meeting["meeting_id"] in citation and f"version {version}" in citation and "@misc{" in citation


def test_a_reader_finds_a_meeting_filters_follows_it_and_cites_it_from_the_file_system(browser, built_site, schema):
    with guarded(browser, built_site.as_uri() + "/") as (page, guard):
        _reader_journey(page, (built_site / "index.html").as_uri(), schema.version)
        guard.check()


def test_the_same_from_a_localhost_server(browser, built_site, schema):
    from irde.site.serve import make_server

    server = make_server(built_site, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with guarded(browser, base) as (page, guard):
            _reader_journey(page, base, schema.version)
            guard.check()
    finally:
        server.shutdown()
        server.server_close()


def _pages_to_load(site: Path) -> list[Path]:
    """Every page when IRDE_BROWSER_EVERY_PAGE=1 (about 0.15 s a page here); otherwise every page that
    is not a record page, and for each kind of record its first, last and every 20th page. Record
    pages of one kind come from one template; the crawl without a browser reads every page's links."""
    pages = sorted(site.rglob("*.html"))
    if os.environ.get("IRDE_BROWSER_EVERY_PAGE") == "1":
        return pages
    picked = [p for p in pages if p.parent == site or p.name == "index.html"]
    for folder in ("meetings", "allegations", "agreements", "persons"):
        records = [p for p in pages if p.parent == site / folder and p.name != "index.html"]
        picked += records[::20] + records[-1:]
    return sorted(set(picked))


def test_pages_load_with_nothing_from_outside_and_no_error(browser, built_site):
    pages = _pages_to_load(built_site)
    assert len(pages) > 30
    with guarded(browser, built_site.as_uri() + "/") as (page, guard):
        for path in pages:
            page.goto(path.as_uri(), wait_until="load")
            assert page.title(), path
        guard.check()


def test_the_guard_catches_a_request_that_leaves_the_site(browser, built_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    index = site / "index.html"
    text = index.read_text()
    policy = text[text.index('<meta http-equiv="Content-Security-Policy"'):]
    policy = policy[:policy.index(">") + 1]
    index.write_text(text.replace(policy, "").replace("</main>", '<img src="https://example.org/pixel.gif" alt=""></main>'))
    with guarded(browser, site.as_uri() + "/") as (page, guard):
        page.goto(index.as_uri())
        assert guard.outside == ["https://example.org/pixel.gif"]


def _one_of_each(site: Path) -> list[Path]:
    picks = [site / "index.html", site / "codebook.html"]
    for folder in ("meetings", "allegations", "agreements", "persons"):
        picks.append(site / folder / "index.html")
        picks.append(sorted(p for p in (site / folder).glob("*.html") if p.name != "index.html")[0])
    return picks


def test_axe_finds_no_accessibility_violation(browser, built_site):
    found = {}
    # axe is injected as a script of the test, which the pages' own policy (scripts from the site only) forbids.
    with guarded(browser, built_site.as_uri() + "/", bypass_csp=True) as (page, guard):
        for path in _one_of_each(built_site):
            page.goto(path.as_uri())
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("axe.run(document, {resultTypes: ['violations'], preload: false})")
            problems = [f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} element(s), "
                        f"e.g. {v['nodes'][0]['target']}" for v in result["violations"]]
            if problems:
                found[path.relative_to(built_site).as_posix()] = problems
        guard.check()
    assert found == {}, "\n".join(f"{k}: {v}" for k, vs in found.items() for v in vs)


def test_keyboard_reaches_the_content_and_the_filters(browser, built_site):
    with guarded(browser, built_site.as_uri() + "/") as (page, guard):
        page.goto((built_site / "meetings" / "index.html").as_uri())
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to content"
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "q"
        guard.check()


def test_screenshots_phone_layout_and_print_style(browser, built_site):
    SCREENS.mkdir(parents=True, exist_ok=True)
    meeting = built_site / "meetings" / f"{_known_meeting()['meeting_id']}.html"
    with guarded(browser, built_site.as_uri() + "/", viewport={"width": 1200, "height": 900}) as (page, guard):
        page.goto((built_site / "index.html").as_uri())
        page.screenshot(path=str(SCREENS / "home.png"))
        page.goto(meeting.as_uri())
        page.screenshot(path=str(SCREENS / "meeting.png"), full_page=True)
        page.emulate_media(media="print")
        assert not page.locator("header.site nav").is_visible()
        assert page.locator("section.cite").is_visible()
        guard.check()
    with guarded(browser, built_site.as_uri() + "/", viewport={"width": 375, "height": 740}, is_mobile=True,
                 has_touch=True) as (page, guard):
        for path in (built_site / "index.html", meeting, built_site / "meetings" / "index.html"):
            page.goto(path.as_uri())
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path.name} is {overflow}px wider than a phone screen"
        page.goto(meeting.as_uri())
        page.screenshot(path=str(SCREENS / "meeting-phone.png"))
        guard.check()
    assert {p.name for p in SCREENS.glob("*.png")} >= {"home.png", "meeting.png", "meeting-phone.png"}
