"""Build hook: ship the question bank, the drills and the study site's sources inside the wheel.

Everything else about the package is declared in ``pyproject.toml``. The templates
(``questions/``), the drills (``drills/``) and the site's sources (``docs/`` and ``mkdocs.yml``)
live at the top of the repository, where authors find them; without this hook a wheel
(``pip install studykit``, or ``pip install .`` without ``-e``) would carry the engine but no
questions, no drills and no site. The wheel holds them as ``studykit/bank``,
``studykit/drillbank`` and ``studykit/sitesrc``. An editable install needs no copy: it reads the
checkout (``studykit.cliargs.bundled_folder``, ``studykit.site.build.site_sources``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).parent
BANK = HERE / "questions"
DRILLS = HERE / "drills"
DOCS = HERE / "docs"
SITE_CONFIG = HERE / "mkdocs.yml"
# What `studykit site build` writes into its copy of docs/: never shipped.
GENERATED = ("quiz", "drills", "generated", "figures")


def _copy(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, destination)


def _site_files() -> list[Path]:
    """Every file of ``docs/`` except the generated folders and caches."""
    files = []
    for source in sorted(DOCS.rglob("*")):
        parts = source.relative_to(DOCS).parts
        if source.is_file() and parts[0] not in GENERATED and "__pycache__" not in parts:
            files.append(source)
    return files


class BuildPyWithData(build_py):
    """``build_py`` that also copies the templates and the site's sources into the package."""

    def run(self) -> None:
        """Build the Python files as usual, then add the templates and the site's sources."""
        super().run()
        if getattr(self, "editable_mode", False):
            return
        package = Path(self.build_lib) / "studykit"
        for source in sorted(BANK.rglob("*.yaml")):
            _copy(source, package / "bank" / source.relative_to(BANK))
        for source in sorted(DRILLS.rglob("*.yaml")):
            _copy(source, package / "drillbank" / source.relative_to(DRILLS))
        for source in _site_files():
            _copy(source, package / "sitesrc" / "docs" / source.relative_to(DOCS))
        _copy(SITE_CONFIG, package / "sitesrc" / "mkdocs.yml")


setup(cmdclass={"build_py": BuildPyWithData})
