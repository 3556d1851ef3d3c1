"""The stated precision over the whole bank: a correctly rounded key passes, a rounded mistake is
recognized, and every variant states its precision in English and Korean.

For every template and 20 seeds, the key is typed the way a student would after rounding it to
the precision the prompt states (plain decimals, both roundings of a tie), and each
misconception's value rounded the same way must get that misconception's feedback (never
"correct", never another misconception). `studykit verify` checks the full-precision values;
this checks what students actually type.
"""

from __future__ import annotations

from decimal import ROUND_HALF_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from studykit.questions.answer_messages import LANGUAGES
from studykit.questions.answers import parse_answer
from studykit.questions.checking import Key, answer_format, check
from studykit.questions.commands import default_questions_dir
from studykit.questions.precision import Precision
from studykit.questions.template import Template, TemplateError, load_bank, load_template
from studykit.questions.variant import Solved, make_variant, solve

BANK = load_bank(default_questions_dir())
SEEDS = range(20)
ROUNDINGS = (ROUND_HALF_UP, ROUND_HALF_DOWN)  # the two candidates of a tie; one value otherwise


def rounded(value: float, precision: Precision | None, rounding: str) -> str:
    """`value` rounded to `precision` and written as a plain decimal, as a student types it."""
    exact = Decimal(repr(float(value)))
    if precision is None or precision.exact:
        text = repr(float(value))
        return text[:-2] if text.endswith(".0") else text
    if precision.decimals is not None:
        places = -precision.decimals
    else:
        assert precision.sigfigs is not None
        if exact == 0:
            return "0"
        places = exact.adjusted() - precision.sigfigs + 1
    quantized = exact.quantize(Decimal(f"1e{places}"), rounding=rounding)
    return format(quantized, "f")


def typed(kind: str, value: Any, precision: Precision | None, rounding: str) -> str:
    """How a student types `value` (a key or a misconception's value) for an answer of `kind`."""
    if kind in ("number", "tensor") and isinstance(value, list):
        return "[" + ", ".join(typed(kind, v, precision, rounding) for v in value) + "]"
    if kind in ("number", "tensor"):
        return rounded(value, precision, rounding)
    if kind == "shape":
        return str(tuple(value))
    return str(value)


def _variants(template: Template) -> list[Solved]:
    return [solve(make_variant(template, seed)) for seed in SEEDS]


@pytest.mark.parametrize("template_id", sorted(BANK.templates))
def test_the_key_and_every_misconception_rounded_as_stated(template_id: str) -> None:
    template = BANK.templates[template_id]
    problems: list[str] = []
    for solved in _variants(template):
        key = solved.key
        where = f"seed {solved.variant.seed}"
        for rounding in ROUNDINGS:
            text = typed(key.kind, key.value, key.precision, rounding)
            verdict = check(text, key, solved.misconceptions)
            if not verdict.correct:
                problems.append(f"{where}: the key typed as {text!r}: {verdict.message}")
            for mistake in solved.misconceptions:
                text = typed(key.kind, mistake.value, key.precision, rounding)
                verdict = check(text, key, solved.misconceptions)
                if verdict.correct or verdict.misconception != mistake.name:
                    found = "correct" if verdict.correct else verdict.misconception
                    problems.append(f"{where}: {mistake.name} typed as {text!r} gives {found}")
    assert not problems, "\n".join(problems[:10])


@pytest.mark.parametrize("template_id", sorted(BANK.templates))
def test_every_variant_states_its_precision_in_both_languages(template_id: str) -> None:
    template = BANK.templates[template_id]
    solved = solve(make_variant(template, 0))
    data = solved.key.data()
    assert set(data["format"]) == set(LANGUAGES)
    for lang in LANGUAGES:
        line = answer_format(solved.key, lang)
        assert line == data["format"][lang]
        assert line.strip() and "\n" not in line
        assert line.endswith(".")
    if template.kind in ("number", "tensor"):
        assert data["precision"] is not None


@pytest.mark.parametrize(
    "template_id",
    sorted(t.id for t in BANK.templates.values() if t.kind == "choice"),
)
def test_choice_options_by_number_or_by_value(template_id: str) -> None:
    template = BANK.templates[template_id]
    for solved in _variants(template)[:5]:
        key = solved.key
        options = solved.variant.choices("en")
        assert key.options == tuple(options)
        position = ord(str(key.value)) - ord("A")
        numeric = all(_is_number(option) for option in options)
        typed_choice = options[position] if numeric else str(position + 1)
        assert check(typed_choice, key, solved.misconceptions).correct, (typed_choice, options)
        beyond = chr(ord("A") + len(options))
        with pytest.raises(ValueError, match="not one of the options"):
            check(beyond, key)


def _is_number(text: str) -> bool:
    try:
        parse_answer(text, "number")
    except ValueError:
        return False
    return True


