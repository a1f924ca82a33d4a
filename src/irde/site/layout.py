"""The frame every page of the web edition shares (head, skip link, navigation, footer) and the
small HTML helpers the page renderers use. Every URL written here is relative, so a built site works
from the file system and from any folder of any static host.
"""

from __future__ import annotations

import html
from typing import Iterable

GENERATOR = "irde site"  # marks a folder as written by `irde site`, which may therefore replace it

NAV = (("index.html", "Home"), ("meetings/index.html", "Meetings"), ("allegations/index.html", "Allegations"),
       ("agreements/index.html", "Agreements"), ("persons/index.html", "People"), ("codebook.html", "Codebook"))


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def link(href: str, text: str, **attrs: str) -> str:
    extra = "".join(f' {k.rstrip("_").replace("_", "-")}="{esc(v)}"' for k, v in attrs.items() if v)
    return f'<a href="{esc(href)}"{extra}>{esc(text)}</a>'


def outside_link(url: str, text: str, lang: str | None = None) -> str:
    """A link that leaves the site; followed only when the reader clicks it."""
    lang_attr = f' lang="{esc(lang)}" dir="auto"' if lang and lang != "en" else ""
    return f'<a class="out" href="{esc(url)}" rel="noopener noreferrer external"{lang_attr}>{esc(text)}</a>'


def facts(items: Iterable[tuple[str, str]]) -> str:
    """A definition list of (term, already-escaped HTML) pairs, skipping empty values."""
    body = "".join(f"<div><dt>{esc(term)}</dt><dd>{value}</dd></div>" for term, value in items if value)
    return f'<dl class="facts">{body}</dl>' if body else ""


def table(caption: str, header: Iterable[str], body_rows: Iterable[str], numeric: Iterable[int] = (),
          row_attrs: Iterable[str] | None = None, table_id: str | None = None) -> str:
    """A captioned table in a scrolling wrapper; `body_rows` are lists of escaped cells."""
    numeric = set(numeric)
    head = "".join(f'<th scope="col"{" class=n" if i in numeric else ""}>{esc(h)}</th>' for i, h in enumerate(header))
    attrs = list(row_attrs) if row_attrs is not None else None
    rows = []
    for n, cells in enumerate(body_rows):
        tds = "".join(f'<td{" class=n" if i in numeric else ""}>{c}</td>' for i, c in enumerate(cells))
        rows.append(f"<tr{attrs[n] if attrs else ''}>{tds}</tr>")
    id_attr = f' id="{esc(table_id)}"' if table_id else ""
    return (f'<div class="table-wrap" tabindex="0" role="region" aria-label="{esc(caption)}">'
            f'<table{id_attr}><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def page(title: str, body: str, depth: int, version: str, current: str = "", scripts: Iterable[str] = (),
         description: str = "") -> str:
    """A whole page: `depth` is how many folders below the site root it lives (0 or 1)."""
    base = "../" * depth
    nav = "".join(f'<li><a href="{base}{href}"{" aria-current=page" if href == current else ""}>{esc(text)}</a></li>'
                  for href, text in NAV)
    script_tags = "".join(f'<script src="{base}{esc(s)}"></script>' for s in scripts)
    meta_description = f'<meta name="description" content="{esc(description)}">' if description else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{GENERATOR}">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'none'; form-action 'self'">
<meta name="referrer" content="no-referrer">
{meta_description}
<title>{esc(title)} — IRDE {esc(version)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{base}assets/site.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site"><div class="wrap">
<a class="brand" href="{base}index.html">IRDE <span>Iran–Russia Diplomatic Events</span></a>
<nav aria-label="Sections"><ul>{nav}</ul></nav>
</div></header>
<main id="main" class="wrap" tabindex="-1">
{body}
</main>
<footer class="site"><div class="wrap">
<p>IRDE version {esc(version)} · data under <a href="{base}downloads/LICENSE-DATA.txt">CC BY 4.0</a> ·
<a href="{base}index.html#cite">How to cite</a> · <a href="{base}index.html#downloads">Downloads</a></p>
</div></footer>
{script_tags}
</body>
</html>
"""
