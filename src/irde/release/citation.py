"""How the dataset is cited and deposited, rendered from `schema/dataset.yaml` and the tables.

One source for every place a citation or deposit record appears: the recommended citation (README,
croissant.json), the BibTeX entry (README), `CITATION.cff` and `.zenodo.json` (Zenodo reads the
latter in preference to the former when a GitHub release is deposited). The repository URL and
the DOI are left out everywhere while `schema/dataset.yaml` leaves them empty, so no rendered
file carries a URL nobody has checked or a placeholder identifier. The temporal coverage is
computed from the tables (`irde.tables.coverage.event_spans`), never typed.
Boundary: renders text; `irde.release.generate` writes the committed files.
"""

from __future__ import annotations

import json
from pathlib import Path

from irde.schema.model import Schema

GENERATED_HEADER = "# Generated from schema/dataset.yaml by `irde generate`; do not edit by hand."


def _oneline(text) -> str:
    return " ".join(str(text).split())


def citation_year(schema: Schema) -> int:
    return schema.dataset["date_released"].year


def doi_url(schema: Schema) -> str:
    return f"https://doi.org/{schema.dataset['doi']}" if schema.dataset["doi"] else ""


def citation_text(schema: Schema) -> str:
    """The recommended citation, with the DOI once there is one."""
    text = _oneline(schema.dataset["citation"]).format(version=schema.version, year=citation_year(schema))
    return f"{text} {doi_url(schema)}" if schema.dataset["doi"] else text


def bibtex_key(schema: Schema) -> str:
    return f"{schema.dataset['name']}_{schema.version.replace('.', '_')}"


def bibtex(schema: Schema) -> str:
    """A BibTeX entry with a real key (the name and version), never a placeholder."""
    meta = schema.dataset
    authors = " and ".join("{" + a["name"] + "}" for a in meta["authors"])
    fields = [("author", authors), ("title", "{" + meta["title"] + "}"), ("year", str(citation_year(schema))),
              ("version", schema.version),
              ("note", f"Data set, released under {meta['licence']['title']}")]
    if meta["doi"]:
        fields += [("doi", meta["doi"]), ("url", doi_url(schema))]
    elif meta["repository"]:
        fields.append(("url", meta["repository"]))
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields)
    return f"@misc{{{bibtex_key(schema)},\n{body}\n}}"


def render_citation_cff(schema: Schema) -> str:
    """CITATION.cff, entirely from schema/dataset.yaml."""
    meta = schema.dataset
    lines = [GENERATED_HEADER, "cff-version: 1.2.0", 'message: "If you use this dataset, please cite it as below."',
             "type: dataset", f"title: {json.dumps(meta['title'], ensure_ascii=False)}",
             f"version: {schema.version}", f'date-released: "{meta["date_released"]}"',
             f"license: {meta['licence']['name']}", "authors:"]
    lines += [f"  - name: {json.dumps(a['name'], ensure_ascii=False)}" for a in meta["authors"]]
    lines.append(f"abstract: {json.dumps(_oneline(meta['description']), ensure_ascii=False)}")
    lines.append("keywords:")
    lines += [f"  - {json.dumps(k, ensure_ascii=False)}" for k in meta["keywords"]]
    if meta["doi"]:
        lines.append(f"doi: {meta['doi']}")
    if meta["repository"]:
        lines.append(f"repository-code: {meta['repository']}")
    return "\n".join(lines) + "\n"


def related_identifiers(schema: Schema) -> list[dict[str, str]]:
    meta = schema.dataset
    related = [dict(r) for r in meta.get("related_identifiers", [])]
    if meta["repository"]:
        related.append({"identifier": meta["repository"], "relation": "isSupplementedBy", "scheme": "url"})
    return related


def coverage_note(schema: Schema, tables: Path) -> str:
    from irde.tables.coverage import event_spans

    spans = event_spans(tables)
    when = f"Temporal coverage: {spans['all'][0]} to {spans['all'][1]} (computed from the tables). " if spans else ""
    return f"{when}Spatial coverage: {_oneline(schema.dataset['spatial_coverage'])}"


def render_zenodo(schema: Schema, tables: Path) -> str:
    """.zenodo.json: the deposit metadata Zenodo takes from a GitHub release."""
    meta = schema.dataset
    record = {
        "upload_type": "dataset",
        "title": meta["title"],
        "description": _oneline(meta["description"]),
        "version": schema.version,
        "publication_date": str(meta["date_released"]),
        "license": meta["licence"]["name"].lower(),
        "creators": [{"name": a["name"], **({"orcid": a["orcid"]} if "orcid" in a else {}),
                      **({"affiliation": a["affiliation"]} if "affiliation" in a else {})} for a in meta["authors"]],
        "keywords": list(meta["keywords"]),
        "notes": coverage_note(schema, tables),
    }
    related = related_identifiers(schema)
    if related:
        record["related_identifiers"] = related
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"


def how_to_cite_markdown(schema: Schema) -> str:
    """The README's "How to cite" block: the citation and its BibTeX entry."""
    doi = (f"The DOI of this version is [{schema.dataset['doi']}]({doi_url(schema)})." if schema.dataset["doi"]
           else "This version has no DOI yet; it will appear here, in `CITATION.cff` and in the BibTeX entry once "
                "the release is deposited.")
    return "\n".join([f"> {citation_text(schema)}", "", doi, "", "```bibtex", bibtex(schema), "```"])
