"""Property: whatever is done to a valid record, `irde check` answers with located messages, never a traceback."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import VALID_RECORDS
from irde.curation.records import collect

FILES = sorted(p.relative_to(VALID_RECORDS) for p in VALID_RECORDS.rglob("*.yaml"))
LOCATED = re.compile(r"^records/\S+:\d+: \S.*: .+$")
YAML_VALUES = st.sampled_from(["[]", "{}", "null", "42", "-1.5e9", "true", "'x'", "[a, [b]]", "{a: 1}",
                               "2023-02-30", "\"\\u202e\"", "!!binary aGVsbG8=", "*missing", "|\n  block", "''"])


@st.composite
def mutations(draw):
    target = draw(st.sampled_from(FILES))
    data = (VALID_RECORDS / target).read_bytes()
    lines = data.split(b"\n")
    kind = draw(st.sampled_from(["truncate", "insert_bytes", "replace_line", "delete_line", "duplicate_line",
                                 "replace_value", "reencode", "indent"]))
    if kind == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif kind == "insert_bytes":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=12)) + data[at:]
    elif kind in ("replace_line", "delete_line", "duplicate_line", "replace_value", "indent"):
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "replace_line":
            lines[i] = draw(st.text(max_size=40)).encode("utf-8", "surrogatepass")
        elif kind == "delete_line":
            del lines[i]
        elif kind == "duplicate_line":
            lines.insert(i, lines[i])
        elif kind == "indent":
            lines[i] = b" " * draw(st.integers(1, 5)) + lines[i]
        elif b":" in lines[i]:
            key = lines[i].split(b":", 1)[0]
            lines[i] = key + b": " + draw(YAML_VALUES).encode()
        data = b"\n".join(lines)
    else:
        data = data.decode("utf-8").encode(draw(st.sampled_from(["utf-16", "latin-1", "utf-8-sig"])), "replace")
    return target, data


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations())
def test_check_never_crashes_and_always_locates(schema, mutation):
    target, data = mutation
    with tempfile.TemporaryDirectory() as tmp:
        records = Path(tmp) / "records"
        shutil.copytree(VALID_RECORDS, records)
        (records / target).write_bytes(data)
        collection = collect(schema, records, display_base=Path(tmp))
        for problem in collection.problems:
            assert LOCATED.match(str(problem)), str(problem)
            assert problem.line >= 1
