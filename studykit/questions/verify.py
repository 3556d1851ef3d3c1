"""``studykit verify``: prove every answer key right, for every template and many seeds.

For each variant it checks, in order:

1. the parameters can be drawn (the constraints are satisfiable);
2. the prompt, hint, choices and worked solution render (no undefined name, no Jinja error);
3. the key is computed by the reference implementation, is finite and of the declared kind;
4. the key agrees with the template's independent torch **oracle** (to float64 precision);
5. the key, typed back as an answer, passes the checker (the key is answerable);
6. every misconception's answer *fails* the checker and is recognized as that misconception
   (a misconception within tolerance of the key is a degenerate variant).

Each failure is one line naming the template file and the seed, so ``studykit show ID --seed N``
reproduces it. A template that goes over a budget (see `studykit.questions.limits`) is reported
once and its remaining seeds are skipped, so one hostile template costs at most a few seconds;
any other error a template causes is reported as its failure too, and the bank goes on.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field

from studykit.questions.answer_messages import AnswerError
from studykit.questions.checking import Key, check, matches
from studykit.questions.expression_samples import sample_points
from studykit.questions.limits import LimitError, time_limit
from studykit.questions.params import ParamError
from studykit.questions.precision import Tolerance, close
from studykit.questions.render import RenderError
from studykit.questions.template import Template
from studykit.questions.variant import Solved, SolveError, Variant, coerce, make_variant, solve

__all__ = ["Report", "answer_text", "verify_templates"]

# The key and the oracle are both float64 computations of the same formula.
ORACLE_TOLERANCE = Tolerance(rel=1e-7, abs=1e-9)
# Past this many failing seeds of one template, verify summarizes instead of listing.
MAX_LINES_PER_TEMPLATE = 3


@dataclass
class Report:
    """What ``verify`` found: how many variants it checked and one line per failure."""

    variants: int = 0
    failed_variants: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every variant passed."""
        return not self.failures


def verify_templates(templates: Iterable[Template], seeds: range) -> Report:
    """Verify every template over ``seeds`` and collect the failures."""
    report = Report()
    for template in templates:
        failed = []
        for seed in seeds:
            report.variants += 1
            problem, over_limit = _verify(template, seed)
            if problem is not None:
                failed.append(f"{template.path} (seed {seed}): {problem}")
            if over_limit:
                failed[-1] += " (its other seeds were skipped)"
                break
        report.failed_variants += len(failed)
        report.failures.extend(failed[:MAX_LINES_PER_TEMPLATE])
        if len(failed) > MAX_LINES_PER_TEMPLATE:
            more = len(failed) - MAX_LINES_PER_TEMPLATE
            report.failures.append(f"{template.path}: ... and {more} more failing seeds")
    return report


def verify_variant(template: Template, seed: int) -> str | None:
    """Check one variant; return a one-line problem or ``None``."""
    return _verify(template, seed)[0]


def _verify(template: Template, seed: int) -> tuple[str | None, bool]:
    """A one-line problem (or ``None``), and whether it was a budget exceeded."""
    where = f"{template.path} (seed {seed})"
    try:
        variant = make_variant(template, seed)
        for lang in template.texts:
            variant.prompt(lang)
            variant.hint(lang)
        solved = solve(variant)
        for lang in template.texts:  # feedback is computed lazily: render it here
            solved.solution(lang)
            solved.misconceptions_in(lang)
        with time_limit():
            problem = _check_oracle(variant, solved) or _check_answerable(solved)
    except (ParamError, SolveError, RenderError, LimitError) as error:
        return _strip_where(str(error), where), isinstance(error, LimitError)
    except Exception as error:  # a template must never take the rest of the bank down
        message = str(error).splitlines()[0][:300] if str(error) else ""
        return f"unexpected {type(error).__name__}: {message}", True
    return problem, False


def _check_oracle(variant: Variant, solved: Solved) -> str | None:
    from studykit.questions import compute
    from studykit.questions.expressions import ExpressionError

    template = variant.template
    env = compute.oracle_env(compute.tensor_params(template.params, variant.params))
    points = sample_points(solved.key.domain)
    env["points"] = list(points)
    try:
        with warnings.catch_warnings():  # torch's advice about a template's own oracle
            warnings.simplefilter("ignore")
            raw = compute.plain(compute.run(template.oracle, env))
        kind = "number" if template.auto_choices else template.kind
        expected = raw if kind == "expression" else coerce(kind, raw)
    except (ExpressionError, TypeError, ValueError) as error:
        if isinstance(error, LimitError):
            raise LimitError(f"oracle: {error}") from None
        return f"oracle failed: {error}"
    if template.auto_choices:
        return _check_options(solved, expected)
    if template.kind == "expression":
        return _check_expression(solved.key.value, expected, points)
    tight = Key(solved.key.kind, solved.key.value, solved.key.shape, ORACLE_TOLERANCE)
    if not matches(expected, tight):
        return f"key {solved.key.value!r} disagrees with the torch oracle {expected!r}"
    return None


def _check_options(solved: Solved, expected: float) -> str | None:
    """Auto choices: the right option's value matches the oracle; options read differently."""
    right = solved.values["answer_value"]
    if not matches(expected, Key("number", right, (), ORACLE_TOLERANCE)):
        return f"key {right!r} disagrees with the torch oracle {expected!r}"
    options = solved.values["options"]
    if len(set(options)) != len(options):
        return f"two options read the same: {options}"
    return None


def _check_expression(text: object, expected: object, points: tuple[float, ...]) -> str | None:
    """An expression key must agree with the oracle's values at the sample points."""
    from studykit.questions.answer_evaluation import evaluate
    from studykit.questions.answers import parse_answer

    if not isinstance(expected, list) or len(expected) != len(points):
        return f"an expression oracle must give one value per sample point, got {expected!r}"
    node = parse_answer(str(text), "expression").value
    for point, value in zip(points, expected, strict=True):
        try:
            mine = evaluate(node, {"x": point})  # type: ignore[arg-type]
        except AnswerError:
            continue
        if not close(mine, float(value), ORACLE_TOLERANCE):
            return f"key {text!r} is {mine!r} at x={point}, the torch oracle says {value!r}"
    return None


def _check_answerable(solved: Solved) -> str | None:
    key = solved.key
    try:
        verdict = check(answer_text(key.kind, key.value), key, solved.misconceptions)
    except AnswerError as error:
        return f"the key {key.value!r} cannot be typed back as an answer: {error}"
    if not verdict.correct:
        return f"the key typed back as an answer is judged wrong: {verdict.message}"
    for wrong in solved.misconceptions:
        try:
            verdict = check(answer_text(key.kind, wrong.value), key, solved.misconceptions)
        except AnswerError as error:
            return f"misconception {wrong.name!r} gives {wrong.value!r}, not an answer: {error}"
        if verdict.correct:
            return f"misconception {wrong.name!r} is within tolerance of the key (degenerate)"
        if verdict.misconception != wrong.name:
            found = verdict.misconception or "nothing"
            return f"misconception {wrong.name!r} is recognized as {found}"
    return None


def answer_text(kind: str, value: object) -> str:
    """How a student would type ``value`` (full precision) for an answer of ``kind``."""
    if kind == "shape":
        return str(tuple(value))  # type: ignore[arg-type]
    return repr(value) if not isinstance(value, str) else value


def _strip_where(message: str, variant_where: str) -> str:
    return message.removeprefix(f"{variant_where}: ").removeprefix(f"{variant_where}: ")