def test_the_issue_examples() -> None:
    # 0.843 for 0.8425 (a tie at 3 figures: both roundings pass), 14.6 for 14.5585.
    assert check("0.843", Key("number", 0.8425)).correct
    assert check("0.842", Key("number", 0.8425)).correct
    assert check("14.6", Key("number", 14.5585)).correct
    # Fewer digits than asked: said so, in both languages.
    verdict = check("0.0010", Key("number", 0.000992))
    assert verdict.message == ("not precise enough. Give the answer to 3 significant figures.")
    assert check("0.67", Key("number", 2 / 3), lang="ko").message == (
        "정밀도가 부족합니다. 유효숫자 3자리로 답하십시오."
    )
    # 2 decimal places with a fraction offered: 0.67 and 2/3 pass, and a percentage too.
    accuracy = Key("number", 5 / 6, precision=Precision(decimals=2, fraction=True))
    for text in ("0.83", "5/6", "83.33%", "83%"):
        assert check(text, accuracy).correct, text
    assert answer_format(accuracy) == (
        "Give the answer as a fraction (like 2/3) or as a decimal to 2 decimal places."
    )


# --- answer.precision in a template ----------------------------------------------------------

TEMPLATE = """\
id: losses/precision-check
title: A precision check
topic: losses
difficulty: 1
params:
  a: {tensor: [2], decimal: [0, 1], places: 1}
  b: {tensor: [2], decimal: [0, 1], places: 1}
constraints:
  - "a != b"
steps:
  loss: "losses.mse_loss(a, b)"
answer:
  value: loss
  kind: KIND
PRECISION
oracle: "F.mse_loss(a, b)"
text:
  en:
    prompt: "What is the MSE of << a | tensor >> and << b | tensor >>?"
    solution: "It is << loss >>."
"""


def _template(tmp_path: Path, precision: str, kind: str = "number") -> Template:
    path = tmp_path / "precision-check.yaml"
    text = TEMPLATE.replace("KIND", kind).replace("PRECISION", precision)
    path.write_text(text, encoding="utf-8")
    return load_template(path)


@pytest.mark.parametrize(
    ("lines", "precision", "statement"),
    [
        ("", Precision(sigfigs=3), "Give the answer to 3 significant figures."),
        (
            "  precision: {sigfigs: 4}",
            Precision(sigfigs=4),
            "Give the answer to 4 significant figures.",
        ),
        (
            "  precision: {decimals: 2}",
            Precision(decimals=2),
            "Give the answer to 2 decimal places.",
        ),
        (
            "  precision: {decimals: 2, fraction: true}",
            Precision(decimals=2, fraction=True),
            "Give the answer as a fraction (like 2/3) or as a decimal to 2 decimal places.",
        ),
        ("  precision: exact", Precision(), "Give the exact value."),
        ("  tolerance: {rel: 0.01}", None, "Give the answer to within 1% of the exact value."),
    ],
)
def test_a_template_states_its_precision(
    tmp_path: Path, lines: str, precision: Precision | None, statement: str
) -> None:
    template = _template(tmp_path, lines)
    assert template.precision == precision
    key = solve(make_variant(template, 0)).key
    assert key.precision == precision
    assert answer_format(key) == statement
    if precision is not None:
        assert template.tolerance == precision.tolerance()  # what older readers see


@pytest.mark.parametrize(
    ("lines", "kind", "message"),
    [
        ("  precision: {sigfigs: 0}", "number", "answer.precision.sigfigs: invalid value 0"),
        ("  precision: {sigfigs: 16}", "number", "(a whole number from 1 to 15)"),
        ("  precision: {decimals: 2.5}", "number", "answer.precision.decimals: invalid value"),
        ("  precision: {sigfigs: true}", "number", "answer.precision.sigfigs: invalid value"),
        ("  precision: {sigfigs: 2, decimals: 2}", "number", "give sigfigs or decimals, not both"),
        ("  precision: {digits: 3}", "number", "must be exact or a mapping of sigfigs"),
        ("  precision: approximately", "number", "must be exact or a mapping of sigfigs"),
        ("  precision: {}", "number", "must be exact or a mapping of sigfigs"),
        ("  precision: {fraction: 1}", "number", "answer.precision.fraction: must be true or"),
        (
            "  precision: {sigfigs: 3}\n  tolerance: {rel: 0.01}",
            "number",
            "give precision or tolerance, not both",
        ),
        ("  precision: {sigfigs: 3}", "integer", "integer answers are exact (precision: exact)"),
        ("  precision: exact", "expression", "an expression answer has no precision"),
        ("  precise: exact", "number", "unknown field (known: value, kind, precision,"),
    ],
)
def test_a_bad_precision_is_one_line_naming_the_field(
    tmp_path: Path, lines: str, kind: str, message: str
) -> None:
    with pytest.raises(TemplateError) as info:
        _template(tmp_path, lines, kind)
    assert message in str(info.value)
    assert ":15: answer." in str(info.value) or ":14: answer." in str(info.value)
    assert len(str(info.value).splitlines()) == 1
