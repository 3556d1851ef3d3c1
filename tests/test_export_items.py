"""The export core: selection, seeds, refs, and half-widths that agree with the checker."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studykit.cli import main
from studykit.exports.commands import FORMATS
from studykit.exports.items import (
    ExportError,
    ExportItem,
    Selection,
    collect,
    regrade,
    select,
    variant_seeds,
)
from studykit.questions.checking import Precision, Tolerance, accepted_error, check, close
from studykit.questions.commands import default_questions_dir
from studykit.questions.render import fmt_num
from studykit.questions.template import Bank, load_bank
from tests.export_support import KIND_TEMPLATES, error_lines, small_bank

KINDS = {
    "tensors/broadcast-shape": "shape",
    "tensors/fancy-indexing": "tensor",
    "tensors/stack-dtype": "choice",
    "tensors/view-storage-index": "integer",
    "losses/binary-cross-entropy": "number",
    "gradients/derivative-formula": "expression",
}


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(default_questions_dir())


@pytest.fixture(scope="module")
def items(bank: Bank) -> list[ExportItem]:
    return collect(bank, Selection(ids=tuple(KINDS)), variants=3, seed=5)


def test_every_kind_is_covered_and_items_come_template_by_template(
    items: list[ExportItem],
) -> None:
    assert {item.id: item.kind for item in items} == KINDS
    for i in range(0, len(items), 3):
        chunk = items[i : i + 3]
        assert {item.id for item in chunk} == {chunk[0].id}
        assert [item.seed for item in chunk] == [5, 6, 7]


def test_an_item_is_rebuilt_from_its_ref(bank: Bank, items: list[ExportItem]) -> None:
    again = regrade(bank, [item.ref for item in items])
    assert [a.data() for a in again] == [b.data() for b in items]


def test_the_shown_answer_passes_the_checker(items: list[ExportItem]) -> None:
    for item in items:
        assert check(" ".join(item.answer.split()), item.key).correct, item.ref


def test_entries_bound_what_the_checker_accepts(items: list[ExportItem]) -> None:
    for item in items:
        if item.kind not in ("number", "tensor"):
            continue
        entries = item.entries()
        for k, (value, half) in enumerate(entries):
            for inside, delta in ((True, 0.999 * half), (False, 1.001 * half + 1e-12)):
                numbers = [v for v, _ in entries]
                numbers[k] = value + delta
                text = _as_text(item, numbers)
                assert check(text, item.key).correct is inside, (item.ref, k, text)


def _as_text(item: ExportItem, numbers: list[float]) -> str:
    if item.kind == "number":
        return repr(numbers[0])
    shape = item.key.shape
    if not shape:
        return repr(numbers[0])
    flat = [repr(x) for x in numbers]
    width = shape[-1]
    rows = [f"[{', '.join(flat[i : i + width])}]" for i in range(0, len(flat), width)]
    return rows[0] if len(shape) == 1 else f"[{', '.join(rows)}]"


def test_exact_kinds_have_no_slack(items: list[ExportItem]) -> None:
    for item in items:
        if item.kind in ("integer", "shape"):
            assert all(half == 0 for _, half in item.entries())


def test_korean_items_carry_korean_texts(bank: Bank) -> None:
    [item] = collect(bank, Selection(ids=("tensors/broadcast-shape",)), seed=2, lang="ko")
    assert item.lang == "ko"
    assert any("\uac00" <= c <= "\ud7a3" for c in item.prompt + item.format)


@given(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).filter(lambda x: abs(x) > 1e-9),
    st.integers(min_value=1, max_value=6),
)
def test_accepted_error_is_the_edge_of_close(expected: float, sigfigs: int) -> None:
    rule = Precision(sigfigs=sigfigs)
    half = accepted_error(expected, rule)
    assert close(expected + half * (1 - 1e-9), expected, rule)
    assert not close(expected + half * (1 + 1e-6) + 1e-300, expected, rule)


def test_accepted_error_of_a_tolerance() -> None:
    assert accepted_error(10.0, Tolerance(rel=0.01, abs=0.5)) == pytest.approx(0.6)
    assert accepted_error(0.0, Tolerance(sigfigs=3, abs=1e-6)) == 1e-6
    assert math.isclose(accepted_error(0.8425, Precision(sigfigs=3)), 0.0005, rel_tol=1e-6)
    assert fmt_num(0.8425)  # the display and the tolerance are independent


@pytest.mark.parametrize(
    ("selection", "message"),
    [
        (Selection(topics=("nope",)), "--topic: unknown topic 'nope'"),
        (Selection(difficulties=(4,)), "--difficulty: must be 1, 2 or 3"),
        (Selection(ids=("losses/nope",)), "--ids: no template 'losses/nope'"),
    ],
)
def test_a_bad_selection_is_one_line(bank: Bank, selection: Selection, message: str) -> None:
    with pytest.raises(ExportError, match="^" + message.replace("(", r"\(")) as error:
        select(bank, selection)
    assert "\n" not in str(error.value)


def test_seed_ranges() -> None:
    assert list(variant_seeds(3, 2)) == [3, 4]
    with pytest.raises(ExportError, match="--variants"):
        variant_seeds(0, 0)
    with pytest.raises(ExportError, match="--seed"):
        variant_seeds(2**63 - 1, 2)


def test_bad_refs(bank: Bank) -> None:
    with pytest.raises(ExportError, match="expected id@seed"):
        regrade(bank, ["losses/mse"])
    with pytest.raises(ExportError, match="no template"):
        regrade(bank, ["losses/nope@1"])


@pytest.mark.parametrize("export_format", sorted(FORMATS))
@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--topic", "no-such-topic"], "--topic: unknown topic 'no-such-topic'"),
        (["--ids", "tensors/no-such-id"], "--ids: no template 'tensors/no-such-id'"),
        (["--variants", "0"], "--variants: must be from 1"),
        (["-o", "{tmp}/missing/out"], "folder {tmp}/missing does not exist"),
        (["-o", "{tmp}"], "is a folder; name the file to write"),
    ],
)
def test_a_bad_option_is_one_line_exit_2_and_no_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    export_format: str,
    options: list[str],
    message: str,
) -> None:
    folder = small_bank(tmp_path / "questions", KIND_TEMPLATES[:2])
    argv = ["export", export_format, "--questions", str(folder), "-o", str(tmp_path / "out")]
    argv += [option.format(tmp=tmp_path) for option in options]
    assert main(argv) == 2
    lines = error_lines(capsys)
    assert lines == [f"studykit export: {lines[0].removeprefix('studykit export: ')}"]
    assert message.format(tmp=tmp_path) in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["questions"]
