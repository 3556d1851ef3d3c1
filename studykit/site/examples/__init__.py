r"""Worked examples for the notes pages, computed by the reference code when the site is built.

Every topic page of the study site (``docs/notes/<topic>.md``) includes a short worked example
with the line ``--8<-- "generated/examples/<topic>.md"``, and its Korean twin
(``<topic>.ko.md``) includes ``generated/examples/<topic>.ko.md``. The snippets are written
here, before ``mkdocs build``, by ``studykit site-pages`` (``write_examples``). Each example runs
studykit's own implementations (``studykit.losses``, ``studykit.optim``, ``studykit.conv``, ...)
on small fixed inputs once and writes what they return into an English and a Korean text
(`Example`), so no result in an example is ever typed by hand and both languages show the same
numbers: when the reference code changes, the examples change with it, and
``tests/test_site_examples.py`` holds a few of them to an independent torch computation.

Numbers are printed with ``studykit.questions.render.fmt_num`` (4 significant digits) and
tensors with ``fmt_tensor``, the formatting of the quizzes. The snippets contain no headings,
so they sit under the page's own "Worked example" heading. One module per topic (or per pair
of close topics) holds the examples; this one holds the table of them.

Examples:
    >>> from studykit.site.examples import EXAMPLES
    >>> example = EXAMPLES["losses"]()
    >>> "0.4333" in example.en and "0.4333" in example.ko  # the notes' mnist_loss
    True
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from studykit.site.examples._format import LANGUAGES, Example
from studykit.site.examples.activations import activations_example
from studykit.site.examples.convolution import convolution_example
from studykit.site.examples.data import data_example, preprocessing_example
from studykit.site.examples.gradients import gradients_example
from studykit.site.examples.landscape import landscape_example
from studykit.site.examples.losses import losses_example
from studykit.site.examples.models import models_example
from studykit.site.examples.optimization import (
    gradient_descent_example,
    optimizers_example,
)
from studykit.site.examples.regularization import (
    normalization_example,
    regularization_example,
)
from studykit.site.examples.sequences import sequences_example
from studykit.site.examples.tensors import tensors_example

TOPIC_MODULES: dict[str, tuple[str, ...]] = {
    "tensors": ("tensors",),
    "losses": ("losses",),
    "gradients": ("autograd", "symbolic"),
    "gradient-descent": ("optim", "losses"),
    "optimizers": ("optim",),
    "activations": ("activations",),
    "models": ("models",),
    "convolution": ("conv", "pooling"),
    "regularization": ("regularization",),
    "normalization": ("normalization",),
    "preprocessing": ("preprocessing",),
    "data": ("data",),
    "sequences": ("rnn",),
    "landscape": ("landscape",),
}
"""The reference modules (``studykit.<name>``) behind each topic of the topic map."""

__all__ = ["EXAMPLES", "LANGUAGES", "TOPIC_MODULES", "Example", "write_examples"]

EXAMPLES: dict[str, Callable[[], Example]] = {
    "tensors": tensors_example,
    "losses": losses_example,
    "gradients": gradients_example,
    "gradient-descent": gradient_descent_example,
    "optimizers": optimizers_example,
    "activations": activations_example,
    "models": models_example,
    "convolution": convolution_example,
    "regularization": regularization_example,
    "normalization": normalization_example,
    "preprocessing": preprocessing_example,
    "data": data_example,
    "sequences": sequences_example,
    "landscape": landscape_example,
}
"""One worked-example function per topic id of ``studykit.topics``, returning both languages."""


def write_examples(out_dir: Path) -> list[Path]:
    """Write every topic's worked example, computed once, in English and in Korean.

    ``out_dir/<topic>.md`` holds the English snippet and ``out_dir/<topic>.ko.md`` the Korean
    one.

    Args:
        out_dir: The folder to write into (``docs/generated/examples``); created if missing.

    Returns:
        The written paths, in the order of the topic map, each topic's English file first.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for topic, make in EXAMPLES.items():
        example = make()
        for language, suffix in LANGUAGES.items():
            path = out_dir / f"{topic}{suffix}"
            path.write_text(example.text(language), encoding="utf-8")
            written.append(path)
    return written
