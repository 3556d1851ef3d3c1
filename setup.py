"""Build hook: ship the question bank (``questions/``) inside the wheel as ``studykit/bank``.

Everything else about the package is declared in ``pyproject.toml``. The templates live at the
top of the repository, where authors find them; without this hook a wheel (``pip install
studykit``, or ``pip install .`` without ``-e``) would carry the engine but no questions. An
editable install needs no copy: it reads ``questions/`` in the checkout
(``studykit.questions.commands.default_questions_dir``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

BANK = Path(__file__).parent / "questions"


class BuildPyWithBank(build_py):
    """``build_py`` that also copies every ``questions/**/*.yaml`` to ``studykit/bank/``."""

    def run(self) -> None:
        """Build the Python files as usual, then add the templates."""
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "studykit" / "bank"
        for source in sorted(BANK.rglob("*.yaml")):
            destination = target / source.relative_to(BANK)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)


setup(cmdclass={"build_py": BuildPyWithBank})
