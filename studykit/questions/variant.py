"""A variant is (template, seed): drawn parameters, a prompt, and, when asked, the solved key.

The flow runs one way::

    template --seed--> parameters --render--> prompt            (no torch needed)
                           |
                           +--reference implementation--> answer key, intermediate values,
                                                          misconception answers
                                                          --render--> worked solution

``make_variant`` does the first line; ``solve`` the second, importing torch only then, so a
terminal quiz can show its first prompt while torch is still loading.
"""

from __future__ import annotations

import functools
import random
import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import ModuleType
from typing import Any, TypeVar

from studykit.questions.checking import DEFAULT_DOMAIN, Key, KeyMaker, Misconception
from studykit.questions.expressions import Expression, ExpressionError
from studykit.questions.limits import LimitError, time_limit
from studykit.questions.render import denoise, fmt_num, render_text
from studykit.questions.template import Template, in_language

__all__ = ["SolveError", "SolveLimitError", "Solved", "Variant", "make_variant", "solve"]

MAX_SEED = 2**63 - 1
_T = TypeVar("_T")


class SolveError(ValueError):
    """A variant whose key could not be computed (a template bug, named with file and seed)."""


class SolveLimitError(SolveError, LimitError):
    """A variant whose computation went over a budget (see `studykit.questions.limits`)."""


def _failure(where: str, field: str, error: Exception) -> SolveError:
    """One line naming the file, seed and field; a budget exceeded keeps its own class."""
    kind = SolveLimitError if isinstance(error, LimitError) else SolveError
    return kind(f"{where}: {field}: {error}")


@dataclass(frozen=True)
class Variant:
    """One concrete question: a template, a seed and the parameters they produce."""

    template: Template
    seed: int
    params: dict[str, Any]
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def where(self) -> str:
        """``file (seed N)``, for error messages (every text rendered is given it)."""
        return f"{self.template.path} (seed {self.seed})"

    def language(self, lang: str) -> str:
        """``lang`` if the template has texts in it, else English."""
        return lang if lang in self.template.texts else "en"

    def prompt(self, lang: str = "en") -> str:
        """The question text, with the choices listed for choice questions."""
        lang = self.language(lang)
        text = render_text(self.template.texts[lang].prompt, self.params, self.where)
        if self.template.choices or self.template.auto_choices:
            text += "\n\n" + "\n".join(
                f"{letter}. {option}"
                for letter, option in zip("ABCDEFGH", self.choices(lang), strict=False)
            )
        return text

    def choices(self, lang: str = "en") -> list[str]:
        """The rendered options of a choice question (lettered A, B, ...), in ``lang``.

        An option not translated into ``lang`` is shown in English. With ``choices: auto`` the
        options are computed (the key and each misconception's answer, shuffled by the seed),
        so this solves the variant first.
        """
        if self.template.auto_choices:
            return list(solve(self).values["options"])
        key = f"choices/{lang}"  # the prompt and the key both need them: rendered once
        if key not in self.cache:
            self.cache[key] = tuple(
                render_text(in_language(c, lang), self.params, self.where)
                for c in self.template.choices
            )
        return list(self.cache[key])

    def hint(self, lang: str = "en") -> str | None:
        """The hint text in ``lang``, else the English one; ``None`` if the template has none."""
        hint = self.template.texts[self.language(lang)].hint or self.template.texts["en"].hint
        return None if hint is None else render_text(hint, self.params, self.where)


_GENERATORS = threading.local()


def _generator(seed: str) -> random.Random:
    """``random.Random(seed)``: this thread's generator, seeded anew.

    Seeding resets a generator whole, so the numbers are those of a new ``Random(seed)``; a new
    one would be seeded twice (its constructor seeds it, then ``__init__`` again), which costs
    more than the draws of most variants. Only `make_variant` uses it, and it draws everything
    before it returns.
    """
    rng: random.Random | None = getattr(_GENERATORS, "rng", None)
    if rng is None:
        rng = _GENERATORS.rng = random.Random()
    rng.seed(seed)
    return rng


