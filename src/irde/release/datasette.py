"""The Datasette `metadata.yml` for `irde.sqlite`, rendered from the schema.

It gives the dataset's title, description, licence and source, each table's and column's
description, a few facets per table, and canned queries (calls per year, allegations with their
first denial, a GDELT-style monthly count of Iran → Russia CONSULT events from the dyads table).
Use: `datasette irde.sqlite -m metadata.yml`. This module only renders text; Datasette itself is
needed only to serve the file (and by the test that does so).
"""

from __future__ import annotations

import yaml

from irde.release.export_frames import FlatFile
from irde.schema.model import Schema

DATABASE = "irde"
FACETS = {
    "meetings": ["mode", "format", "highest_level", "forum"],
    "participants": ["delegation", "role_code"],
    "persons": ["country", "sector"],
    "agreements": ["kind", "agreement_status"],
    "allegations": ["category", "status"],
    "allegation_statements": ["stance", "speaker_country", "speaker_type", "evidence_type"],
    "sources": ["language", "source_type"],
    "dyads": ["direction_rule", "event_table", "plover_event_type", "actor1_country", "actor2_country"],
}
QUERIES = {
    "calls_per_year": {
        "title": "Calls per year",
        "description": "Telephone calls and video conferences between Iranian and Russian officials, per year.",
        "sql": "SELECT substr(start_date, 1, 4) AS year,\n"
               "       sum(mode = 'phone') AS phone_calls, sum(mode = 'video') AS video_conferences,\n"
               "       count(*) AS calls\n"
               "FROM meetings WHERE mode IN ('phone', 'video')\nGROUP BY year ORDER BY year",
    },
    "allegations_with_first_denial": {
        "title": "Allegations with their first denial",
        "description": "Each allegation, when it was first claimed, and the first statement denying it (if any).",
        "sql": "SELECT a.allegation_id, a.title, a.status, a.first_claimed_date,\n"
               "       d.statement_date AS first_denial_date, d.speaker_organisation AS denied_by,\n"
               "       d.speaker_country AS denier_country, d.statement_id AS denial_statement_id\n"
               "FROM allegations a\n"
               "LEFT JOIN allegation_statements d ON d.statement_id = (\n"
               "  SELECT s.statement_id FROM allegation_statements s\n"
               "  WHERE s.allegation_id = a.allegation_id AND s.stance = 'denial'\n"
               "  ORDER BY s.statement_date, s.statement_id LIMIT 1)\n"
               "ORDER BY a.first_claimed_date, a.allegation_id",
    },
    "iran_to_russia_consult_per_month": {
        "title": "Iran → Russia CONSULT events per month",
        "description": "A GDELT-style monthly count from the dyads table: rows with actor 1 Iran, actor 2 Russia "
                       "and PLOVER type CONSULT. Calls whose initiator is unknown count once in each direction "
                       "(direction_rule call_initiator_unknown); filter them out for strictly directed counts.",
        "sql": "SELECT substr(event_start_date, 1, 7) AS month, count(*) AS consult_events\n"
               "FROM dyads\nWHERE actor1_country = 'IRN' AND actor2_country = 'RUS' AND plover_event_type = 'CONSULT'\n"
               "GROUP BY month ORDER BY month",
    },
}


def metadata(schema: Schema, files: list[FlatFile]) -> dict:
    dataset = schema.dataset
    tables = {}
    for f in files:
        entry = {"title": f.title, "description": f.description,
                 "columns": {c.name: c.description for c in f.columns}}
        facets = [c for c in FACETS.get(f.name, []) if c in f.column_names]
        if facets:
            entry["facets"] = facets
        tables[f.name] = entry
    tables["codebook"] = {"title": "Codebook", "description": "Every column of every table, with its type, "
                          "description and vocabulary.", "facets": ["table", "vocabulary"]}
    tables["codes"] = {"title": "Codes", "description": "Every code of every vocabulary, with its label and "
                       "definition.", "facets": ["vocabulary"]}
    out = {
        "title": f"{dataset['title']}, version {schema.version}",
        "description": " ".join(str(dataset["description"]).split()),
        "license": dataset["licence"]["name"],
        "license_url": dataset["licence"]["path"],
        "source": dataset["title"],
    }
    if dataset.get("repository"):  # left out until a checked repository URL is set
        out["source_url"] = dataset["repository"]
    out["databases"] = {DATABASE: {"tables": tables, "queries": QUERIES}}
    return out


def render_metadata(schema: Schema, files: list[FlatFile]) -> str:
    return yaml.safe_dump(metadata(schema, files), sort_keys=False, allow_unicode=True, width=100)
