"""Loading templates: a broken file is one clear line naming file, line and field."""

from __future__ import annotations

import functools
import re
import textwrap
from pathlib import Path

import pytest
import torch

from studykit.questions.template import Template, load_bank
from studykit.questions.variant import make_variant, solve

GOOD = """\
id: losses/tiny
title: Tiny
topic: losses
difficulty: 1
params:
  a: {tensor: [2], decimal: [0, 1], places: 1}
  b: {tensor: [2], decimal: [0, 1], places: 1}
steps:
  loss: "losses.mse_loss(a, b)"
answer:
  value: loss
  kind: number
oracle: "F.mse_loss(a, b)"
text:
  en:
    prompt: "MSE of << a | tensor >> and << b | tensor >>?"
    solution: "It is << loss >>."
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def loaded(tmp_path: Path, template_id: str, text: str) -> Template:
    """Write one template, load the folder, check it loaded cleanly and return it."""
    write(tmp_path, f"{template_id}.yaml", text)
    bank = load_bank(tmp_path)
    assert bank.errors == []
    return bank.templates[template_id]


def test_a_good_template_loads_and_solves(tmp_path: Path) -> None:
    solved = solve(make_variant(loaded(tmp_path, "losses/tiny", GOOD), 1))
    assert solved.key.kind == "number"
    assert "It is" in solved.solution()


BROKEN = [
    ("id: losses/tiny", "id: Losses Tiny", ":1: id: 'Losses Tiny' must look like"),
    ("topic: losses", "topic: lossez", ":3: topic: unknown topic 'lossez'"),
    ("difficulty: 1", "difficulty: 4", ":4: difficulty: must be 1, 2 or 3"),
    (
        '  loss: "losses.mse_loss(a, b)"',
        '  loss: "losses.nope(a, b)"',
        ":9: steps.loss: 'losses.nope' is not an allowed function",
    ),
    (
        '  loss: "losses.mse_loss(a, b)"',
        "  loss: \"__import__('os')\"",
        ":9: steps.loss: names starting with _ are not allowed",
    ),
    (
        '  loss: "losses.mse_loss(a, b)"',
        '  loss: "a.__class__"',
        ":9: steps.loss: private attribute",
    ),
    (
        '  loss: "losses.mse_loss(a, b)"',
        '  loss: "(lambda: 0)()"',
        ":9: steps.loss: Lambda is not allowed",
    ),
    (
        '  loss: "losses.mse_loss(a, b)"',
        '  loss: "mse_loss(a, b)"',
        ":9: steps.loss: unknown name 'mse_loss'",
    ),
    ("  kind: number", "  kind: numeric", ":12: answer.kind: must be one of"),
    (
        'oracle: "F.mse_loss(a, b)"',
        'oracle: "F.mse_loss(a, loss)"',
        ":13: oracle: unknown name 'loss'",
    ),
    (
        'oracle: "F.mse_loss(a, b)"',
        'oracle: "losses.mse_loss(a, b)"',
        ":13: oracle: 'losses.mse_loss' is not an allowed function",
    ),
    ("<< loss >>.", "<% if %>", ":17: text.en.solution: Jinja syntax error"),
    (
        "  a: {tensor: [2], decimal: [0, 1], places: 1}",
        "  a: {tensor: [2], decimal: [1, 0]}",
        ":6: params.a: decimal bounds are reversed",
    ),
    (
        "  a: {tensor: [2], decimal: [0, 1], places: 1}",
        "  a: {tensor: [2], dec: [0, 1]}",
        ":6: params.a: unknown option 'dec'",
    ),
    ("title: Tiny", "title: Tiny\ntitle: Again", ":3: field 'title' appears twice"),
    ("title: Tiny", "title: [unclosed", "invalid YAML"),
    ("text:", "texts:", "texts: unknown field"),
    ("    prompt:", "    question:", "text.en: must be a mapping of prompt, solution and hint"),
    (
        "  value: loss",
        '  value: "a.sum()"',
        ":11: answer.value: must be computed by a studykit function",
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), BROKEN, ids=[b[2] or b[1] for b in BROKEN])
def test_a_broken_template_is_one_line_and_the_rest_still_load(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert old in GOOD
    write(tmp_path, "losses/tiny.yaml", GOOD.replace(old, new, 1))
    write(tmp_path, "losses/other.yaml", GOOD.replace("losses/tiny", "losses/other"))
    bank = load_bank(tmp_path)
    assert list(bank.templates) == ["losses/other"]
    assert len(bank.errors) == 1
    error = bank.errors[0]
    assert "\n" not in error
    assert error.startswith(str(tmp_path / "losses" / "tiny.yaml"))
    assert message in error


def test_a_failing_step_names_file_and_seed(tmp_path: Path) -> None:
    write(
        tmp_path,
        "losses/tiny.yaml",
        GOOD.replace("losses.mse_loss(a, b)", "losses.mse_loss(a, b[:1])"),
    )
    bank = load_bank(tmp_path)
    from studykit.questions.variant import SolveError

    with pytest.raises(
        SolveError,
        match=r"tiny\.yaml \(seed 7\): steps\.loss: 'losses.mse_loss\(a, b\[:1\]\)' failed",
    ):
        solve(make_variant(bank.templates["losses/tiny"], 7))


def test_namespace_members_known_without_torch_match_the_modules() -> None:
    import importlib

    from studykit.questions import procedures
    from studykit.questions.allowed import NAMESPACE_MEMBERS, PROCEDURES

    assert sorted(PROCEDURES) == sorted(procedures.__all__)
    for space, members in NAMESPACE_MEMBERS.items():
        if space != "procedures":
            assert sorted(members) == sorted(importlib.import_module(f"studykit.{space}").__all__)


def test_undefined_variable_in_text_is_an_error(tmp_path: Path) -> None:
    from studykit.questions.render import RenderError

    write(tmp_path, "losses/tiny.yaml", GOOD.replace("It is << loss >>.", "It is << lost >>."))
    bank = load_bank(tmp_path)
    solved = solve(make_variant(bank.templates["losses/tiny"], 0))
    with pytest.raises(RenderError, match="UndefinedError: 'lost' is undefined"):
        solved.solution()


def test_a_type_error_inside_a_text_is_a_one_line_render_error(tmp_path: Path) -> None:
    from studykit.questions.verify import verify_templates

    write(tmp_path, "losses/tiny.yaml", GOOD.replace("It is << loss >>.", "It is << 1 - 'a' >>."))
    report = verify_templates(load_bank(tmp_path).templates.values(), range(2))
    assert report.failed_variants == 2
    assert "text does not render: TypeError" in report.failures[0]


def test_duplicate_ids_keep_the_first(tmp_path: Path) -> None:
    write(tmp_path, "losses/a.yaml", GOOD)
    write(tmp_path, "losses/b.yaml", GOOD)
    bank = load_bank(tmp_path)
    assert list(bank.templates) == ["losses/tiny"]
    assert "is already used by" in bank.errors[0]


def test_unsatisfiable_constraints_name_file_and_seed(tmp_path: Path) -> None:
    from studykit.questions.params import ParamError

    write(
        tmp_path,
        "losses/tiny.yaml",
        GOOD.replace("steps:", 'constraints:\n  - "sum(a) > 5"\nsteps:'),
    )
    bank = load_bank(tmp_path)
    with pytest.raises(ParamError, match=r"tiny\.yaml \(seed 3\): no parameters satisfied"):
        make_variant(bank.templates["losses/tiny"], 3)


def test_a_constraint_runs_before_the_derived_values_it_does_not_need(tmp_path: Path) -> None:
    # 1 / k fails for k = 0: the constraint listed first must reject those draws before the
    # derived value is computed (and drawing the same seed twice gives the same parameters).
    text = GOOD.replace(
        "steps:",
        'constraints:\n  - "k != 0"\n  - "inverse_ > 0.3"\nsteps:',
    ).replace(
        "params:\n",
        'params:\n  k: {int: [0, 3]}\n  inverse_: {derived: "1 / k"}\n',
    )
    write(tmp_path, "losses/tiny.yaml", text)
    template = load_bank(tmp_path).templates["losses/tiny"]
    for seed in range(40):
        params = make_variant(template, seed).params
        assert params["k"] in (1, 2, 3)
        assert params["inverse_"] == 1 / params["k"]
        assert list(params) == ["k", "inverse_", "a", "b"]
        assert make_variant(template, seed).params == params


def test_a_derived_tensor_parameter_becomes_a_tensor_of_its_declared_shape(
    tmp_path: Path,
) -> None:
    text = GOOD.replace(
        "  b: {tensor: [2], decimal: [0, 1], places: 1}\n",
        '  n: {int: [2, 2]}\n  b: {derived: "[1 - x for x in a]", tensor: [n]}\n',
    )
    write(tmp_path, "losses/tiny.yaml", text)
    template = load_bank(tmp_path).templates["losses/tiny"]
    for seed in range(10):
        solved = solve(make_variant(template, seed))
        a, b = solved.variant.params["a"], solved.variant.params["b"]
        assert b == [1 - x for x in a]
        assert solved.env["b"].dtype == torch.float64  # a tensor while computing
        assert solved.key.value == pytest.approx(
            sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) / 2
        )


@pytest.mark.parametrize("value", ["[1 - x for x in a] + [0]", "[[1 - x] for x in a]", "a[0]"])
def test_a_derived_tensor_of_the_wrong_shape_names_parameter_and_shape(
    tmp_path: Path, value: str
) -> None:
    from studykit.questions.params import ParamError

    text = GOOD.replace(
        "  b: {tensor: [2], decimal: [0, 1], places: 1}\n",
        f'  b: {{derived: "{value}", tensor: [2]}}\n',
    )
    write(tmp_path, "losses/tiny.yaml", text)
    template = load_bank(tmp_path).templates["losses/tiny"]
    with pytest.raises(ParamError, match=r"\(seed 4\): parameter b: .* declared shape \(2,\)"):
        make_variant(template, 4)


@pytest.mark.parametrize(
    "spec",
    [
        "{tensor: [4], int: [0, 3], distinct: true}",
        "{tensor: [2, 2], decimal: [-0.2, 0.2], places: 1, nonzero: true, distinct: true}",
        "{tensor: [n], choice: [1, 2, 3, 5], distinct: true}",
    ],
)
def test_a_distinct_tensor_never_repeats_a_value(tmp_path: Path, spec: str) -> None:
    text = GOOD.replace("params:\n", f"params:\n  n: {{int: [2, 4]}}\n  d: {spec}\n")
    write(tmp_path, "losses/tiny.yaml", text)
    template = load_bank(tmp_path).templates["losses/tiny"]
    seen = set()
    for seed in range(60):
        d = make_variant(template, seed).params["d"]
        flat = [v for row in d for v in row] if isinstance(d[0], list) else d
        assert len(set(flat)) == len(flat)
        assert 0 not in flat or "nonzero" not in spec
        seen.add(tuple(flat))
        assert make_variant(template, seed).params["d"] == d
    assert len(seen) > 12  # still random: many different orders and values


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "{tensor: [5], int: [0, 3], distinct: true}",
            "distinct needs 5 different values, the range has 4",
        ),
        ("{tensor: [3], int: [-1, 1], nonzero: true, distinct: true}", "the range has 2"),
        ("{int: [0, 3], distinct: true}", "distinct applies to drawn tensor parameters only"),
        ("{tensor: [2], choice: [1, 2], distinct: yes please}", "distinct must be true or false"),
    ],
)
def test_an_impossible_distinct_tensor_fails_at_load(
    tmp_path: Path, spec: str, message: str
) -> None:
    write(tmp_path, "losses/tiny.yaml", GOOD.replace("params:\n", f"params:\n  d: {spec}\n"))
    bank = load_bank(tmp_path)
    assert bank.templates == {}
    assert len(bank.errors) == 1
    assert ":6: params.d: " in bank.errors[0] and message in bank.errors[0]


def test_a_distinct_tensor_of_a_drawn_size_checks_when_drawn(tmp_path: Path) -> None:
    from studykit.questions.params import ParamError

    text = GOOD.replace(
        "params:\n",
        "params:\n  n: {int: [5, 5]}\n  d: {tensor: [n], int: [0, 3], distinct: true}\n",
    )
    write(tmp_path, "losses/tiny.yaml", text)
    template = load_bank(tmp_path).templates["losses/tiny"]
    with pytest.raises(ParamError, match=r"\(seed 1\): parameter d: distinct needs 5 .* has 4"):
        make_variant(template, 1)


def test_not_utf8_and_not_a_mapping(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_bytes(b"id: \xff\xfe")
    (tmp_path / "list.yaml").write_text("- 1\n- 2\n")
    bank = load_bank(tmp_path)
    assert any("not UTF-8" in e for e in bank.errors)
    assert any("must be a YAML mapping" in e for e in bank.errors)


CHOICE = """\
id: losses/pick
title: Pick
topic: losses
difficulty: 2
params:
  a: {tensor: [2], decimal: [1, 2], places: 1}
  b: {tensor: [2], decimal: [-2, -1], places: 1}
