"""Stage 3 — tables: the built dataset.

Reads the checked records (from `irde.curation`) and writes `dataset/parquet/` (`build`, with the
columns the build derives in `derive`, the dyadic event table in `dyads`, and the byte-for-byte comparison of `build --check` in
`drift`). The researcher-facing read side lives here too: `loading` (`irde.load`, `irde.load_all`),
`sql` (`irde.connect`) and `coverage` (table sizes and the meetings-per-year summary).

`import irde` and loading a table import only `loading` (pandas and pyarrow): nothing in this
package imports Great Expectations, matplotlib or Jupyter.
May import: `irde.paths`, `irde.schema`, `irde.curation`.
"""
