"""A crawl of a built site without a browser: every internal link and resource must resolve to a
file of the site (and a `#fragment` to an element of that page), nothing may be loaded from outside
the site, and every page must be reachable from the home page. One line per problem, naming the page.

Links that leave the site (`<a href="https://...">`, a source's page) are allowed: they are followed
only when a reader clicks them. Anything the browser would fetch by itself (scripts, styles, images,
frames, fonts, form targets, CSS `url(...)`) must be inside the site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

_LOADED = {("script", "src"), ("img", "src"), ("img", "srcset"), ("link", "href"), ("iframe", "src"),
           ("source", "src"), ("source", "srcset"), ("video", "src"), ("video", "poster"), ("audio", "src"),
           ("embed", "src"), ("object", "data"), ("form", "action"), ("input", "src"), ("track", "src")}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass
class _Page(HTMLParser):
    links: list[tuple[str, str, bool]] = field(default_factory=list)  # (tag, url, loaded by the browser)
    ids: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.ids.add(value)
            if name == "style":
                self.links += [(tag, u, True) for u in _CSS_URL.findall(value)]
            if tag == "a" and name == "href":
                self.links.append((tag, value, False))
            elif (tag, name) in _LOADED:
                if tag == "link" and not any(k == "rel" and v and set(v.split()) & {"stylesheet", "icon", "preload",
                                                                                    "prefetch", "manifest", "modulepreload"}
                                             for k, v in attrs):
                    continue
                urls = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
                self.links += [(tag, u, True) for u in urls if u]

    def handle_data(self, data: str) -> None:
        if self.lasttag == "style":
            self.links += [("style", u, True) for u in _CSS_URL.findall(data)]


def _parse(path: Path) -> _Page:
    parser = _Page()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser


def crawl(site: Path) -> list[str]:
    """Every broken internal link, outside load and unreachable page of the site in `site`."""
    site = Path(site).resolve()
    pages = {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*.html"))}
    parsed = {name: _parse(path) for name, path in pages.items()}
    problems: list[str] = []
    edges: dict[str, set[str]] = {name: set() for name in pages}
    for name, page in parsed.items():
        here = PurePosixPath(name).parent
        for tag, url, loaded in page.links:
            url = url.strip()
            if url.startswith("data:") and loaded:
                continue
            parts = urlsplit(url)
            if url.startswith("//") or _SCHEME.match(url):
                if loaded:
                    problems.append(f"{name}: <{tag}> loads {url} from outside the site")
                elif parts.scheme not in ("http", "https", "mailto"):
                    problems.append(f"{name}: link with scheme {parts.scheme}: {url}")
                continue
            if not parts.path:  # a fragment of this page (or an empty href)
                target = name
            else:
                joined = PurePosixPath(*(here / unquote(parts.path)).parts)
                resolved = []
                for piece in joined.parts:
                    if piece == "..":
                        if not resolved:
                            resolved = None
                            break
                        resolved.pop()
                    elif piece != ".":
                        resolved.append(piece)
                if resolved is None:
                    problems.append(f"{name}: {url} points outside the site")
                    continue
                target = "/".join(resolved)
                file = site / target
                if file.is_dir():
                    problems.append(f"{name}: {url} names a folder; the file system serves no index for it")
                    continue
                if not file.is_file():
                    problems.append(f"{name}: broken link {url} (no file {target})")
                    continue
            if target in parsed:
                edges[name].add(target)
                # As browsers do: the fragment as written, else percent-decoded (nbconvert writes encoded ids).
                if parts.fragment and not {parts.fragment, unquote(parts.fragment)} & parsed[target].ids:
                    problems.append(f"{name}: broken link {url} (no id {parts.fragment!r} in {target})")
    for css in sorted(site.rglob("*.css")):
        for url in _CSS_URL.findall(css.read_text(encoding="utf-8")):
            if url.startswith("//") or _SCHEME.match(url) and not url.startswith("data:"):
                problems.append(f"{css.relative_to(site).as_posix()}: loads {url} from outside the site")
    if "index.html" not in pages:
        return problems + ["index.html: missing"]
    seen, todo = {"index.html"}, ["index.html"]
    while todo:
        for nxt in edges[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    problems += [f"{name}: not reachable from index.html" for name in pages if name not in seen]
    return problems
