"""Labs (실습): the notes' experiments, run for real on small offline data, with plots.

The notes show results (the pixel-similarity baseline's 0.9511, a linear model's 0.968,
``simple_net``'s 0.9828, a quadratic fit levelling off near 25.7) that a reader can only take
on trust. A lab reruns such an experiment with studykit's own reference code, on data that
ships with the package's ``labs`` extra, in seconds on a laptop CPU:

```bash
studykit lab list
studykit lab run mnist37 --seed 1 --epochs 30 --plot mnist37.svg
```

Each lab is a module of this package with a module-level ``LAB`` (`studykit.labs.base.Lab`);
`LABS` collects them by name, in the order of the notes. A lab returns the rows of a results
table, the curves it recorded and the figures that show them (`studykit.labs.base.LabResult`),
so the terminal, ``--plot`` and the study site show the same numbers. The notes' MNIST figures
are quoted beside the results; the labs recompute the experiments on the small set, so expect
the same story, not the same numbers.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from studykit.labs.base import Lab

__all__ = ["LABS", "labs"]

# The lab modules, in the order of the notes.
_MODULES = (
    "studykit.labs.mnist37",
    "studykit.labs.quadratic",
    "studykit.labs.learning_rates",
    "studykit.labs.regularizers",
)


@cache
def labs() -> dict[str, Lab]:
    """Every lab by its name, in the order of the notes (imported on first use)."""
    found: dict[str, Lab] = {}
    for name in _MODULES:
        lab: Lab = importlib.import_module(name).LAB
        found[lab.name] = lab
    return found


def __getattr__(name: str) -> Any:
    """``LABS``, every lab by its name (``studykit lab run NAME``), collected on first use.

    Collected lazily: importing ``studykit.labs.commands`` (which the command line does at every
    start) must not import torch and the labs before a lab is asked for.
    """
    if name == "LABS":
        return labs()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
