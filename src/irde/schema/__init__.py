"""Stage 1 — the schema: what the data is.

Reads `schema/` (fields, tables, vocabularies, record layout, dataset metadata) into one model
(`model`), each file strictly against its declared shape (`shape`: path:line: key: message), with the reference code lists that do not live there (`codes`: ISO countries and
languages; `places`: the GeoNames gazetteer), and renders that model to Arrow (`arrow`) and to the
codebook (`codebook`).

Writes nothing by itself: the files rendered from the schema are written by `irde.release.generate`.
May import: `irde.paths` only. Every later stage imports this one.
"""
