"""`irde site`: write the web edition into `build/site/` — the pages, the search indexes, the assets,
the codebook, the executed notebooks when built, and the downloads with their SHA-256 checksums.

The same tables give the same bytes (no clock, no machine-dependent order). The site is written
into a sibling folder first, crawled there (`irde.site.links`: no broken internal link, nothing loaded
from outside), and swapped in whole only if the crawl finds nothing, and an existing folder is replaced only if an
earlier `irde site` wrote it (its home page carries the generator mark).
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable

from irde.paths import replace_folder
from irde.schema.model import Schema
from irde.site.content import KINDS, SiteContent, load_content, record_path
from irde.site.home import Download, ReportPage, home_page
from irde.site.layout import GENERATOR, page
from irde.site.links import crawl
from irde.site.lists import LISTS, index_path, list_page, search_index
from irde.site.pages import agreement_page, allegation_page, meeting_page, person_page

RECORD_PAGES = {"meeting": meeting_page, "allegation": allegation_page, "agreement": agreement_page,
                "person": person_page}
CHART = "assets/cooperation-index.png"


class SiteError(Exception):
    """The site cannot be written; the message says why and what to do."""


@dataclass(frozen=True)
class BuiltSite:
    folder: Path
    pages: int
    record_pages: dict[str, int]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", html.unescape(re.sub(r"<[^>]+>", "", text)).lower()).strip("-")


def codebook_page(c: SiteContent, codebook_md: Path) -> str:
    """The codebook as a page of the site, its headings carrying the anchors its own table of tables links to."""
    text = re.sub(r"<!--.*?-->\s*", "", codebook_md.read_text(encoding="utf-8"), flags=re.DOTALL)
    try:
        import mistune
    except ImportError:  # mistune comes with the notebooks extra; without it the codebook is shown as text
        body = f'<pre class="codebook">{html.escape(text)}</pre>'
    else:
        body = mistune.create_markdown(plugins=["table"])(text)
        body = re.sub(r"<h([1-6])>(.*?)</h\1>", lambda m: f'<h{m[1]} id="{_slug(m[2])}">{m[2]}</h{m[1]}>', body)
        parts = body.split("<table>")
        body = parts[0] + "".join(f'<div class="table-wrap" tabindex="0" role="region" aria-label="Codebook table {n}">'
                                  f"<table>{part}" for n, part in enumerate(parts[1:], start=1))
        body = body.replace("</table>", "</table></div>")
    return page("Codebook", f'<div class="prose">{body}</div>', 0, c.version, current="codebook.html")


def _report_pages(build_dir: Path) -> dict[str, tuple[str, bytes]]:
    """Executed notebooks (`build/notebooks/*.html`, offline HTML from `irde report`): path -> (title, bytes)."""
    found = {}
    for path in sorted((build_dir / "notebooks").glob("*.html")):
        data = path.read_bytes()
        # The notebook's own heading; nbconvert's <title> is only "Notebook".
        heading = re.search(rb"<h1[^>]*>(.*?)</h1>", data, re.DOTALL)
        title = html.unescape(re.sub(r"<a class=\"anchor-link\".*?</a>|<[^>]+>", "",
                                     heading[1].decode("utf-8", "replace"))).strip() if heading else ""
        found[f"report/{path.name}"] = (title or path.stem, data)
    return found


def _downloads(schema: Schema, root: Path, tables_dir: Path) -> dict[str, tuple[str, bytes]]:
    files = {f"downloads/parquet/{name}.parquet": (f"table {name}", (tables_dir / f"{name}.parquet").read_bytes())
             for name in sorted(schema.tables) if (tables_dir / f"{name}.parquet").is_file()}
    for target, source, what in (("downloads/codebook.md", "schema/codebook.md", "codebook (Markdown)"),
                                 ("downloads/CITATION.cff", "CITATION.cff", "citation metadata"),
                                 ("downloads/LICENSE-DATA.txt", "LICENSE-DATA", "data licence (CC BY 4.0)")):
        if (root / source).is_file():
            files[target] = (what, (root / source).read_bytes())
    files.setdefault("downloads/LICENSE-DATA.txt", (  # every page's footer links it
        "data licence (CC BY 4.0)", f"{schema.dataset['licence']['title']}: {schema.dataset['licence']['path']}\n".encode()))
    return files


def render_site(schema: Schema, root: Path, tables_dir: Path, build_dir: Path) -> dict[str, bytes]:
    """Every file of the site, by its path relative to the site root."""
    from irde.tables.coverage import coverage_table
    from irde.tables.loading import load

    content = load_content(schema, tables_dir)
    files: dict[str, bytes] = {}

    def put(path: str, text: str) -> None:
        files[path] = text.encode("utf-8")

    assets = resources.files("irde.site") / "assets"
    for name in ("site.css", "site.js"):
        files[f"assets/{name}"] = (assets / name).read_bytes()
    chart = root / "docs" / "cooperation-index.png"
    if chart.is_file():
        files[CHART] = chart.read_bytes()

    for kind, render in RECORD_PAGES.items():
        for record in content.records(kind).values():
            put(record_path(kind, record[KINDS[kind][1]]), render(schema, content, record))
    for listing in LISTS:
        put(f"{KINDS[listing.kind][0]}/index.html", list_page(content, listing))
        put(index_path(listing.kind), search_index(content, listing))
    codebook = root / "schema" / "codebook.md"
    if codebook.is_file():
        put("codebook.html", codebook_page(content, codebook))
    else:
        put("codebook.html", page("Codebook", "<h1>Codebook</h1><p>Not found in this checkout.</p>", 0, content.version))

    report = _report_pages(build_dir)
    for path, (_, data) in report.items():
        files[path] = data
    downloads = _downloads(schema, root, tables_dir)
    for path, (_, data) in downloads.items():
        files[path] = data
    listed = [Download(path, what, len(data), hashlib.sha256(data).hexdigest()) for path, (what, data) in downloads.items()]
    sums = "".join(f"{d.sha256}  {d.path.removeprefix('downloads/')}\n" for d in listed)
    files["downloads/SHA256SUMS.txt"] = sums.encode()
    listed.append(Download("downloads/SHA256SUMS.txt", "the checksums above, for sha256sum -c", len(sums.encode()),
                           hashlib.sha256(sums.encode()).hexdigest()))
    coverage = coverage_table(load("meetings", tables_dir)) if content.meetings else None
    put("index.html", home_page(schema, content, coverage, listed,
                                [ReportPage(p, t) for p, (t, _) in report.items()], CHART if CHART in files else None))
    return dict(sorted(files.items()))


def _written_by_us(folder: Path) -> bool:
    index = folder / "index.html"
    if not folder.exists() or (folder.is_dir() and not any(folder.iterdir())):
        return True
    return index.is_file() and f'<meta name="generator" content="{GENERATOR}">' in index.read_text(
        encoding="utf-8", errors="replace")


def write_site(files: dict[str, bytes], out: Path, check: Callable[[Path], list[str]] | None = None) -> None:
    """Write `files` into `out`, replacing an earlier site whole; refuse a folder `irde site` did not write.

    `check` reads the staged site before it replaces anything; if it names problems, nothing changes."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out} is a file, not a folder")
    if not _written_by_us(out):
        raise SiteError(f"{out} exists and was not written by `irde site` (no generator mark in its index.html); "
                        "choose another --out or remove it")

    def fill(staging: Path) -> None:
        for path, data in files.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        problems = check(staging) if check else []
        if problems:
            raise SiteError("the built site has broken links or outside requests; nothing was replaced:\n  "
                            + "\n  ".join(problems))

    replace_folder(out, fill)


def build_site(schema: Schema, root: Path, tables_dir: Path, out: Path, build_dir: Path) -> BuiltSite:
    files = render_site(schema, root, tables_dir, build_dir)
    write_site(files, out, check=crawl)
    counts = {kind: sum(1 for p in files if p.startswith(f"{KINDS[kind][0]}/") and p.endswith(".html")
                        and not p.endswith("/index.html")) for kind in KINDS}
    return BuiltSite(out, sum(1 for p in files if p.endswith(".html")), counts)