def make_variant(template: Template, seed: int) -> Variant:
    """Draw the parameters of ``template`` for ``seed`` (deterministic, torch-free)."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be a whole number from 0 to {MAX_SEED}, got {seed!r}")
    rng = _generator(f"{template.id}/{seed}")
    where = f"{template.path} (seed {seed})"
    params = template.draw_plan.draw(rng, where)
    variant = Variant(template, seed, params)
    vars(variant)["where"] = where  # `Variant.where`, known already
    return variant


class Solved:
    """A variant with its key and every intermediate value.

    The misconceptions' answers are computed on first use (a quiz needs them only after a wrong
    answer), so showing a question and its solution costs only the steps and the key.

    The variant keeps its solution (``solve`` computes it once), and the solution refers back
    to the variant only weakly: with a strong reference each way, every variant and its tensors
    would wait for Python's cycle collector instead of going as soon as nobody uses them, and
    collecting thousands of them costs more than some variants do. A solution kept longer than
    its variant gives the same variant again (`variant`).

    Attributes:
        key: The key, in the kind the template declares.
        values: The parameters, each step's value and the answer, as plain Python values.
        env: The computation's environment (tensors), for the misconceptions' answers.
    """

    def __init__(
        self, variant: Variant, key: Key, values: dict[str, Any], env: dict[str, Any]
    ) -> None:
        self._variant = weakref.ref(variant)
        self._drawn = (variant.template, variant.seed, variant.params, variant.where)
        self.key, self.values, self.env = key, values, env

    @property
    def variant(self) -> Variant:
        """The variant this solves (made again, with this solution, if it is gone)."""
        variant = self._variant()
        if variant is None:
            template, seed, params, where = self._drawn
            variant = Variant(template, seed, params, {"solved": self})
            vars(variant)["where"] = where
            self._variant = weakref.ref(variant)
        return variant

    def __repr__(self) -> str:
        template, seed, _, _ = self._drawn
        return f"Solved({template.id!r}, seed={seed}, key={self.key!r}, values={self.values!r})"

    def solution(self, lang: str = "en") -> str:
        """The worked solution, showing this variant's intermediate values."""
        text = self.variant.template.texts[self.variant.language(lang)].solution
        return render_text(text, self.values, self.variant.where)

    @cached_property
    def misconceptions(self) -> tuple[Misconception, ...]:
        """Each misconception's answer for this variant, with its feedback in English."""
        return self.misconceptions_in("en")

    def misconceptions_in(self, lang: str) -> tuple[Misconception, ...]:
        """Each misconception's answer, with its feedback in ``lang`` where it is translated."""
        specs = self.variant.template.misconceptions
        return tuple(
            Misconception(
                spec.name,
                value,
                render_text(in_language(spec.feedback, lang), self.values, self.variant.where),
            )
            for spec, value in zip(specs, self.wrong_answers, strict=True)
        )

    @cached_property
    def wrong_answers(self) -> tuple[Any, ...]:
        """Each misconception's answer for this variant (computed once, on first use)."""
        variant, field = self.variant, ["misconceptions"]

        def answers() -> tuple[Any, ...]:
            out = []
            for i in range(len(variant.template.misconceptions)):
                field[0] = f"misconceptions.{i}.value"
                out.append(_misconception_answer(variant, i, self.env, variant.template.kind))
            return tuple(out)

        return _in_time(variant, field, answers)


def _in_time(variant: Variant, field: list[str], work: Callable[[], _T]) -> _T:
    """``work()`` within the time budget of one phase, in the template's computing mode.

    ``work`` keeps ``field[0]`` on the field it is computing, which a time-out names. The mode
    (inference mode unless the key takes gradients: `studykit.questions.compute.computing`) is
    entered before the clock starts and left after it stops, so a time-out never lands in it.
    """
    try:
        with _compute().computing(_plan(variant.template).autograd), time_limit():
            return work()
    except LimitError as error:
        if isinstance(error, SolveError):
            raise
        raise SolveLimitError(f"{variant.where}: {field[0]}: {error}") from None


def _misconception_answer(variant: Variant, index: int, env: dict[str, Any], kind: str) -> Any:
    """Misconception ``index``'s answer, coerced to ``kind`` (errors name the field)."""
    compute = _compute()
    spec = variant.template.misconceptions[index]
    field = f"misconceptions.{index}.value"
    try:
        return coerce(kind, compute.plain(compute.run(spec.value, env)))
    except (ExpressionError, LimitError) as error:
        raise _failure(variant.where, field, error) from None
    except (TypeError, ValueError, OverflowError) as error:
        raise SolveError(f"{variant.where}: {field}: not of kind {kind!r}: {error}") from None


def solve(variant: Variant) -> Solved:
    """Compute the key with the reference implementations (imports torch); cached per variant.

    Raises:
        SolveError: A step or the answer failed to evaluate, or the answer is not of the
            declared kind or not finite.
    """
    if "solved" not in variant.cache:
        variant.cache["solved"] = _solve(variant)
    solved: Solved = variant.cache["solved"]
    return solved


@functools.cache
def _compute() -> ModuleType:
    """`studykit.questions.compute`, imported (with torch) on first use."""
    from studykit.questions import compute

    return compute


def _solve(variant: Variant) -> Solved:
    compute = _compute()  # imports torch: before the clock starts
    compute.prepare()
    field = ["solving"]
    return _in_time(variant, field, lambda: _solve_in_time(variant, field, compute))


class _SolvePlan:
    """What solving a template's variants needs that depends on the template alone.

    Worked out on a template's first solve and kept on it (`_plan`): each step with the field
    name that its errors give, a `KeyMaker` for each kind of key the template makes, and whether
    its key takes gradients (else it is computed in inference mode).
    """

    def __init__(self, template: Template) -> None:
        self.steps: tuple[tuple[str, Expression, str], ...] = tuple(
            (name, expression, f"steps.{name}") for name, expression in template.steps
        )
        self.key_makers: dict[str, KeyMaker] = {}
        expressions = [template.answer, *(e for _, e in template.steps)]
        expressions += [spec.value for spec in template.misconceptions]
        self.autograd: bool = _compute().uses_autograd(expressions)


