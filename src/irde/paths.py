"""Where things live: the checkout's folders, and the tables shipped inside an installed wheel; and how
a verb claims and replaces an output folder (`claim_output`, `replace_folder`).

The command-line verbs work on a checkout (found from the current directory, or IRDE_ROOT);
`irde.load` works from a checkout or from the copy of the tables that the wheel carries.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

PACKAGE_DIR = Path(__file__).resolve().parent


def _is_checkout(path: Path) -> bool:
    return (path / "schema" / "dataset.yaml").is_file() and (path / "dataset").is_dir()


def find_root() -> Path | None:
    """The checkout root: IRDE_ROOT, else the nearest parent of the working directory, else the source tree."""
    env = os.environ.get("IRDE_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if _is_checkout(candidate):
            return candidate
    source_tree = PACKAGE_DIR.parents[1]
    return source_tree if _is_checkout(source_tree) else None


def require_root() -> Path:
    from irde.errors import IrdeError

    env = os.environ.get("IRDE_ROOT")
    root = find_root()
    if env and not (root / "schema").is_dir():  # the schema loader names whatever else is missing
        raise IrdeError(f"IRDE_ROOT={env}", "not an IRDE checkout (it has no schema/ folder)")
    if root is None:
        raise IrdeError("checkout", "no IRDE checkout found here (set IRDE_ROOT or run inside the repository)")
    return root


def schema_dir() -> Path:
    return require_root() / "schema"


def records_dir(root: Path | None = None) -> Path:
    return (root or require_root()) / "dataset" / "records"


def tables_dir(path: str | Path | None = None) -> Path:
    """`path` as a folder of tables, or the default one (below) when it is None."""
    return Path(path) if path is not None else default_tables_dir()


def default_tables_dir() -> Path:
    """The committed tables of the checkout, or the copy packaged in the wheel."""
    root = find_root()
    if root is not None and (root / "dataset" / "parquet").is_dir():
        return root / "dataset" / "parquet"
    packaged = PACKAGE_DIR / "data" / "parquet"
    if packaged.is_dir():
        return packaged
    from irde.errors import MissingTableError

    raise MissingTableError("tables", "no IRDE tables found: pass a path, run inside a checkout, or install the wheel")


OUTPUT_MARKER = ".irde-output"


def claim_output(folder: Path, verb: str, ours) -> None:
    """Refuse to write into `folder` unless it is new, empty, marked as written by irde, or holds only
    entries named as `ours` (a predicate on names: what this verb writes). Creates nothing:
    `mark_output` marks the folder once the verb has written it."""
    from irde.errors import IrdeError

    folder = Path(folder)
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise IrdeError(str(folder), f"not a folder; `irde {verb} --out` takes a new or empty folder")
    if folder.is_dir() and not (folder / OUTPUT_MARKER).is_file():
        foreign = sorted(p.name for p in folder.iterdir() if not ours(p.name))
        if foreign:
            raise IrdeError(str(folder), f"holds {foreign[0]!r}, which `irde {verb}` did not write; choose a new"
                            " or empty folder")


def mark_output(folder: Path) -> None:
    """Mark a folder a verb has written, so that later runs may write into it again."""
    folder = Path(folder)
    if not folder.is_dir():
        return
    marker = folder / OUTPUT_MARKER
    if not marker.is_file():
        marker.write_text("Written by the `irde` verbs (validate, report, release), which replace what they wrote here.\n",
                          encoding="utf-8")


def _fsync(path: Path, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_folder(out_dir: Path, fill: Callable[[Path], None]) -> None:
    """Replace `out_dir` whole: `fill` writes a staging folder beside it, which is synced and swapped in
    by two renames; if `fill` raises, the staging folder is removed and `out_dir` is untouched.

    The previous folder is kept as `.NAME-old-*` between the renames, so a run killed there leaves
    it for `irde.tables.build.recover` to put back. Claiming the folder is the caller's job."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-new-", dir=out_dir.parent))
    try:
        fill(staging)
        for path in sorted(staging.rglob("*"), reverse=True):
            _fsync(path, directory=path.is_dir())
        _fsync(staging, directory=True)
        retired = None
        if out_dir.exists():
            retired = out_dir.parent / f".{out_dir.name}-old-{staging.name.rsplit('-', 1)[-1]}"
            out_dir.rename(retired)
        staging.rename(out_dir)
        _fsync(out_dir.parent, directory=True)
        if retired is not None:
            shutil.rmtree(retired)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

