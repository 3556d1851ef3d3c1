"""Drill files: every mistake an author can make is one line naming the file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from studykit.drills.commands import default_drills_dir
from studykit.drills.inputs import make_inputs
from studykit.drills.observe import compare
from studykit.drills.spec import DrillError, load_drill

SOFTMAX = (default_drills_dir() / "activations" / "softmax.yaml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str, topic: str = "activations", name: str = "softmax") -> Path:
    path = tmp_path / topic / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("topic: activations", "topic: nowhere"), ":2: topic: unknown topic 'nowhere'"),
        (("difficulty: 2", "difficulty: 7"), ":3: difficulty: must be 1, 2 or 3"),
        (("function: softmax", "function: 2x"), ":7: function: must be a Python name"),
        (("{randn: [N, C]}, dim: 1}", "{randn: [N, Q]}, dim: 1}"), "dimension 'Q' has no size"),
        (("{randn: [N, C]}, dim: 1}", "{randn: [N, C], mean: 3}, dim: 1}"), "unknown option"),
        (("  - torch.logsumexp\n", "  - logsumexp\n"), "must be a torch name"),
        (
            (
                "      def softmax(x, dim):\n          e = torch",
                "      def softmax(x, dim)\n          e = torch",
            ),
            "Python syntax error",
        ),
        (
            ("reference: studykit.activations.softmax", "reference: |\n  def soft(x): pass"),
            "must define 'softmax'",
        ),
        (("    grad: [x]\n", "    grad: [dim]\n"), "must list arguments that are float tensors"),
        (
            ("  ko: 소프트맥스\n", "  kr: 소프트맥스\n"),
            "term: must give the text in English and Korean",
        ),
    ],
)
def test_bad_fields_are_named_with_file_and_line(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    assert change[0] in SOFTMAX
    path = write(tmp_path, SOFTMAX.replace(change[0], change[1], 1))
    with pytest.raises(DrillError) as raised:
        load_drill(path)
    text = str(raised.value)
    assert text.startswith(str(path) + ":") and message in text and "\n" not in text


def test_the_file_name_and_folder_must_match(tmp_path: Path) -> None:
    with pytest.raises(DrillError, match="must match the file name"):
        load_drill(write(tmp_path, SOFTMAX, name="soft-max"))
    with pytest.raises(DrillError, match="folder named 'activations'"):
        load_drill(write(tmp_path, SOFTMAX, topic="losses"))


def test_one_mistake_is_not_enough(tmp_path: Path) -> None:
    cut = SOFTMAX[: SOFTMAX.index("  - id: wrong-dim")] + "hints: []\n"
    with pytest.raises(DrillError, match="at least two mistakes"):
        load_drill(write(tmp_path, cut))


def test_unsafe_yaml_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DrillError, match="tag 'python/object"):
        load_drill(write(tmp_path, SOFTMAX + "\nx: !!python/object:os.system ls\n"))


# --- inputs and comparison -------------------------------------------------------------------


def test_both_dtypes_see_the_same_numbers() -> None:
    case = {"args": {"x": {"randn": ["N", 3]}, "k": [1, 2]}, "dims": {"N": 2}, "grad": ["x"]}
    single = make_inputs(case, "float32", 7)
    double = make_inputs(case, "float64", 7)
    assert single["x"].dtype == torch.float32 and single["x"].requires_grad
    torch.testing.assert_close(single["x"].double(), double["x"].detach(), rtol=1e-7, atol=1e-7)
    assert double["k"] == [1, 2] and double["k"] is not case["args"]["k"]
    assert torch.equal(make_inputs(case, "float64", 7)["x"], double["x"])


finite_or_not = st.floats(allow_nan=True, allow_infinity=True, width=32)


@given(st.lists(finite_or_not, min_size=1, max_size=12))
def test_a_result_equals_itself_nan_and_inf_included(values: list[float]) -> None:
    tensor = torch.tensor(values)
    assert compare({"result": tensor}, {"result": tensor.clone()}, (1e-4, 1e-5)) is None


@given(st.lists(st.floats(-1e3, 1e3, width=32), min_size=1, max_size=12), st.integers(0, 11))
def test_one_value_off_is_found_at_its_index(values: list[float], where: int) -> None:
    want = torch.tensor(values)
    where %= len(values)
    have = want.clone()
    have[where] += 1.0
    problem = compare({"result": want}, {"result": have}, (1e-4, 1e-5))
    assert problem is not None and problem.kind == "values"
    assert f"first at index [{where}]" in problem.message


def test_shape_is_reported_before_values() -> None:
    problem = compare({"result": torch.zeros(2, 3)}, {"result": torch.ones(3, 2)}, (1e-4, 1e-5))
    assert problem is not None and problem.kind == "shape"
    assert problem.message_ko == "결과: 기대한 모양(shape) (2, 3), 받은 모양 (3, 2)"
