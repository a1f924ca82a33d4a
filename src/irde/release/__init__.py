"""Stage 7 — release: what is published, and the checks that it is what it claims.

`generate` writes the committed files rendered from the schema and the tables (codebook,
suites, README blocks, CITATION.cff and .zenodo.json from `citation`), with a `--check` mode; `bundle` builds the citable release
folder and its deterministic zip, with `datapackage` (Frictionless and Croissant descriptors),
`checksums` (SHA256SUMS) and `changelog` (CHANGELOG.md as data); `verify` checks a release,
`diff` compares two, `check` runs the consumers' validators (`irde release-check`). `export` writes
the tables for other toolchains (`irde export`: `export_frames` flattens lists into long form,
`export_csv`, `export_stata`, `export_sqlite` and `datasette` write the formats).

Reads the tables, the schema and earlier stages' outputs; writes under `build/release/`,
`build/export/` and the
generated files of the checkout.
May import every earlier stage.
"""
