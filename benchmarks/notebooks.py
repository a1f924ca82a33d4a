"""How long the notebooks take to execute: each one in a fresh `python3` kernel, as `irde report` runs them.

    .venv/bin/python benchmarks/notebooks.py [--repeat N] [--data DIR]

Prints figures only (the goal is all notebooks under 60 s on 2 cores); the tests never assert timings.
Outputs go to a temporary folder, so `build/` is left alone.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from irde.report.notebooks import notebook_paths, run_notebooks

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of the whole set (default 1)")
    parser.add_argument("--data", default=str(ROOT / "dataset" / "parquet"), help="folder of tables")
    args = parser.parse_args()
    notebooks = notebook_paths(ROOT / "notebooks")
    seconds: dict[str, list[float]] = {p.stem: [] for p in notebooks}
    totals = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="irde-bench-") as out:
            started = time.perf_counter()
            for nb in run_notebooks(notebooks, Path(args.data), Path(out)):
                seconds[nb.name].append(nb.seconds)
            totals.append(time.perf_counter() - started)
    print(f"{len(notebooks)} notebooks, {args.repeat} run(s), {os.cpu_count()} CPU(s), tables {args.data}")
    print(f"{'notebook':<28} {'median s':>9} {'min s':>7} {'max s':>7}")
    for name, values in seconds.items():
        print(f"{name:<28} {statistics.median(values):>9.2f} {min(values):>7.2f} {max(values):>7.2f}")
    print(f"{'all (incl. HTML export)':<28} {statistics.median(totals):>9.2f} {min(totals):>7.2f} {max(totals):>7.2f}")


if __name__ == "__main__":
    main()
