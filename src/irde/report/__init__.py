"""Stage 6 — report: charts and the executed notebooks.

`plotting` draws the results of `irde.analysis` (the only module that imports matplotlib);
`notebooks` executes every notebook into `build/notebooks/`, exports them to offline HTML and
writes the report page `build/report/index.html` (the `irde report` verb).

Reads the built tables (through the notebooks); writes only under the chosen output folder.
May import every earlier stage: `irde.paths`, `irde.schema`, `irde.curation`, `irde.tables`,
`irde.validation`, `irde.analysis`.
"""
