"""Stage 2 — curation: the records that curators edit.

Reads `dataset/records/` and `dataset/retired_ids.yaml` with a strict, line-aware YAML reader
(`yamlio`), checks every record against the schema and against each other (`records` collects;
`checker` checks one file; `across` checks rules that span records, `events` those on what one event is
(sidelines, forums, attendance, initiator, agreement stages); `problems` is the located-message
model every check shares), and rewrites records into canonical form (`formatting`). Retired IDs are
read and checked in `retired`.

Writes only record files, and only through `irde format`.
May import: `irde.paths` and `irde.schema`.
"""
