"""Packaging hook: the wheel carries the built tables, so `irde.load()` works after `pip install`.

At wheel-build time `dataset/parquet/*.parquet` is copied into `irde/data/parquet/`; in a checkout
(or an editable install) the loader reads `dataset/parquet/` directly.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithTables(build_py):
    def run(self):
        super().run()
        source = Path(__file__).parent / "dataset" / "parquet"
        target = Path(self.build_lib) / "irde" / "data" / "parquet"
        target.mkdir(parents=True, exist_ok=True)
        for table in sorted(source.glob("*.parquet")):
            shutil.copyfile(table, target / table.name)


setup(cmdclass={"build_py": BuildWithTables})
