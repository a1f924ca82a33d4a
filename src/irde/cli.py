"""The `irde` command: one entry point, one verb per job.

Verbs import their machinery lazily, so `irde --help` and `irde check` stay fast and never load
Great Expectations, matplotlib or Jupyter. Failures are turned into one line and an exit code by
`irde.errors.run_verb`, the one place that does so; verbs raise `IrdeError` for what they can name.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path


def _root() -> Path:
    from irde.paths import require_root

    return require_root()


def _schema():
    from irde.schema.model import load_schema

    return load_schema(_root() / "schema")


def _records_dir(args) -> Path:
    return Path(args.records) if args.records else _root() / "dataset" / "records"


def _today(args) -> dt.date | None:
    from irde.errors import IrdeError

    if not args.today:
        return None
    try:
        return dt.date.fromisoformat(args.today)
    except ValueError:
        raise IrdeError(f"--today {args.today}", "not a real date as YYYY-MM-DD") from None


def _existing(path: str, what: str) -> Path:
    """`path` when it exists; otherwise a one-line error naming it."""
    from irde.errors import IrdeError

    if not Path(path).exists():
        raise IrdeError(path, f"no such {what}")
    return Path(path)


def cmd_check(args) -> int:
    from irde.curation.records import collect

    schema = _schema()
    records_dir = _records_dir(args)
    today = _today(args)
    collection = collect(schema, records_dir, display_base=Path.cwd() if args.records else _root(), today=today)
    problems = [str(p) for p in collection.problems]
    retired_file = records_dir.parent / "retired_ids.yaml"
    if retired_file.is_file():
        from irde.curation.retired import load_retired, reused_ids

        entries, issues = load_retired(schema, Path(os.path.relpath(retired_file, Path.cwd())))
        problems += issues + [str(p) for p in reused_ids(schema, entries, collection)]
    for line in problems:
        print(line)
    noun = "problem" if len(problems) == 1 else "problems"
    print(f"irde check: {collection.files} files, {len(problems)} {noun}", file=sys.stderr)
    return 1 if problems else 0


def cmd_format(args) -> int:
    from irde.curation.formatting import format_records

    refused: dict[Path, str] = {}
    changed, unparsable = format_records(_schema(), _records_dir(args), check_only=args.check, refused=refused)
    for path in changed:
        print(f"{'not canonical' if args.check else 'reformatted'}: {os.path.relpath(path, Path.cwd())}")
    for path in unparsable:
        shown = os.path.relpath(path, Path.cwd())
        if path in refused:
            print(f"irde format: {shown}: {refused[path]}", file=sys.stderr)
        else:
            print(f"cannot format (run `irde check`): {shown}", file=sys.stderr)
    if args.check and changed:
        print(f"irde format: {len(changed)} file(s) not in canonical form; run `irde format`", file=sys.stderr)
        return 1
    return 1 if unparsable else 0


def cmd_build(args) -> int:
    from irde.tables.build import BuildError, build_tables, check_output_folder, write_tables

    root = _root()
    out_dir = Path(args.out) if args.out else root / "dataset" / "parquet"
    if not args.check:
        check_output_folder(out_dir)  # refuse before the (long) build, not after
    try:
        tables = build_tables(_schema(), _records_dir(args))
    except BuildError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"irde build: {exc}", file=sys.stderr)
        return 1
    if args.check:
        from irde.tables.drift import compare_tables

        from irde.errors import reading

        with reading(out_dir):
            stale = compare_tables(tables, out_dir)
        for line in stale:
            print(line)
        if stale:
            print(f"irde build --check: {out_dir} differs from a fresh build; run `irde build`", file=sys.stderr)
            return 1
        print(f"irde build --check: {out_dir} equals a fresh build", file=sys.stderr)
        return 0
    write_tables(tables, out_dir)
    sizes = ", ".join(f"{name} {t.num_rows}" for name, t in tables.items())
    print(f"irde build: wrote {len(tables)} tables to {os.path.relpath(out_dir, Path.cwd())} ({sizes})", file=sys.stderr)
    return 0


def cmd_generate(args) -> int:
    from irde.release.generate import REGENERATE, generate

    stale = generate(_schema(), _root(), check_only=args.check)
    for path in stale:
        print(f"{'stale' if args.check else 'wrote'}: {os.path.relpath(path, Path.cwd())}")
    if args.check and stale:
        print(f"irde generate --check: generated files are stale; run `{REGENERATE}`", file=sys.stderr)
        return 1
    return 0


def cmd_validate(args) -> int:
    root = _root()
    from irde.errors import reading
    from irde.paths import claim_output, mark_output
    from irde.tables.loading import load_all

    tables_dir = _existing(args.path, "folder of tables") if args.path else root / "dataset" / "parquet"
    with reading(tables_dir):
        load_all(tables_dir)  # a corrupt or tampered table is named here, before Great Expectations starts
    out_dir = Path(args.out) if args.out else root / "build" / "validation"
    if args.out:  # the default build/validation is irde's own; a folder the user names must be ours or empty
        claim_output(out_dir, "validate", {"result.json", "report.html"}.__contains__)
    from irde.validation.runner import main as validate  # imports Great Expectations: only this verb pays for it

    code = validate(tables_dir, root, out_dir)
    if args.out:
        mark_output(out_dir)
    return code


def cmd_info(args) -> int:
    from irde.tables.coverage import coverage_markdown

    from irde.errors import reading
    from irde.tables.loading import table_names

    folder = _existing(args.path, "folder of tables") if args.path else None
    with reading(folder or "tables"):
        table_names(folder)
        print(coverage_markdown(folder))
    return 0


def _require_tables(folder: Path) -> None:
    """The notebooks need every table of the schema: name the missing ones before a kernel starts."""
    from irde.errors import InputError
    from irde.tables.loading import table_names

    missing = sorted(set(_schema().tables) - set(table_names(folder)))
    if missing:
        raise InputError(str(folder), f"lacks the table(s) {', '.join(missing)}; the report needs every table")


def cmd_report(args) -> int:
    from irde.report.notebooks import build_report

    root = _root()
    from irde.errors import reading
    from irde.paths import claim_output, mark_output
    from irde.tables.loading import load_all

    data_dir = _existing(args.data, "folder of tables") if args.data else root / "dataset" / "parquet"
    with reading(data_dir):
        load_all(data_dir)  # a corrupt table is named here, before any notebook runs
    _require_tables(data_dir)
    out_dir = Path(args.out) if args.out else root / "build"
    if args.out:
        claim_output(out_dir, "report", {"notebooks", "figures", "report", "derived", "validation", "release",
                                     "codebook"}.__contains__)
    # The README chart shows the committed tables only, never another copy.
    readme_chart = None if args.data else root / "docs" / "cooperation-index.png"
    executed, index = build_report(root, data_dir, out_dir, notebooks_only=args.notebooks_only,
                                   readme_chart=readme_chart)
    if args.out:
        mark_output(out_dir)
    for nb in executed:
        print(f"executed: {os.path.relpath(nb.html, Path.cwd())} ({nb.seconds:.1f} s)")
    if index is not None:
        print(f"wrote: {os.path.relpath(index, Path.cwd())}")
    return 0


def cmd_site(args) -> int:
    from irde.site.build import SiteError, build_site

    root = _root()
    out = Path(args.out) if args.out else root / "build" / "site"
    data_dir = Path(args.data) if args.data else root / "dataset" / "parquet"
    try:
        built = build_site(_schema(), root, data_dir, out, root / "build")
    except SiteError as exc:
        print(f"irde site: {exc}", file=sys.stderr)
        return 1
    kinds = ", ".join(f"{n} {kind} pages" for kind, n in built.record_pages.items())
    print(f"irde site: wrote {built.pages} pages to {os.path.relpath(out, Path.cwd())}/ ({kinds})", file=sys.stderr)
    if args.serve:
        from irde.site.serve import make_server

        server = make_server(out, args.port)
        print(f"irde site: serving {os.path.relpath(out, Path.cwd())}/ at http://{server.server_address[0]}:"
              f"{server.server_address[1]}/ (Ctrl-C stops)", file=sys.stderr)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
    return 0


def _stale_inputs(root: Path) -> list[str]:
    """What a release would ship out of date: tables that differ from a fresh build of the records
    (checked when the checkout has records), and generated files that differ from a fresh rendering."""
    from irde.tables.build import BuildError, build_tables
    from irde.tables.drift import compare_tables
    from irde.release.generate import generate

    schema = _schema()
    lines = [f"stale: {os.path.relpath(p, Path.cwd())}" for p in generate(schema, root, check_only=True)]
    from irde.errors import reading

    records = root / "dataset" / "records"
    if records.is_dir():
        try:
            with reading(root / "dataset" / "parquet"):
                lines += compare_tables(build_tables(schema, records), root / "dataset" / "parquet")
        except BuildError as exc:
            lines += [str(p) for p in exc.problems]
    return lines


def cmd_export(args) -> int:
    from irde.release.export import ExportError, export

    root = _root()
    try:
        folder = export(_schema(), Path(args.data) if args.data else root / "dataset" / "parquet",
                        Path(args.out) if args.out else root / "build" / "export")
    except ExportError as exc:
        print(f"irde export: {exc}", file=sys.stderr)
        return 1
    print(f"wrote: {os.path.relpath(folder, Path.cwd())}/ (csv/, stata/, irde.sqlite, metadata.yml)")
    return 0


def cmd_release(args) -> int:
    from irde.release.bundle import build_release
    from irde.release.verify import ReleaseError

    from irde.paths import claim_output, mark_output

    root = _root()
    out_dir = Path(args.out) if args.out else root / "build" / "release"
    if args.out:
        claim_output(out_dir, "release", lambda name: name.startswith("irde-"))
    stale = _stale_inputs(root)
    if stale:
        for line in stale:
            print(line)
        print("irde release: the tables or generated files are stale; run `irde build` and `irde generate` first",
              file=sys.stderr)
        return 1
    try:
        folder, archive, skipped = build_release(_schema(), root, out_dir, allow_missing=args.allow_missing)
    except ReleaseError as exc:
        print(f"irde release: {exc}", file=sys.stderr)
        return 1
    if args.out:
        mark_output(out_dir)
    for what in skipped:
        print(f"irde release: left out (--allow-missing): {what}", file=sys.stderr)
    print(f"wrote: {os.path.relpath(folder, Path.cwd())}/")
    print(f"wrote: {os.path.relpath(archive, Path.cwd())}")
    return 0


def cmd_verify(args) -> int:
    from irde.release.verify import ReleaseError, verify

    try:
        problems, schema = verify(_existing(args.path, "release folder or zip"),
                                  _existing(args.schema, "schema folder") if args.schema else None)
    except ReleaseError as exc:
        print(f"irde verify: {exc}", file=sys.stderr)
        return 1
    for line in problems:
        print(line)
    verdict = f"{len(problems)} problem(s)" if problems else "intact"
    print(f"irde verify: {args.path}: {verdict} (checked against schema version {schema.version})", file=sys.stderr)
    return 1 if problems else 0


def cmd_diff(args) -> int:
    from irde.release.diff import diff_releases
    from irde.release.verify import ReleaseError

    try:
        markdown, problems = diff_releases(_existing(args.old, "release or folder of tables"),
                                           _existing(args.new, "release or folder of tables"),
                                           _existing(args.schema, "schema folder") if args.schema else None,
                                           _existing(args.retired, "retired-ID list") if args.retired else None)
    except ReleaseError as exc:
        print(f"irde diff: {exc}", file=sys.stderr)
        return 1
    print(markdown, end="")
    for line in problems:
        print(f"irde diff: {line}", file=sys.stderr)
    return 1 if problems else 0


def cmd_release_check(args) -> int:
    from irde.release.bundle import release_name
    from irde.release.check import release_checks

    root = _root()
    schema = _schema()
    folder = Path(args.release) if args.release else root / "build" / "release" / release_name(schema)
    cffconvert = args.cffconvert or str(root / ".venv-tools" / "bin" / "cffconvert")
    checks = release_checks(schema, root, folder, cffconvert)
    for check in checks:
        print(f"{'FAIL' if check.problems else 'ok  '}  {check.name}")
        for line in check.problems:
            print(f"      {line}")
    failed = sum(1 for c in checks if c.problems)
    print(f"irde release-check: {len(checks) - failed} of {len(checks)} checks passed", file=sys.stderr)
    return 1 if failed else 0


def _records_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--records", help="records folder (default: dataset/records of the checkout)")


class _Parser(argparse.ArgumentParser):
    """Bad arguments give one line, `irde VERB: what is wrong`, and exit 2 like every usage error."""

    def error(self, message: str):
        from irde.errors import EXIT_USAGE, say

        say(self.prog.removeprefix("irde").strip(), f"{message} (see `{self.prog} --help`)")
        raise SystemExit(EXIT_USAGE)


EPILOG = """exit codes: 0 success; 1 the input has problems (each reported); 2 bad arguments or a missing,
unreadable or refused path; 3 the system failed (disk full, read-only, permission denied);
4 an unforeseen error (a bug: rerun with --debug and report it); 130 interrupted; 141 output pipe closed."""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="irde", description="Build, check and document the IRDE dataset.", epilog=EPILOG)
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    sub = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    p = sub.add_parser("check", help="check every record; print path:line: field: message for each problem")
    _records_option(p)
    p.add_argument("--today", help="reference date for 'date in the future' (default: IRDE_TODAY or today)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("format", help="rewrite records into canonical form")
    _records_option(p)
    p.add_argument("--check", action="store_true", help="only list files that are not canonical; exit 1 if any")
    p.set_defaults(func=cmd_format)

    p = sub.add_parser("build", help="build the Parquet tables from the records")
    _records_option(p)
    p.add_argument("--out", help="output folder (default: dataset/parquet)")
    p.add_argument("--check", action="store_true", help="compare a fresh build with the output folder; write nothing")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("generate", help="write the files rendered from the schema (codebook, …)")
    p.add_argument("--check", action="store_true", help="only compare; exit 1 if any file is stale")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("validate", help="run the validation suites against the built tables; exit 1 on any failure")
    p.add_argument("path", nargs="?", help="folder of tables (default: dataset/parquet), e.g. an unpacked release")
    p.add_argument("--out", help="folder for result.json and report.html (default: build/validation)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("info", help="print table sizes and the coverage table (meetings per year × level × mode)")
    p.add_argument("path", nargs="?", help="folder of tables (default: the committed tables)")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("report", help="execute the notebooks into build/notebooks and write build/report/index.html")
    p.add_argument("--data", help="folder of tables (default: the committed tables)")
    p.add_argument("--out", help="output folder (default: build)")
    p.add_argument("--notebooks-only", action="store_true", help="execute the notebooks; skip the report page")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("export", help="write the tables as CSV, Stata .dta and SQLite (with Datasette metadata) "
                       "into build/export")
    p.add_argument("--data", help="folder of tables (default: dataset/parquet)")
    p.add_argument("--out", help="output folder (default: build/export)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("site", help="build the web edition into build/site/ (one page per record); --serve previews it")
    p.add_argument("--data", help="folder of tables (default: the committed tables)")
    p.add_argument("--out", help="output folder (default: build/site)")
    p.add_argument("--serve", action="store_true", help="then serve it on http://127.0.0.1:PORT/ until Ctrl-C")
    p.add_argument("--port", type=int, default=8000, help="port for --serve (default: 8000)")
    p.set_defaults(func=cmd_site)

    p = sub.add_parser("release", help="build build/release/irde-<version>/ and its zip, with SHA256SUMS")
    p.add_argument("--out", help="output folder (default: build/release)")
    p.add_argument("--allow-missing", action="store_true",
                   help="leave out the validation report, notebooks or derived table if not built yet")
    p.set_defaults(func=cmd_release)

    p = sub.add_parser("verify", help="check a release folder or zip against its SHA256SUMS and the schema")
    p.add_argument("path", help="release folder (irde-<version>/) or zip")
    p.add_argument("--schema", help="schema folder (default: the release's own schema/, else the checkout's)")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("diff", help="records added, removed and changed between two releases, as Markdown")
    p.add_argument("old", help="older release (folder or zip) or folder of tables")
    p.add_argument("new", help="newer release (folder or zip) or folder of tables")
    p.add_argument("--retired", help="retired-ID list (default: NEW's retired_ids.yaml, else the checkout's)")
    p.add_argument("--schema", help="schema folder (default: NEW's own schema/, else the checkout's)")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("release-check", help="versions agree; the release verifies; cffconvert, frictionless "
                       "and mlcroissant accept it")
    p.add_argument("--release", help="release folder (default: build/release/irde-<version>)")
    p.add_argument("--cffconvert", help="cffconvert executable (default: .venv-tools/bin/cffconvert)")
    p.set_defaults(func=cmd_release_check)
    return parser


_PARSER: argparse.ArgumentParser | None = None


def main(argv: list[str] | None = None) -> int:
    from irde.errors import run_verb

    global _PARSER
    _PARSER = _PARSER or build_parser()  # built once: the property tests call main() thousands of times
    args = _PARSER.parse_args(argv)
    debug = args.debug or bool(os.environ.get("IRDE_DEBUG"))

    def action() -> int:
        from irde.schema.shape import SchemaError

        try:
            return args.func(args)
        except SchemaError as exc:  # every verb reads the schema first: one line per problem, no traceback
            for line in exc.problems:
                print(f"irde: {line}", file=sys.stderr)
            return 1

    return run_verb(args.verb, action, debug=debug)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
