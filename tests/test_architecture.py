"""The package is organised by pipeline stage, and dependencies point one way: down the pipeline.

The allowed order is written once, here. A module may import its own stage and the stages before it;
`irde.errors` and `irde.paths` are the foundation every stage may use; the `irde` facade (`import irde`) may use only the
tables stage, so loading data never pulls in a later stage. Cycles between modules at import time are
refused too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "irde"

# The pipeline, first stage first: schema/ -> dataset/records/ -> irde build -> dataset/parquet/ ->
# validation/ -> analysis -> notebooks and report -> the web edition -> releases; the command line sits on top.
STAGES = ("errors", "paths", "schema", "curation", "tables", "validation", "analysis", "report", "site", "release",
          "cli")
FACADE_MAY_IMPORT = {"paths", "tables"}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path) -> list[tuple[str, int, bool]]:
    """(imported irde module, line, at module level) for every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from irde import x` names a module when x is one; otherwise the package itself.
            targets = [f"{base}.{alias.name}" if (root.parent / f"{base}.{alias.name}".replace(".", "/")).exists()
                       or (root.parent / (f"{base}.{alias.name}".replace(".", "/") + ".py")).exists() else base
                       for alias in node.names]
        else:
            continue
        for target in targets:
            if target == "irde" or target.startswith("irde."):
                found.append((target, node.lineno, id(node) in top_level))
    return found


def stage_of(module: str) -> str | None:
    """The stage a module belongs to; None for the facade (`irde` itself)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def violations(root: Path) -> list[str]:
    """Every upward import and every import-time cycle in the package at `root`, one line each."""
    problems = []
    graph: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        importer = module_name(path, root)
        importer_stage = stage_of(importer)
        if importer_stage is not None and importer_stage not in STAGES:
            problems.append(f"{importer}: stage {importer_stage!r} is not in the declared order {STAGES}")
            continue
        for target, line, at_top in imports_of(path, root):
            target_stage = stage_of(target)
            where = f"{path.relative_to(root.parent)}:{line}"
            if target_stage is None:
                problems.append(f"{where}: {importer} imports the facade `irde`; import the stage module instead")
            elif importer_stage is None:
                if target_stage not in FACADE_MAY_IMPORT:
                    problems.append(f"{where}: `import irde` may use only {sorted(FACADE_MAY_IMPORT)}, not {target}")
            elif target_stage not in STAGES:
                problems.append(f"{where}: {target} is in no declared stage")
            elif STAGES.index(target_stage) > STAGES.index(importer_stage):
                problems.append(f"{where}: {importer} ({importer_stage}) imports {target} ({target_stage}),"
                                f" a later stage")
            if at_top:
                graph.setdefault(importer, set()).add(target)
    problems += [f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(graph)]
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of modules that import each other at import time."""
    seen: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            cycle = path[path.index(node):] + [node]
            if not any(set(cycle) == set(c) for c in found):
                found.append(cycle)
            return
        if node in seen:
            return
        seen.add(node)
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, path + [node])

    for start in sorted(graph):
        visit(start, [])
    return found


def test_every_stage_is_a_subpackage_with_a_docstring_naming_its_inputs_outputs_and_imports():
    for stage in STAGES:
        if stage in ("paths", "errors", "cli"):
            assert (PACKAGE / f"{stage}.py").is_file()
            continue
        init = PACKAGE / stage / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert doc.startswith("Stage "), f"{init}: the docstring names the stage"
        assert "May import" in doc, f"{init}: the docstring says what the stage may import"
    listed = {p.name.removesuffix(".py") for p in PACKAGE.iterdir()
              if not p.name.startswith((".", "__pycache__")) and (p.is_dir() or p.suffix == ".py")} - {"__init__"}
    assert listed == set(STAGES), "every top-level module or subpackage is a declared stage"


def test_dependencies_point_down_the_pipeline():
    assert violations(PACKAGE) == []


def _plant(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "irde"
    for name, text in {"__init__.py": "", "paths.py": "", "tables/__init__.py": "", "tables/build.py": "",
                       "analysis/__init__.py": "", "analysis/index.py": "", **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("planted, expected", [
    ({"tables/build.py": "def f():\n    from irde.analysis.index import x\n"},
     "irde/tables/build.py:2: irde.tables.build (tables) imports irde.analysis.index (analysis), a later stage"),
    ({"tables/build.py": "from irde.analysis import index\n"},
     "irde/tables/build.py:1: irde.tables.build (tables) imports irde.analysis.index (analysis), a later stage"),
    ({"tables/build.py": "from ..analysis import index\n"},
     "irde/tables/build.py:1: irde.tables.build (tables) imports irde.analysis.index (analysis), a later stage"),
    ({"__init__.py": "from irde.analysis.index import x\n"},
     "irde/__init__.py:1: `import irde` may use only ['paths', 'tables'], not irde.analysis.index"),
    ({"gadgets/__init__.py": ""}, "irde.gadgets: stage 'gadgets' is not in the declared order"),
    ({"tables/build.py": "import irde.tables.drift\n", "tables/drift.py": "from irde.tables import build\n"},
     "import cycle: irde.tables.build -> irde.tables.drift -> irde.tables.build"),
])
def test_a_planted_upward_import_or_cycle_is_caught(tmp_path, planted, expected):
    found = violations(_plant(tmp_path, planted))
    assert any(line.startswith(expected) for line in found), found


def test_a_clean_planted_tree_passes(tmp_path):
    assert violations(_plant(tmp_path, {"analysis/index.py": "from irde.tables.build import x\n"})) == []
