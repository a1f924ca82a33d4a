"""`datapackage.json` (Frictionless Data Package) and `croissant.json` (MLCommons Croissant) for a release.

Both are rendered from the schema model (`irde.schema.model`), the same objects that give the Arrow
schema and the codebook, so the fields are described once. Each table is a resource / record set
with its fields, primary key and foreign keys, and each Parquet file carries its size and SHA-256.
Foreign keys whose referencing field is a list (e.g. agreements.signatories → persons) have no
Frictionless or Croissant form and are left out (the codebook documents them, `irde check` enforces
them), as is, in Croissant only, a table's reference to itself (meetings.parent_meeting_id).
Boundary: this module returns JSON-ready dicts for a folder laid out as a release; it neither
writes the release nor runs the validators (`irde.release.bundle`, `irde.release.check`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from irde.release.checksums import sha256_file
from irde.schema.model import Column, Schema, Table

CROISSANT_VERSION = "http://mlcommons.org/croissant/1.1"
PARQUET_MEDIA_TYPE = "application/x-parquet"  # the encodingFormat mlcroissant reads Parquet by
_CROISSANT_TYPES = {"string": "sc:Text", "date": "sc:Date", "integer": "sc:Integer", "number": "sc:Float",
                    "boolean": "sc:Boolean", "array": "sc:Text"}


def table_path(name: str) -> str:
    """Where a table sits inside a release, relative to its root."""
    return f"parquet/{name}.parquet"


def scalar_foreign_keys(table: Table):
    """The foreign keys both formats can express: those whose referencing fields all hold one value."""
    return [fk for fk in table.foreign_keys
            if all(table.column(f).definition.type != "array" for f in fk.fields)]


def _licence(schema: Schema) -> dict[str, str]:
    return dict(schema.dataset["licence"])


# Frictionless ------------------------------------------------------------------------------------

def _constraints(schema: Schema, column: Column) -> dict[str, Any]:
    d = column.definition
    out: dict[str, Any] = {}
    if column.required:
        out["required"] = True
    if d.pattern:
        out["pattern"] = d.pattern
    if d.vocabulary:
        out["enum"] = list(schema.vocabularies[d.vocabulary].code_values)
    bounds = () if d.type == "array" else (("minimum", d.minimum), ("maximum", d.maximum))
    for key, value in (*bounds, ("minLength", d.min_length), ("maxLength", d.max_length)):
        if value is not None:
            out[key] = value
    return out


def categories(schema: Schema, vocabulary: str) -> list[dict[str, str]]:
    """A vocabulary as Table Schema `categories`: each code with its label."""
    return [{"value": c.code, "label": c.label} for c in schema.vocabularies[vocabulary].codes]


def frictionless_field(schema: Schema, column: Column) -> dict[str, Any]:
    d = column.definition
    field: dict[str, Any] = {"name": d.name, "type": d.type, "description": d.description}
    if d.vocabulary:
        field["categories"] = categories(schema, d.vocabulary)
        field["x-vocabulary"] = d.vocabulary
    if d.type == "array":
        item: dict[str, Any] = {"type": d.item_type or "string"}
        if d.item_vocabulary:
            item["categories"] = categories(schema, d.item_vocabulary)
            field["x-vocabulary"] = d.item_vocabulary
            item["constraints"] = {"enum": list(schema.vocabularies[d.item_vocabulary].code_values)}
        elif d.item_pattern:
            item["constraints"] = {"pattern": schema.patterns[d.item_pattern]}
        elif d.minimum is not None or d.maximum is not None:  # an array's bounds constrain its items
            item["constraints"] = {k: v for k, v in (("minimum", d.minimum), ("maximum", d.maximum)) if v is not None}
        field["arrayItem"] = item
    if d.type in ("integer", "number"):
        # Frictionless reads Parquet through pandas, where a null in a numeric column becomes NaN.
        field["missingValues"] = ["", "nan"]
    constraints = _constraints(schema, column)
    if constraints:
        field["constraints"] = constraints
    return field


def frictionless_resource(schema: Schema, table: Table, folder: Path) -> dict[str, Any]:
    path = Path(folder) / table_path(table.name)
    return {
        "name": table.name,
        "type": "table",
        "title": table.title,
        "description": table.description,
        "path": table_path(table.name),
        "format": "parquet",
        "mediatype": "application/vnd.apache.parquet",
        "bytes": path.stat().st_size,
        "hash": f"sha256:{sha256_file(path)}",
        "schema": {
            "fields": [frictionless_field(schema, c) for c in table.columns],
            "primaryKey": list(table.primary_key),
            "foreignKeys": [{"fields": list(fk.fields),
                             "reference": {"resource": fk.resource, "fields": list(fk.reference_fields)}}
                            for fk in scalar_foreign_keys(table)],
        },
    }


def coverage(schema: Schema, folder: Path) -> dict[str, Any]:
    """Temporal coverage computed from the release's tables, spatial coverage from the metadata."""
    from irde.tables.coverage import event_spans

    spans = event_spans(Path(folder) / "parquet")
    out: dict[str, Any] = {}
    if spans:
        out["temporalCoverage"] = {"start": spans["all"][0].isoformat(), "end": spans["all"][1].isoformat()}
    out["spatialCoverage"] = " ".join(str(schema.dataset["spatial_coverage"]).split())
    return out


