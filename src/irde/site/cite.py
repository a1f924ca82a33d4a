"""How to cite one record of the web edition: a line of text and a BibTeX entry, each naming the
record's ID, its kind, its stable path and the dataset version, worded from `schema/dataset.yaml`.
"""

from __future__ import annotations

from irde.schema.model import Schema
from irde.site.content import record_path


def _authors(schema: Schema) -> str:
    return " and ".join(a["name"] for a in schema.dataset.get("authors", []))


def citation_text(schema: Schema, kind: str, record_id: str, title: str) -> str:
    year = str(schema.dataset["date_released"])[:4]
    return (f"{_authors(schema)} ({year}). “{title}” ({kind} {record_id}). In {schema.dataset['title']}, "
            f"version {schema.version} [data set], {record_path(kind, record_id)}. Released under CC BY 4.0.")


def _bibtex_escape(text: str) -> str:
    return "".join("\\" + c if c in "{}%&$#_" else c for c in text)


def bibtex(schema: Schema, kind: str, record_id: str, title: str) -> str:
    year = str(schema.dataset["date_released"])[:4]
    key = f"{schema.dataset['name']}-{schema.version}-{kind}-{record_id}"
    fields = [
        ("author", "{" + _bibtex_escape(_authors(schema)) + "}"),
        ("title", _bibtex_escape(title)),
        ("year", year),
        ("version", schema.version),
        ("howpublished", _bibtex_escape(f"{schema.dataset['title']}, version {schema.version} [data set]")),
        ("note", _bibtex_escape(f"Record {kind} {record_id}, {record_path(kind, record_id)}. "
                                "Released under CC BY 4.0")),
        ("url", schema.dataset.get("homepage", "")),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{key},\n{body}\n}}"


def dataset_citation(schema: Schema) -> str:
    """The recommended citation of the whole dataset, from the template in schema/dataset.yaml."""
    year = str(schema.dataset["date_released"])[:4]
    return " ".join(str(schema.dataset["citation"]).split()).format(version=schema.version, year=year)


def dataset_bibtex(schema: Schema) -> str:
    year = str(schema.dataset["date_released"])[:4]
    fields = [("author", "{" + _bibtex_escape(_authors(schema)) + "}"), ("title", _bibtex_escape(schema.dataset["title"])),
              ("year", year), ("version", schema.version), ("note", "Data set, released under CC BY 4.0"),
              ("url", schema.dataset.get("homepage", ""))]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{schema.dataset['name']}-{schema.version},\n{body}\n}}"
