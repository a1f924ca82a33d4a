"""The home page of the web edition: what IRDE is, the coverage figures computed from the tables,
the headline chart, and the ways on: the lists, the notebooks' report, the codebook, the downloads
with their checksums, and how to cite. Pure rendering; `irde.site.build` decides which files exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from irde.schema.model import Schema
from irde.site.cite import dataset_bibtex, dataset_citation
from irde.site.content import SiteContent
from irde.site.layout import esc, link, page, table
from irde.site.lists import LISTS, list_href


@dataclass(frozen=True)
class Download:
    path: str  # relative to the site root
    what: str
    size: int
    sha256: str


@dataclass(frozen=True)
class ReportPage:
    path: str
    title: str


def _coverage(c: SiteContent, coverage) -> str:
    """Meetings per year by highest level and mode; each year links to the list filtered to it."""
    if coverage is None:
        return "<p>No meetings yet.</p>"
    header = ["Year", *[str(col).replace("_", " ") for col in coverage.columns]]
    rows = []
    for year, row in coverage.iterrows():
        first = link(list_href("meeting", year=str(year)), str(year)) if year != "all" else "All years"
        rows.append([first, *[esc(int(v)) for v in row.values]])
    return table("Meetings per year, by highest level present and by mode", header, rows,
                 numeric=range(1, len(header)))


def home_page(schema: Schema, c: SiteContent, coverage, downloads: list[Download], report: list[ReportPage],
              chart: str | None) -> str:
    counts = "".join(
        f'<li><a href="{esc(list_href(listing.kind))}"><strong>{len(c.records(listing.kind))}</strong> '
        f'{esc(listing.title.lower())}</a></li>' for listing in LISTS)
    sizes = table("Rows per table", ["Table", "Rows"],
                  [[f"<code>{esc(name)}</code>", esc(n)] for name, n in c.table_rows.items()], numeric=[1])
    chart_html = (f'<figure><img src="{esc(chart)}" width="800" alt="Line chart: the monthly cooperation index of '
                  f'Iran–Russia meetings and agreements since 2015, with the separate military-cooperation signal '
                  f'from allegation statements."><figcaption>Monthly cooperation index of meetings and agreements, '
                  f'with the separate military-cooperation signal from allegation statements (from the analysis '
                  f'notebooks).</figcaption></figure>') if chart else ""
    report_html = ("<ul>" + "".join(f"<li>{link(r.path, r.title)}</li>" for r in report) + "</ul>" if report else
                   "<p>The executed notebooks are not part of this build (run <code>irde report</code> before "
                   "<code>irde site</code>).</p>")
    download_rows = [[link(d.path, d.path.removeprefix("downloads/")), esc(d.what), esc(f"{d.size:,}"),
                      f'<code class="sum">{esc(d.sha256)}</code>'] for d in downloads]
    sums = next((d.path for d in downloads if d.path.endswith("SHA256SUMS.txt")), None)
    body = f"""<h1>IRDE — Iran–Russia Diplomatic Events</h1>
<p class="lead">{esc(" ".join(str(schema.dataset["description"]).split()))}</p>
<p class="meta">Version {esc(schema.version)}, released {esc(c.released.isoformat())}. Data under CC BY 4.0.</p>
<form class="quick" role="search" action="{esc(list_href("meeting"))}" method="get" aria-label="Search meetings">
<label for="home-q">Search the meetings</label>
<div class="row"><input id="home-q" name="q" type="search" placeholder="A name, place or forum, e.g. Lavrov or Astana">
<button type="submit">Search</button></div></form>
<section aria-labelledby="browse-h"><h2 id="browse-h">Browse</h2><ul class="counts">{counts}</ul>
<p>Every meeting, allegation, agreement and person has its own permanent page, at a path made from its ID
(for example <code>meetings/&lt;meeting_id&gt;.html</code>), with every source it rests on and how to cite it.</p></section>
<section aria-labelledby="cov-h"><h2 id="cov-h">Coverage</h2>{_coverage(c, coverage)}{sizes}</section>
<section aria-labelledby="chart-h"><h2 id="chart-h">Headline chart</h2>{chart_html}</section>
<section aria-labelledby="rep-h"><h2 id="rep-h">Analysis report</h2>
<p>Five notebooks, each answering one question, executed on this version’s tables:</p>{report_html}
<p>Every table, column and code is defined in the {link("codebook.html", "codebook")}.</p></section>
<section id="downloads" aria-labelledby="dl-h"><h2 id="dl-h">Downloads</h2>
<p>The release files, each with its size and SHA-256 checksum{(" (also as " + link(sums, "SHA256SUMS") + ", readable by <code>sha256sum -c</code>)") if sums else ""}.</p>
{table("Release files and their SHA-256 checksums", ["File", "What", "Bytes", "SHA-256"], download_rows, numeric=[2])}</section>
<section id="cite" aria-labelledby="cite-h"><h2 id="cite-h">How to cite</h2>
<p class="citation">{esc(dataset_citation(schema))}</p>
<pre class="bibtex"><code>{esc(dataset_bibtex(schema))}</code></pre>
<p>To cite one record, use the “Cite this record” box on its page: it names the record’s ID and this version.</p></section>
"""
    return page("Home", body, 0, c.version, current="index.html", description=" ".join(str(schema.dataset["description"]).split()))
