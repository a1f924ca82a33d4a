"""The codebook: `schema/codebook.md`, rendered from the schema by `irde generate`.

One Markdown page for researchers: the dataset metadata, every table (grain, keys, row-count
bounds, references), every field (type, Arrow type, constraints, description, whether curated or
derived) and every vocabulary with its labels and definitions. Nothing here is written by hand.
"""

from __future__ import annotations

from irde.schema.arrow import arrow_type
from irde.schema.model import Column, Schema

GENERATED_NOTE = "<!-- Generated from schema/ by `irde generate`; do not edit by hand. -->"


def _constraints(schema: Schema, column: Column) -> str:
    d = column.definition
    parts = []
    if column.required:
        parts.append("required")
    if d.pattern:
        parts.append(f"pattern `{d.pattern}`")
    if d.vocabulary or d.item_vocabulary:
        name = d.vocabulary or d.item_vocabulary
        parts.append(f"codes: [{name}](#vocabulary-{name.replace('_', '-')})")
    codelist = d.codelist or d.item_codelist
    if codelist == "country":
        parts.append("ISO 3166-1 alpha-3")
    elif codelist == "country_or_organisation":
        parts.append("ISO 3166-1 alpha-3 or [organisation](#vocabulary-organisation) code")
    elif codelist == "language":
        parts.append("ISO 639-1")
    if d.item_pattern:
        parts.append(f"items match `{schema.patterns[d.item_pattern]}`")
    if d.minimum is not None:
        parts.append(f"≥ {d.minimum}")
    if d.maximum is not None:
        parts.append(f"≤ {d.maximum}")
    if d.min_length is not None:
        parts.append(f"length ≥ {d.min_length}")
    if d.max_length is not None:
        parts.append(f"length ≤ {d.max_length}")
    return "; ".join(parts)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_codebook(schema: Schema) -> str:
    ds = schema.dataset
    lines = [GENERATED_NOTE, "", f"# Codebook — {ds['title']}", "",
             f"Dataset `{ds['name']}`, version **{schema.version}**, licence {ds['licence']['title']} "
             f"({ds['licence']['name']}).", "", " ".join(str(ds["description"]).split()), "",
             "Types: `date` columns are Arrow `date32`; coded columns are `dictionary<int32, string>` "
             "(categoricals in pandas); lists are `list<string>`. *Derived* columns are computed by "
             "`irde build` and never typed into records.", "", "## Tables", "",
             "| table | grain | primary key | rows (bounds) |", "|---|---|---|---|"]
    for t in schema.tables.values():
        lines.append(f"| [{t.name}](#table-{t.name.replace('_', '-')}) | {t.grain} | "
                     f"{', '.join(t.primary_key)} | {t.row_count_min}–{t.row_count_max} |")
    for t in schema.tables.values():
        lines += ["", f"### Table `{t.name}`", "", f"**{t.title}.** {t.description}", "",
                  f"Primary key: `{', '.join(t.primary_key)}`."]
        for fk in t.foreign_keys:
            lines.append(f"`{', '.join(fk.fields)}` references `{fk.resource}.{', '.join(fk.reference_fields)}`.")
        lines += ["", "| column | type | arrow | constraints | origin | description |", "|---|---|---|---|---|---|"]
        for c in t.columns:
            d = c.definition
            lines.append(f"| `{c.name}` | {d.type} | `{arrow_type(c)}` | {_constraints(schema, c)} | "
                         f"{'derived' if c.derived else 'curated'} | {_cell(d.description)} |")
    lines += ["", "## Vocabularies", ""]
    for v in schema.vocabularies.values():
        extra_keys = list(v.attributes)  # declared in the vocabulary file; the loader refuses any other key
        lines += [f"### Vocabulary `{v.name}`", "", f"**{v.title}.** {v.description}", "",
                  "| code | label | definition |" + "".join(f" {k} |" for k in extra_keys),
                  "|---|---|---|" + "---|" * len(extra_keys)]
        for c in v.codes:
            extras = "".join(f" {_cell(str(c.attributes.get(k, '')))} |" for k in extra_keys)
            lines.append(f"| `{c.code}` | {_cell(c.label)} | {_cell(c.definition)} |{extras}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