steps:
  loss: "losses.mse_loss(a, b)"
answer:
  value: loss
  kind: choice
choices: auto
oracle: "F.mse_loss(a, b)"
misconceptions:
  - name: forgot-the-mean
    value: "losses.mse_loss(a, b, reduction='sum')"
    feedback: "Divide by the number of elements."
text:
  en:
    prompt: "MSE of << a | tensor >> and << b | tensor >>?"
    solution: "It is << answer_value >>, option << answer >>."
"""


def test_auto_choices_are_the_key_and_the_misconceptions(tmp_path: Path) -> None:
    from studykit.questions.checking import check

    variant = make_variant(loaded(tmp_path, "losses/pick", CHOICE), 4)
    prompt = variant.prompt()
    assert "A. " in prompt
    assert "B. " in prompt
    solved = solve(variant)
    assert solved.key.kind == "choice"
    assert check(solved.key.value, solved.key).correct
    wrong = "B" if solved.key.value == "A" else "A"
    verdict = check(wrong, solved.key, solved.misconceptions)
    assert verdict.misconception == "forgot-the-mean"
    assert "option" in solved.solution()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  kind: choice", "  kind: number", "choices: auto needs answer.kind: choice"),
        ("misconceptions:", "unused:", "unknown field"),
    ],
)
def test_auto_choices_errors(tmp_path: Path, old: str, new: str, message: str) -> None:
    write(tmp_path, "losses/pick.yaml", CHOICE.replace(old, new))
    assert message in load_bank(tmp_path).errors[0]


def test_auto_choices_need_misconceptions(tmp_path: Path) -> None:
    text = CHOICE[: CHOICE.index("misconceptions:")] + CHOICE[CHOICE.index("text:") :]
    write(tmp_path, "losses/pick.yaml", text)
    assert "needs 1 to 7 misconceptions" in load_bank(tmp_path).errors[0]


def test_verify_catches_an_expression_key_that_disagrees_with_torch(tmp_path: Path) -> None:
    from studykit.questions.verify import verify_templates

    source = (Path(__file__).parents[1] / "questions/gradients/derivative-formula.yaml").read_text(
        encoding="utf-8"
    )
    wrong = source.replace("'sigmoid': torch.sigmoid", "'sigmoid': torch.tanh")
    write(tmp_path, "gradients/derivative-formula.yaml", wrong)
    bank = load_bank(tmp_path)
    report = verify_templates(bank.templates.values(), range(12))
    assert report.failed_variants > 0
    assert "the torch oracle says" in report.failures[0]


@pytest.mark.parametrize(
    ("step", "kind", "message"),
    [
        ("losses.mse_loss(a, b) / 0", "number", "must be finite"),
        ("losses.mse_loss(a, b) * float('nan')", "number", "must be finite"),
        ("losses.mse_loss(a, b) + 0.5", "integer", "is not a whole number"),
        ("losses.mse_loss(a, a) + 1", "integer", ""),
    ],
)
def test_an_answer_that_is_not_finite_or_not_of_its_kind_names_file_and_seed(
    tmp_path: Path, step: str, kind: str, message: str
) -> None:
    from studykit.questions.variant import SolveError

    text = GOOD.replace("losses.mse_loss(a, b)", step).replace("kind: number", f"kind: {kind}")
    write(tmp_path, "losses/tiny.yaml", text)
    template = load_bank(tmp_path).templates["losses/tiny"]
    if not message:  # a whole number is a good integer key
        assert solve(make_variant(template, 3)).key.value == 1
        return
    where = r"tiny\.yaml \(seed 3\)"
    with pytest.raises(SolveError, match=rf"{where}: answer is not of kind {kind!r}: "):
        solve(make_variant(template, 3))
    with pytest.raises(SolveError, match=message):
        solve(make_variant(template, 3))


TRANSLATED = """\
id: losses/tiny-choice
title: Tiny choice
topic: losses
difficulty: 1
params:
  a: {tensor: [2], decimal: [0, 1], places: 1}
