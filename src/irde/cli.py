"""The `irde` command: one entry point, one verb per job.

Verbs import their machinery lazily, so `irde --help` and `irde check` stay fast and never load
Great Expectations, matplotlib or Jupyter.
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
    from irde.schema import load_schema

    return load_schema(_root() / "schema")


def _records_dir(args) -> Path:
    return Path(args.records) if args.records else _root() / "dataset" / "records"


def cmd_check(args) -> int:
    from irde.records import collect

    schema = _schema()
    records_dir = _records_dir(args)
    today = dt.date.fromisoformat(args.today) if args.today else None
    collection = collect(schema, records_dir, display_base=Path.cwd() if args.records else _root(), today=today)
    for problem in collection.problems:
        print(problem)
    noun = "problem" if len(collection.problems) == 1 else "problems"
    print(f"irde check: {collection.files} files, {len(collection.problems)} {noun}", file=sys.stderr)
    return 1 if collection.problems else 0


def cmd_format(args) -> int:
    from irde.formatting import format_records

    changed, unparsable = format_records(_schema(), _records_dir(args), check_only=args.check)
    for path in changed:
        print(f"{'not canonical' if args.check else 'reformatted'}: {os.path.relpath(path, Path.cwd())}")
    for path in unparsable:
        print(f"cannot format (run `irde check`): {os.path.relpath(path, Path.cwd())}", file=sys.stderr)
    if args.check and changed:
        print(f"irde format: {len(changed)} file(s) not in canonical form; run `irde format`", file=sys.stderr)
        return 1
    return 1 if unparsable else 0


def cmd_build(args) -> int:
    from irde.build import BuildError, build_tables, write_tables

    root = _root()
    out_dir = Path(args.out) if args.out else root / "dataset" / "parquet"
    try:
        tables = build_tables(_schema(), _records_dir(args))
    except BuildError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"irde build: {exc}", file=sys.stderr)
        return 1
    if args.check:
        from irde.drift import compare_tables

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
    from irde.generate import REGENERATE, generate

    stale = generate(_schema(), _root(), check_only=args.check)
    for path in stale:
        print(f"{'stale' if args.check else 'wrote'}: {os.path.relpath(path, Path.cwd())}")
    if args.check and stale:
        print(f"irde generate --check: generated files are stale; run `{REGENERATE}`", file=sys.stderr)
        return 1
    return 0


def cmd_info(args) -> int:
    from irde.coverage import coverage_markdown

    print(coverage_markdown(args.path))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="irde", description="Build, check and document the IRDE dataset.")
    sub = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    p = sub.add_parser("check", help="check every record; print path:line: field: message for each problem")
    p.add_argument("--records", help="records folder (default: dataset/records of the checkout)")
    p.add_argument("--today", help="reference date for 'date in the future' (default: IRDE_TODAY or today)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("format", help="rewrite records into canonical form")
    p.add_argument("--records", help="records folder (default: dataset/records of the checkout)")
    p.add_argument("--check", action="store_true", help="only list files that are not canonical; exit 1 if any")
    p.set_defaults(func=cmd_format)

    p = sub.add_parser("build", help="build the Parquet tables from the records")
    p.add_argument("--records", help="records folder (default: dataset/records of the checkout)")
    p.add_argument("--out", help="output folder (default: dataset/parquet)")
    p.add_argument("--check", action="store_true", help="compare a fresh build with the output folder; write nothing")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("generate", help="write the files rendered from the schema (codebook, …)")
    p.add_argument("--check", action="store_true", help="only compare; exit 1 if any file is stale")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("info", help="print table sizes and the coverage table (meetings per year × level × mode)")
    p.add_argument("path", nargs="?", help="folder of tables (default: the committed tables)")
    p.set_defaults(func=cmd_info)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
