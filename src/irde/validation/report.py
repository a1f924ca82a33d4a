"""The outcome of a validation run and its three renderings: the text `irde validate` prints,
`result.json`, and a self-contained HTML page.

Boundary: no Great Expectations here — `irde.validation.runner` runs the suites and hands over a
`Report` (and the GX version to name in it).
"""

from __future__ import annotations

import html
import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Failure:
    """One failing row: the values the expectation read, the primary key, and the record's YAML location."""

    values: dict[str, Any]
    record: dict[str, Any]
    origin: str | None = None


@dataclass
class Outcome:
    id: str
    description: str
    type: str
    kwargs: dict[str, Any]
    success: bool
    element_count: int | None = None
    unexpected_count: int | None = None
    observed: Any = None
    error: str | None = None
    failures: list[Failure] = field(default_factory=list)


@dataclass
class SuiteOutcome:
    name: str
    key: list[str]
    outcomes: list[Outcome]
    missing: str | None = None

    @property
    def success(self) -> bool:
        return self.missing is None and all(o.success for o in self.outcomes)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.success]


@dataclass
class Report:
    tables_dir: str
    reference_date: str
    suites: list[SuiteOutcome]

    @property
    def success(self) -> bool:
        return all(s.success for s in self.suites)



def _show(value: Any, value_sets: dict) -> str:
    if isinstance(value, dict) and "$PARAMETER" in value:
        spec = value_sets.get(value["$PARAMETER"])
        if spec is None:
            return value["$PARAMETER"]
        ref = spec["missing_from"]
        where = "".join(f" where {k} = {v}" for k, v in (ref.get("where") or {}).items())
        return f"<{spec['column']} values with no match in {ref['table']}.{ref['column']}{where}>"
    if isinstance(value, list) and len(value) > 8:
        return f"<{len(value)} values: {', '.join(map(str, value[:5]))}, …>"
    return repr(value)


def describe_check(outcome: Outcome, value_sets: dict) -> str:
    """`expect_...(kwarg=value, …)` with long value sets and parameters abbreviated."""
    args = ", ".join(f"{k}={_show(v, value_sets)}" for k, v in outcome.kwargs.items())
    return f"{outcome.type}({args})"


def describe_result(outcome: Outcome) -> str:
    if outcome.error:
        return f"error: {outcome.error.strip().splitlines()[-1]}"
    if outcome.unexpected_count is not None:
        return f"{outcome.unexpected_count} of {outcome.element_count} rows fail"
    return f"observed {json.dumps(outcome.observed, ensure_ascii=False, default=str)}"


def describe_failure(suite: SuiteOutcome, failure: Failure) -> str:
    values = ", ".join(f"{k}={v!r}" for k, v in failure.values.items())
    record = " / ".join(str(v) for v in failure.record.values())
    text = f"{values} in {suite.name} {record}" if record else values
    return text + (f" ({failure.origin})" if failure.origin else "")


def text_lines(report: Report, suites: list[dict]) -> list[str]:
    value_sets = {s["name"]: s["meta"]["value_sets"] for s in suites}
    lines = []
    for suite in report.suites:
        total = len(suite.outcomes)
        if suite.missing:
            lines.append(f"{suite.name}: FAILED, {suite.missing}")
            continue
        if suite.success:
            lines.append(f"{suite.name}: all {total} expectations passed")
            continue
        lines.append(f"{suite.name}: {len(suite.failed)} of {total} expectations FAILED")
        for outcome in suite.failed:
            lines.append(f"  {outcome.id}: {outcome.description}")
            lines.append(f"    {describe_check(outcome, value_sets[suite.name])}: {describe_result(outcome)}")
            lines += [f"    - {describe_failure(suite, f)}" for f in outcome.failures]
            if outcome.unexpected_count and outcome.unexpected_count > len(outcome.failures):
                lines.append(f"    … and {outcome.unexpected_count - len(outcome.failures)} more")
    return lines


def result_json(report: Report, gx_version: str) -> str:
    data = {"success": report.success, "tables_dir": report.tables_dir, "reference_date": report.reference_date,
            "great_expectations": gx_version,
            "suites": [{"name": s.name, "success": s.success, "missing": s.missing,
                        "expectations": [asdict(o) for o in s.outcomes]} for s in report.suites]}
    return json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n"


_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#1b1b1b}
h1 .ok,td.ok{color:#17643a}h1 .bad,td.bad{color:#a4161a}
table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f1f1f1}code{font:13px ui-monospace,monospace;word-break:break-word}
tr.bad{background:#fff0f0}ul{margin:.25em 0;padding-left:1.2em}
"""


def report_html(report: Report, suites: list[dict], gx_version: str) -> str:
    """A single self-contained page: inline CSS, no script, no image, nothing fetched when opened."""
    e = html.escape
    value_sets = {s["name"]: s["meta"]["value_sets"] for s in suites}
    verdict = '<span class="ok">passed</span>' if report.success else '<span class="bad">FAILED</span>'
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           # The policy forbids every request, so even a value that looks like a URL can't trigger one.
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           "<title>IRDE validation report</title>", f"<style>{_CSS}</style></head><body>",
           f"<h1>IRDE validation: {verdict}</h1>",
           f"<p>Tables: <code>{e(report.tables_dir)}</code>. Reference date {e(report.reference_date)}. "
           f"Great Expectations {e(gx_version)}.</p>",
           "<table><tr><th>suite</th><th>expectations</th><th>failed</th></tr>"]
    for s in report.suites:
        status = "ok" if s.success else "bad"
        failed = e(s.missing) if s.missing else str(len(s.failed))
        out.append(f'<tr><td><a href="#suite-{e(s.name)}">{e(s.name)}</a></td><td>{len(s.outcomes)}</td>'
                   f'<td class="{status}">{failed}</td></tr>')
    out.append("</table>")
    for s in report.suites:
        out += [f'<h2 id="suite-{e(s.name)}">{e(s.name)}</h2>',
                "<table><tr><th>expectation</th><th>check</th><th>result</th></tr>"]
        for o in s.outcomes:
            result = "passed" if o.success else e(describe_result(o))
            if o.failures:
                result += "<ul>" + "".join(f"<li>{e(describe_failure(s, f))}</li>" for f in o.failures) + "</ul>"
            out.append(f'<tr class="{"ok" if o.success else "bad"}"><td><code>{e(o.id)}</code><br>{e(o.description)}'
                       f"</td><td><code>{e(describe_check(o, value_sets.get(s.name, {})))}</code></td>"
                       f"<td>{result}</td></tr>")
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