def datapackage(schema: Schema, folder: Path) -> dict[str, Any]:
    """The Data Package descriptor for the release folder `folder` (tables under parquet/).

    Beside the standard properties it carries `temporalCoverage` (first and last event date, from
    the tables) and `spatialCoverage`, named as in schema.org; coded fields carry `categories`
    (Table Schema v2: each code with its label) and `x-vocabulary`, the vocabulary's name.
    """
    meta = schema.dataset
    return {
        "name": meta["name"],
        "title": meta["title"],
        "description": " ".join(str(meta["description"]).split()),
        "version": schema.version,
        "created": f"{meta['date_released']}T00:00:00Z",
        **coverage(schema, folder),
        **({"homepage": meta["repository"]} if meta["repository"] else {}),
        **({"id": f"https://doi.org/{meta['doi']}"} if meta["doi"] else {}),
        "keywords": list(meta.get("keywords", [])),
        "licenses": [_licence(schema)],
        "contributors": [{"title": a["name"], "roles": ["author"]} for a in meta["authors"]],
        "resources": [frictionless_resource(schema, t, folder) for t in schema.tables.values()],
    }


# Croissant ---------------------------------------------------------------------------------------

def used_vocabularies(schema: Schema) -> set[str]:
    """The vocabularies some column of some table is coded by."""
    return {c.definition.vocabulary or c.definition.item_vocabulary for t in schema.tables.values()
            for c in t.columns if c.definition.vocabulary or c.definition.item_vocabulary}


# The standard Croissant 1.1 @context, as mlcroissant writes it (a non-standard one draws a warning).
_CROISSANT_CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "description": {"@container": "@language"},
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "name": {"@container": "@language"},
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}


def _vocabulary_id(name: str) -> str:
    return f"vocabulary_{name}"


def _enumeration(schema: Schema, name: str) -> dict[str, Any]:
    """A vocabulary as a Croissant enumeration record set: code, label and definition, inline."""
    vocabulary = schema.vocabularies[name]
    rid = _vocabulary_id(name)
    fields = [{"@type": "cr:Field", "@id": f"{rid}/{key}", "name": key, "description": text, "dataType": "sc:Text"}
              for key, text in (("code", "The code stored in the tables."), ("label", "A short human-readable label."),
                                ("definition", "What the code means."))]
    return {
        "@type": "cr:RecordSet",
        "@id": rid,
        "name": rid,
        "description": f"{vocabulary.title}: {vocabulary.description}",
        "dataType": "sc:Enumeration",
        "key": {"@id": f"{rid}/code"},
        "field": fields,
        "data": [{f"{rid}/code": c.code, f"{rid}/label": c.label, f"{rid}/definition": c.definition}
                 for c in vocabulary.codes],
    }


def _croissant_field(table: Table, column: Column, references: dict[str, str]) -> dict[str, Any]:
    d = column.definition
    field: dict[str, Any] = {
        "@type": "cr:Field",
        "@id": f"{table.name}/{d.name}",
        "name": d.name,
        "description": d.description,
        "dataType": _CROISSANT_TYPES[d.type],
        "source": {"fileObject": {"@id": table.name + ".parquet"}, "extract": {"column": d.name}},
    }
    if d.type == "array":
        field["repeated"] = True
    if d.name in references:
        field["references"] = {"field": {"@id": references[d.name]}}
    elif d.vocabulary or d.item_vocabulary:
        field["references"] = {"field": {"@id": f"{_vocabulary_id(d.vocabulary or d.item_vocabulary)}/code"}}
    return field


def _record_set(table: Table) -> dict[str, Any]:
    # A reference to the record set itself (meetings.parent_meeting_id) is a cycle in mlcroissant's
    # loading graph, so only references to other record sets are written.
    references = {f: f"{fk.resource}/{ref}" for fk in scalar_foreign_keys(table)
                  if fk.resource != table.name for f, ref in zip(fk.fields, fk.reference_fields)}
    return {
        "@type": "cr:RecordSet",
        "@id": table.name,
        "name": table.name,
        "description": table.description,
        "key": [{"@id": f"{table.name}/{k}"} for k in table.primary_key],
        "field": [_croissant_field(table, c, references) for c in table.columns],
    }


def croissant(schema: Schema, folder: Path) -> dict[str, Any]:
    """The Croissant 1.1 JSON-LD for the release folder `folder`: one FileObject and RecordSet per table,
    and one enumeration RecordSet per vocabulary (code, label, definition), referenced by its coded fields."""
    from irde.release.citation import citation_text
    from irde.tables.coverage import event_spans

    meta = schema.dataset
    spans = event_spans(Path(folder) / "parquet")
    files = []
    for table in schema.tables.values():
        path = Path(folder) / table_path(table.name)
        files.append({
            "@type": "cr:FileObject",
            "@id": table.name + ".parquet",
            "name": table.name + ".parquet",
            "contentUrl": table_path(table.name),
            "contentSize": f"{path.stat().st_size} B",
            "encodingFormat": PARQUET_MEDIA_TYPE,
            "sha256": sha256_file(path),
        })
    return {
        "@context": _CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CROISSANT_VERSION,
        "name": meta["name"],
        "alternateName": meta["title"],
        "description": " ".join(str(meta["description"]).split()),
        "version": schema.version,
        "datePublished": str(meta["date_released"]),
        **({"temporalCoverage": f"{spans['all'][0]}/{spans['all'][1]}"} if spans else {}),
        "spatialCoverage": " ".join(str(meta["spatial_coverage"]).split()),
        **({"identifier": f"https://doi.org/{meta['doi']}"} if meta["doi"] else {}),
        **({"url": meta["repository"]} if meta["repository"] else {}),
        "license": _licence(schema)["path"],
        "citeAs": citation_text(schema),
        "creator": [{"@type": "sc:Organization", "name": a["name"]} for a in meta["authors"]],
        "keywords": list(meta.get("keywords", [])),
        "distribution": files,
        "recordSet": [*(_record_set(t) for t in schema.tables.values()),
                      *(_enumeration(schema, name) for name in sorted(used_vocabularies(schema)))],
    }