steps:
  loss: "losses.mse_loss(a, a)"
  letter: "'A' if loss == 0 else 'B'"
answer:
  value: letter
  kind: choice
oracle: "'A' if F.mse_loss(a, a) == 0 else 'B'"
choices:
  - {en: "zero", ko: "영"}
  - "more than << a[0] >>"
misconceptions:
  - name: guessed
    value: "'B'"
    feedback:
      en: "MSE of a tensor with itself is 0."
      ko: "자기 자신과의 MSE는 << loss >> 입니다."
text:
  en:
    prompt: "MSE of << a | tensor >> with itself?"
    solution: "It is << loss >>."
  ko:
    prompt: "<< a | tensor >> 와 자기 자신의 MSE는?"
    solution: "<< loss >> 입니다."
"""


def test_choices_and_feedback_may_be_given_per_language(tmp_path: Path) -> None:
    from studykit.questions.checking import check

    solved = solve(make_variant(loaded(tmp_path, "losses/tiny-choice", TRANSLATED), 2))
    variant = solved.variant
    first = variant.params["a"][0]
    assert variant.choices("ko") == ["영", f"more than {first}"]  # untranslated: English
    assert variant.choices() == ["zero", f"more than {first}"]
    assert variant.prompt("ko").endswith(f"A. 영\nB. more than {first}")
    assert check("B", solved.key, solved.misconceptions_in("ko")).feedback == (
        "자기 자신과의 MSE는 0 입니다."
    )
    assert check("B", solved.key, solved.misconceptions).feedback == (
        "MSE of a tensor with itself is 0."
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '{en: "zero", ko: "영"}',
            '{ko: "영"}',
            ":15: choices.0: a text given per language needs en",
        ),
        ('{en: "zero", ko: "영"}', '{en: "zero", fr: "zéro"}', "choices.0.fr: unknown language"),
        ('ko: "자기', 'de: "자기', "misconceptions.0.feedback.de: unknown language"),
        ('{en: "zero", ko: "영"}', '{en: "zero", ko: ""}', "choices.0.ko: must be non-empty text"),
        ("  ko:\n    prompt", "  xx:\n    prompt", "text.xx: unknown language"),
    ],
)
def test_a_bad_translation_is_one_line_naming_the_field(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert old in TRANSLATED
    write(tmp_path, "losses/tiny-choice.yaml", TRANSLATED.replace(old, new, 1))
    bank = load_bank(tmp_path)
    assert bank.templates == {} and len(bank.errors) == 1
    assert message in bank.errors[0]


def test_a_translation_needs_the_text_of_its_language(tmp_path: Path) -> None:
    english_only = TRANSLATED[: TRANSLATED.index("  ko:\n    prompt")]
    write(tmp_path, "losses/tiny-choice.yaml", english_only)
    error = load_bank(tmp_path).errors[0]
    assert "choices.0.ko: there is no text.ko to go with it" in error


def test_verify_renders_the_feedback_of_every_language(tmp_path: Path) -> None:
    from studykit.questions.verify import verify_templates

    write(
        tmp_path,
        "losses/tiny-choice.yaml",
        TRANSLATED.replace('<< loss >> 입니다."', '<< lost >>"'),
    )
    report = verify_templates(list(load_bank(tmp_path).templates.values()), range(2))
    assert report.failed_variants == 2
    assert "'lost' is undefined" in report.failures[0]


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("{ko: 작은}", ":2: title: a text given per language needs en"),
        ("{en: Tiny, fr: Petit}", ":2: title.fr: unknown language"),
        ('{en: Tiny, ko: ""}', ":2: title.ko: must be non-empty text"),
        ("[Tiny]", ":2: title: must be str or dict, got list"),
    ],
)
def test_a_bad_title_is_one_line_naming_the_field(tmp_path: Path, title: str, message: str) -> None:
    write(tmp_path, "losses/tiny.yaml", GOOD.replace("title: Tiny", f"title: {title}"))
    bank = load_bank(tmp_path)
    assert bank.templates == {} and message in bank.errors[0]


def test_a_title_may_be_given_per_language(tmp_path: Path) -> None:
    from studykit.questions.template import scan_bank

    translated = GOOD.replace("title: Tiny", "title: {en: Tiny, ko: 작은}")
    template = loaded(tmp_path, "losses/tiny", translated)
    assert (template.title, template.title_in("ko"), template.title_in("en")) == (
        "Tiny",
        "작은",
        "Tiny",
    )
    (summary,), errors = scan_bank(tmp_path)
    assert errors == [] and summary.title_in("ko") == "작은"


def test_an_expression_answer_may_state_its_domain(tmp_path: Path) -> None:
    from studykit.questions.checking import sample_points

    source = (Path(__file__).parents[1] / "questions/gradients/tanh-derivative.yaml").read_text(
        encoding="utf-8"
    )
    assert "  kind: expression\n" in source
    stated = source.replace("  kind: expression\n", "  kind: expression\n  domain: [0.5, 3]\n")
    template = loaded(tmp_path, "gradients/tanh-derivative", stated)
    assert template.domain == (0.5, 3.0)
    key = solve(make_variant(template, 0)).key
    assert key.domain == (0.5, 3.0)
    assert key.data()["domain"] == [0.5, 3.0]
    assert all(0.5 < x < 3 for x in sample_points(key.domain))
    from studykit.questions.verify import verify_templates

    assert verify_templates([template], range(3)).ok


@pytest.mark.parametrize(
    ("domain", "message"),
    [
        ("[3, 1]", "must be \\[low, high\\] with low < high"),
        ("[1]", "must be \\[low, high\\]"),
        ("[a, b]", "must be \\[low, high\\]"),
        ("[1, .inf]", "inf is not a finite number"),
    ],
)
def test_a_domain_must_be_an_interval(tmp_path: Path, domain: str, message: str) -> None:
    source = (Path(__file__).parents[1] / "questions/gradients/tanh-derivative.yaml").read_text(
        encoding="utf-8"
    )
    write(
        tmp_path,
        "gradients/t.yaml",
        source.replace("  kind: expression\n", f"  kind: expression\n  domain: {domain}\n"),
    )
    (error,) = load_bank(tmp_path).errors
    assert re.search(f"answer.domain.*{message}", error), error


def test_only_an_expression_answer_has_a_domain(tmp_path: Path) -> None:
    write(
        tmp_path,
        "losses/tiny.yaml",
        GOOD.replace("  kind: number\n", "  kind: number\n  domain: [0, 1]\n"),
    )
    (error,) = load_bank(tmp_path).errors
    assert "answer.domain: only expression answers have a domain" in error


# Regression tests for the content of the question bank (issue #15): what a variant says must
# hold for every variant, not only for the seed someone looked at.

BANK_DIR = Path(__file__).parents[1] / "questions"
REGRESSION_SEEDS = range(120)


@functools.lru_cache(maxsize=1)
def _bank() -> dict[str, Template]:
    return load_bank(BANK_DIR).templates


def _bank_variants(template_id: str, seeds: range = REGRESSION_SEEDS):  # type: ignore[no-untyped-def]
    template = _bank()[template_id]
    return [make_variant(template, seed) for seed in seeds]


def _english_texts(variant) -> list[str]:  # type: ignore[no-untyped-def]
    solved = solve(variant)
    texts = [variant.prompt(), solved.solution()]
    hint = variant.hint()
    if hint is not None:
        texts.append(hint)
    texts += [m.feedback for m in solved.misconceptions]
    return texts


def _formulas(text: str) -> set[str]:
    """Every code span of ``text`` and every run of formula characters that mentions x."""
    found = set(re.findall(r"`([^`\n]+)`", text))
    for run in re.findall(r"[A-Za-z0-9_*/^().+\-·² ]{5,}", text):
        words = run.split()
        for i in range(len(words)):
            for j in range(i + 1, min(len(words), i + 9) + 1):
                candidate = " ".join(words[i:j]).strip(".,;:")
                while candidate.startswith("(") and candidate.count("(") > candidate.count(")"):
                    candidate = candidate[1:]
                while candidate.endswith(")") and candidate.count(")") > candidate.count("("):
                    candidate = candidate[:-1]
                if "x" in candidate and candidate.count("(") == candidate.count(")"):
                    found.add(candidate)
    return found


@pytest.mark.parametrize(
    "template_id",
    [
        "gradients/derivative-formula",
        "gradients/tanh-derivative",
        "activations/smooth-activation-derivative",
    ],
)
def test_a_formula_shown_in_a_prompt_is_never_the_answer(template_id: str) -> None:
    """A format example (any formula in x) in the prompt must not be accepted as the key."""
    from studykit.questions.checking import check

    for variant in _bank_variants(template_id, range(40)):
        key = solve(variant).key
        for lang in ("en", "ko"):
            for formula in _formulas(variant.prompt(lang)):
                try:
                    verdict = check(formula, key)
                except Exception:  # not an answer in x (a function name, a sentence)
                    continue
                assert not verdict.correct, (variant.where, lang, formula)


@pytest.mark.parametrize(
    ("template_id", "param", "words"),
    [
        ("losses/mse-vs-mae", "loss_name", {"mse": ("MSE", "MSE"), "mae": ("MAE", "MAE")}),
        ("gradients/square-sum-grad", "reduce", {"sum": ("sum", "합"), "mean": ("mean", "평균")}),
        (
            "losses/huber-smooth-l1",
            "loss_name",
            {"huber": ("Huber", "후버"), "smooth_l1": ("smooth L1", "smooth L1")},
        ),
        (
            "gradients/derivative-formula",
            "name",
            {
                "sigmoid": ("sigmoid", "시그모이드"),
                "softplus": ("softplus", "소프트플러스"),
                "swish": ("swish", "스위시"),
                "square": ("x²", "x²"),
            },
        ),
    ],
)
def test_a_title_fits_every_variant(
    template_id: str, param: str, words: dict[str, tuple[str, str]]
) -> None:
    """The title names what each variant asks about (a MAE variant is not titled "MSE ...")."""
    template = _bank()[template_id]
    seen = set()
    for variant in _bank_variants(template_id):
        value = variant.params[param]
        seen.add(value)
        english, korean = words[value]
        assert english in template.title, (value, template.title)
        assert korean in template.title_in("ko"), (value, template.title_in("ko"))
    assert seen == set(words)


COUNTED = (
    "samples|examples|batches|steps|epochs|iterations|updates|positions|columns|rows|values"
    "|weights|biases|channels|features|classes|left-over samples"
)


@pytest.mark.parametrize(
    "template_id",
    [
        "data/batch-shape",
        "data/batches-per-epoch",
        "data/iterations-for-epochs",
        "data/split-sizes",
        "gradient-descent/updates-per-epoch",
    ],
)
def test_one_sample_is_singular(template_id: str) -> None:
    """One sample, two samples: never "1 samples" nor "sample(s)"."""
    singular = 0
    for variant in _bank_variants(template_id, range(300)):
        if singular and variant.seed >= 80:
            break
        for text in _english_texts(variant):
            plural = re.search(rf"(?<![\d.,])1 (full |smaller |optimizer )?({COUNTED})\b", text)
            assert not plural, (variant.where, plural.group())
            assert "(s)" not in text, (variant.where, text)
            singular += bool(re.search(r"(?<![\d.,])1 (left-over )?sample\b", text))
    assert singular, "no variant with a single left-over sample was drawn"


def test_split_sizes_feedback_never_contradicts_itself() -> None:
    """Rounded sizes that happen to add up to n are not offered as sizes that do not."""
    for variant in _bank_variants("data/split-sizes", range(300)):
        solved = solve(variant)
        for lang in ("en", "ko"):
            for misconception in solved.misconceptions_in(lang):
                match = re.search(r"adds up to (\d+), n = (\d+)", misconception.feedback)
                assert not match or match.group(1) != match.group(2), misconception.feedback
                match = re.search(r"합은 (\d+)이고 n = (\d+)", misconception.feedback)
                assert not match or match.group(1) != match.group(2), misconception.feedback


def test_broadcast_trap_advice_fits_the_code() -> None:
    """The feedback does not tell the student to unsqueeze targets the code already unsqueezes."""
    for variant in _bank_variants("tensors/broadcast-trap"):
        feedback = solve(variant).misconceptions[0].feedback
        unsqueezed = "unsqueeze" in variant.params["tcode"]
        assert ("unsqueeze(1) the targets" in feedback) is not unsqueezed, feedback
        assert ("drop the .unsqueeze(1)" in feedback) is unsqueezed, feedback


def test_pixel_distance_prompt_does_not_present_the_image_as_the_mean_image() -> None:
    from studykit.questions.render import fmt_tensor

    for variant in _bank_variants("models/pixel-distance", range(20)):
        for lang in ("en", "ko"):
            before_probe = variant.prompt(lang).split(fmt_tensor(variant.params["probe"]))[0]
            introduction = before_probe.rstrip().splitlines()[-1]
            assert "mean" not in introduction and "평균" not in introduction, introduction


def test_landscape_texts_say_what_the_notes_table_says() -> None:
    """Algorithms with regression versions are not said to predict only classes; a SOM also
    reduces dimensions; an MDP is not called an algorithm."""
    for variant in _bank_variants("landscape/type-and-task"):
        texts = " ".join(_english_texts(variant))
        assert "notes' table" in variant.prompt()
        assert "not a number" not in texts
        both = ("k-nearest neighbors", "support vector machine", "decision tree")
        if variant.params["algo"][0] in both:
            assert "regression" in solve(variant).solution()
    for variant in _bank_variants("landscape/deep-learning-table"):
        texts = " ".join(_english_texts(variant))
        assert "does not compress" not in texts
        if variant.params["algo"][0] == "SOM":
            assert "reduces its dimensions" in texts
    mdp = 0
    for template_id in ("landscape/learning-type", "landscape/which-algorithm"):
        for variant in _bank_variants(template_id, range(60)):
            solution = solve(variant).solution()
            if "Markov" in solution:
                mdp += 1
                assert "not itself an algorithm" in solution, solution
    assert mdp
