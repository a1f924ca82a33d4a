"""Stage 5 — analysis: pure functions from loaded tables to tidy results, behind the notebooks.

One module per question: `common` (constants and helpers shared by all), `overview` (table sizes,
the sources cited and their independence; notebook 01), `over_time` (meetings by level and mode,
heads of state, turning points; notebook 02), `encounters` (which meetings two officials shared,
counted as encounters so that a summit and its sideline count once; notebooks 02 and 03), `networks` (who meets whom; notebook 03),
`lifecycles` (allegations as dated statements: denials, status, claimants; notebook 04),
`cooperation` (the monthly cooperation index, its weightings and the before/after comparison;
notebook 05) and `chart_titles` (titles computed from results). `publish` writes the derived
tables and knows the output folders.

Reads DataFrames as `irde.load` returns them; writes nothing except through `publish`.
Imports pandas and numpy, never matplotlib.
May import: `irde.paths`, `irde.schema`, `irde.curation`, `irde.tables`, `irde.validation`.
"""
