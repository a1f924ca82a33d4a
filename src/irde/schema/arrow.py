"""The Arrow rendering of the schema and the assembly of rows into Arrow tables.

Types are explicit, never inferred: strings as `string`, coded columns as
`dictionary<int32, string>`, dates as `date32`, counts as `int64`, coordinates as `float64`,
flags as `bool`, lists as `list<string>` (`list<int64>` for lists of integers such as months). Each field carries its description, and coded fields
their vocabulary and full code list, in the Arrow field metadata; the file metadata carries the
dataset name and version. Rows are sorted by the primary key.
"""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

from irde.schema.model import Column, Schema, Table

_SCALAR_TYPES = {
    "string": pa.string(),
    "date": pa.date32(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
}
DICTIONARY = pa.dictionary(pa.int32(), pa.string())
VERSION_KEY = "irde:version"  # file metadata key holding the dataset version


def arrow_type(column: Column) -> pa.DataType:
    d = column.definition
    if d.type == "array":
        item = pa.int64() if d.item_type == "integer" else pa.string()
        return pa.list_(pa.field("element", item))  # the child name Parquet readers write back
    if d.vocabulary:
        return DICTIONARY
    return _SCALAR_TYPES[d.type]


def field_metadata(schema: Schema, column: Column) -> dict[bytes, bytes]:
    d = column.definition
    meta = {"description": d.description}
    vocabulary = d.vocabulary or d.item_vocabulary
    if vocabulary:
        meta["vocabulary"] = vocabulary
        meta["codes"] = json.dumps(list(schema.vocabularies[vocabulary].code_values))
    if column.derived:
        meta["derived"] = "true"
    return {k.encode(): v.encode() for k, v in meta.items()}


def arrow_schema(schema: Schema, table: Table) -> pa.Schema:
    fields = [pa.field(c.name, arrow_type(c), nullable=not c.required, metadata=field_metadata(schema, c))
              for c in table.columns]
    metadata = {
        "irde:dataset": schema.dataset["name"],
        VERSION_KEY: schema.version,
        "irde:table": table.name,
        "irde:primary_key": json.dumps(list(table.primary_key)),
        "description": table.description,
    }
    return pa.schema(fields, metadata={k.encode(): v.encode() for k, v in metadata.items()})


def _sort_key(value: Any) -> tuple:
    return (value is None, value if value is not None else "")


def to_arrow(schema: Schema, table: Table, rows: list[dict[str, Any]]) -> pa.Table:
    target = arrow_schema(schema, table)
    ordered = sorted(rows, key=lambda r: tuple(_sort_key(r.get(k)) for k in table.primary_key))
    arrays = []
    for column, arrow_field in zip(table.columns, target):
        values = [row.get(column.name) for row in ordered]
        if arrow_field.type == DICTIONARY:
            codes = json.loads(arrow_field.metadata[b"codes"])
            position = {code: i for i, code in enumerate(codes)}
            indices = pa.array([None if v is None else position[v] for v in values], type=pa.int32())
            arrays.append(pa.DictionaryArray.from_arrays(indices, pa.array(codes, type=pa.string())))
        else:
            arrays.append(pa.array(values, type=arrow_field.type))
    return pa.Table.from_arrays(arrays, schema=target)
