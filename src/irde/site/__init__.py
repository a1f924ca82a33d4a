"""Stage 7 — site: the browsable, citable web edition of the dataset (`irde site`).

`content` turns the built tables into one plain record per page (labels from the vocabularies, links
between records resolved); `cite` words the citation of a record; `layout` holds the page frame and
the HTML helpers; `pages` renders the home page, the list pages and one page per meeting,
allegation, agreement and person; `build` writes them, the search index, the assets and the
downloads into `build/site/` atomically and deterministically; `links` crawls a built site for
broken internal links and outside requests; `serve` previews it on localhost.

Reads the built tables, the schema, `schema/codebook.md`, `docs/cooperation-index.png` and the
executed notebooks under `build/notebooks/` when present; writes only `build/site/` (or the chosen
folder). Pages load nothing from outside the site and work from the file system.
May import every earlier stage: `irde.paths`, `irde.schema`, `irde.curation`, `irde.tables`,
`irde.validation`, `irde.analysis`, `irde.report`.
"""
