"""Stage 4 — validation: the built tables checked against suites rendered from the schema.

Reads `schema/`, `validation/rules.yaml` and the gazetteer to render `validation/suites/*.json`
and `validation/country_bboxes.json` (`suites`); reads built tables and runs those suites with
Great Expectations (`runner`); `report` renders the outcome as text, `result.json` and a
self-contained HTML page.

Only `runner` imports Great Expectations, and only the `validate` verb and the tests import it.
May import: `irde.paths`, `irde.schema`, `irde.curation`, `irde.tables`.
"""
