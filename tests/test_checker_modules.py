"""The checker's modules: each imports on its own, old names still import, quick keys."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studykit.questions.checking import (
    Key,
)
from studykit.questions.precision import (
    Precision,
    Tolerance,
)

MATRIX = Key("tensor", [[1.0, 2.0], [3.0, 4.0]])


# --- the modules of the checker, and keys built without the parser ------------------------------

CHECKER_MODULES = (
    "answer_messages",
    "answer_tokens",
    "answer_tree",
    "answer_evaluation",
    "answer_parser",
    "answers",
    "precision",
    "expression_samples",
    "key_values",
    "checking",
)
# The names importers used before the checker was split into those modules.
ANSWERS_NAMES = (
    *("FUNCTION_NAMES", "KINDS", "LANGUAGES", "MESSAGES", "Answer", "AnswerError", "AnswerKind"),
    *("AnswerValue", "Call", "Constant", "Negate", "Nested", "Node", "Number", "Power"),
    *("Product", "Sum", "Variable", "evaluate", "evaluate_points", "letter_range", "normalize"),
    *("number_options", "parse_answer", "tensor_shape"),
)
CHECKING_NAMES = (
    *("DEFAULT_DOMAIN", "DEFAULT_PRECISION", "DEFAULT_TOLERANCE", "EXACT", "MAX_FIGURES"),
    *("MESSAGES", "SAMPLE_COUNT", "SAMPLE_POINTS", "Key", "KeyValue", "Misconception"),
    *("Precision", "Tolerance", "Verdict", "accepted_error", "answer_format", "check", "close"),
    *("key_rule", "matches", "precision_format", "sample_points"),
)


def _modules_after(code: str) -> set[str]:
    script = textwrap.dedent(code) + "\nimport sys\nprint(' '.join(sys.modules))\n"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    return {name.split(".")[0] for name in out.split()}


def test_importing_and_checking_loads_neither_torch_nor_sympy() -> None:
    loaded = _modules_after(
        """
        import studykit.questions.answers
        import studykit.questions.checking
        from studykit.questions.checking import Key, check
        assert check("1/4", Key("number", 0.25)).correct
        assert check("[[1, 2]]", Key("tensor", [[1, 2]])).correct
        assert check("x - x^2", Key("expression", "x*(1-x)")).correct
        assert not check("x", Key("expression", "sqrt(x - 10)")).correct  # cannot be checked
        """
    )
    assert "torch" not in loaded
    assert "sympy" not in loaded


@pytest.mark.parametrize("name", CHECKER_MODULES)
def test_each_module_of_the_checker_imports_on_its_own(name: str) -> None:
    # A fresh interpreter per module: an import cycle fails whichever module comes first.
    loaded = _modules_after(f"import studykit.questions.{name}")
    assert "torch" not in loaded
    assert "sympy" not in loaded


def test_the_names_importers_use_are_still_exported() -> None:
    from studykit.questions import answers, checking

    for module, names in ((answers, ANSWERS_NAMES), (checking, CHECKING_NAMES)):
        assert set(names) <= set(module.__all__), module.__name__
        for name in names:
            assert getattr(module, name) is not None, (module.__name__, name)
    assert answers.MESSAGES["en"]["empty"] == "empty answer"
    assert checking.MESSAGES["en"]["correct"] == "correct"


FINITE = st.floats(allow_nan=False, allow_infinity=False)
PLAIN_VALUES = st.one_of(
    st.floats(),
    st.floats(min_value=-1e301, max_value=1e301),
    st.integers(min_value=-(2**60), max_value=2**60),
    st.booleans(),
    st.text(alphabet="abcHIZ( ).12", max_size=3),
    st.lists(st.floats(), max_size=3),
    st.lists(st.lists(FINITE, max_size=3), max_size=3),
    st.lists(st.one_of(FINITE, st.integers(-3, 3), st.lists(FINITE, max_size=2)), max_size=3),
    st.lists(st.integers(-2, 5), max_size=3),
    st.tuples(st.integers(0, 5), st.booleans()),
)


@given(
    value=PLAIN_VALUES,
    kind=st.sampled_from(["number", "integer", "tensor", "shape", "choice"]),
    options=st.sampled_from([(), ("yes", "no", "maybe"), tuple("abcdefgh")]),
    variables=st.sampled_from([("x",), ("x", "y")]),
)
def test_a_key_value_read_quickly_is_read_as_the_checked_way_reads_it(
    value: object, kind: str, options: tuple[str, ...], variables: tuple[str, ...]
) -> None:
    from studykit.questions.key_values import _checked_answer, _quick_answer

    options = options if kind == "choice" else ()
    quick = _quick_answer(value, kind, variables, options)  # type: ignore[arg-type]
    if quick is None:
        return
    checked = _checked_answer(value, kind, variables, "key", options)  # type: ignore[arg-type]
    # repr tells 1 from 1.0, (2,) from [2] and -0.0 from 0.0, which == does not.
    assert repr(quick) == repr(checked)


def test_the_usual_keys_take_the_quick_way() -> None:
    from studykit.questions.key_values import _quick_answer

    assert _quick_answer(0.25, "number", ("x",), ()) is not None
    assert _quick_answer(12, "integer", ("x",), ()) is not None
    assert _quick_answer("b", "choice", ("x",), ("yes", "no")) is not None
    assert _quick_answer([[1.0, 2.0], [3.0, 4.0]], "tensor", ("x",), ()) is not None
    assert _quick_answer([2, 3], "shape", ("x",), ()) is not None
    assert _quick_answer("c", "choice", ("x",), ("yes", "no")) is None  # the parser says why
    assert _quick_answer(2**53 + 1, "integer", ("x",), ()) is None  # a float cannot hold it
    assert Key("number", 0.25).tolerance == Tolerance(sigfigs=3)
    assert Key("number", 0.25, precision=Precision(decimals=2)).tolerance == Tolerance(abs=0.005)