_PLAN = "_solve_plan"  # where a template keeps its plan (the template is frozen, its dict not)


def _plan(template: Template) -> _SolvePlan:
    plan: _SolvePlan | None = vars(template).get(_PLAN)
    if plan is None:
        plan = vars(template)[_PLAN] = _SolvePlan(template)
    return plan


def _solve_in_time(variant: Variant, field_now: list[str], compute: ModuleType) -> Solved:
    template = variant.template
    env = compute.studykit_env(compute.tensor_params(template.params, variant.params))
    values = dict(variant.params)
    run, plain = compute.run, compute.plain
    field = "answer.value"
    try:
        for name, expression, step_field in _plan(template).steps:
            field = field_now[0] = step_field
            env[name] = value = run(expression, env)
            values[name] = plain(value)
        field = field_now[0] = "answer.value"
        answer = plain(run(template.answer, env))
    except ExpressionError as error:
        raise _failure(variant.where, field, error) from None
    field_now[0] = "misconceptions" if template.auto_choices else "answer.value"
    if template.auto_choices:
        return _solve_auto_choices(variant, answer, values, env)
    options = variant.choices("en") if template.choices else ()
    key = make_key(template.kind, answer, template, variant.where, options)
    values["answer"] = key.value
    return Solved(variant, key, values, env)


def _solve_auto_choices(
    variant: Variant, answer: Any, values: dict[str, Any], env: dict[str, Any]
) -> Solved:
    """Options = the key and each misconception's answer, in an order drawn from the seed.

    A student who picks a misconception's option gets that misconception's feedback.
    """
    template = variant.template
    right = make_key("number", answer, template, variant.where).value
    wrong = [
        (spec, _misconception_answer(variant, i, env, "number"))
        for i, spec in enumerate(template.misconceptions)
    ]
    order = list(range(len(wrong) + 1))
    random.Random(f"{template.id}/{variant.seed}/options").shuffle(order)
    numbers = [right, *(value for _, value in wrong)]
    letters = "ABCDEFGH"
    values["options"] = [fmt_num(numbers[i]) for i in order]
    values["answer_value"] = right
    values["answer"] = letters[order.index(0)]
    key = make_key("choice", values["answer"], template, variant.where, values["options"])
    solved = Solved(variant, key, values, env)
    # Precomputed: the options needed them. A student who picks a misconception's option
    # typed that misconception's letter.
    solved.__dict__["wrong_answers"] = tuple(letters[order.index(i + 1)] for i in range(len(wrong)))
    return solved


def make_key(
    kind: str, value: Any, template: Template, where: str, options: Sequence[str] = ()
) -> Key:
    """Turn a computed value into the key of the declared kind, or raise ``SolveError``.

    The key states the template's precision (``answer.precision``, or the kind's default); a
    template that gives ``answer.tolerance`` instead is graded by that. ``options`` are a
    choice question's options as shown (in English), so the checker knows how many there are
    and whether they are numbers. ``Key`` itself refuses values that are not finite or not
    rectangular.
    """
    try:
        maker = _key_maker(template, kind)
        return maker(coerce(kind, value), tuple(options) if kind == "choice" else ())
    except (TypeError, ValueError, OverflowError) as error:
        raise SolveError(f"{where}: answer is not of kind {kind!r}: {error}") from None


def _key_maker(template: Template, kind: str) -> KeyMaker:
    """The template's maker of keys of ``kind``, made on first use (`_SolvePlan`)."""
    makers = _plan(template).key_makers
    maker = makers.get(kind)
    if maker is None:
        precision = template.precision if kind == template.kind else None
        tolerance = None if precision is not None or kind != template.kind else template.tolerance
        domain = DEFAULT_DOMAIN if template.domain is None else template.domain
        maker = KeyMaker(kind, tolerance=tolerance, domain=domain, precision=precision)  # type: ignore[arg-type]
        makers[kind] = maker
    return maker


def coerce(kind: str, value: Any) -> Any:
    """A plain value in the form the checker expects for ``kind``.

    Numbers and tensor entries smaller than `studykit.questions.render.FLOAT_NOISE` become 0.
    """
    if kind == "number":
        if isinstance(value, list):
            flat = _flatten(value)
            if len(flat) != 1:
                raise ValueError(f"expected one number, got {len(flat)} values")
            value = flat[0]
        return denoise(float(value))
    if kind == "integer":
        number = float(value)
        if number != int(number):
            raise ValueError(f"{value!r} is not a whole number")
        return int(number)
    if kind == "tensor":
        return denoise(value if isinstance(value, list) else float(value))
    if kind == "shape":
        return tuple(map(int, value))
    if kind == "choice":
        letter = str(value).strip().upper()
        if len(letter) != 1 or not "A" <= letter <= "H":
            raise ValueError(f"a choice must be a letter A-H, got {value!r}")
        return letter
    return str(value)


def _flatten(value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return [x for item in value for x in _flatten(item)]
    return [value]
