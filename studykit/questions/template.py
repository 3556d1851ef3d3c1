"""Question templates: the schema, and loading a bank of them from ``questions/``.

One YAML file is one template. Its fields (``id``, ``topic``, ``params``, ``steps``, ``answer``,
``oracle``, ``misconceptions``, ``text``, ...) are described in ``docs/questions.md``. Loading
checks every field, parses every expression and compiles every Jinja text, so a broken template
fails *here*, with one line naming its file, line and field, and the rest of the bank still loads.
Nothing in this module imports torch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2

from studykit.questions import render
from studykit.questions.allowed import (
    NAMESPACES,
    ORACLE_FUNCTIONS,
    STUDYKIT_FUNCTIONS,
    STUDYKIT_NAMESPACES,
)
from studykit.questions.checking import (
    DEFAULT_PRECISION,
    DEFAULT_TOLERANCE,
    EXACT,
    MAX_FIGURES,
    Precision,
    Tolerance,
)
from studykit.questions.expressions import Expression, ExpressionError, parse
from studykit.questions.params import (
    CONSTRAINT_FUNCTIONS,
    DrawPlan,
    ParamError,
    ParamSpec,
    parse_param,
)
from studykit.questions.yamlfile import Document, YamlError, bank_files, read_yaml
from studykit.topics import topic_ids

__all__ = [
    "Bank",
    "Localized",
    "MisconceptionSpec",
    "Summary",
    "Template",
    "TemplateError",
    "Text",
    "in_language",
    "load_bank",
    "load_template",
    "scan_bank",
]

KINDS = ("number", "integer", "tensor", "shape", "choice", "expression")
LANGUAGES = ("en", "ko")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)+$")
# Names a template expression may reach that are not parameters or steps: the plain helpers,
# and the first words of dotted function names (whose whole names are checked against the
# field's table of `studykit.questions.allowed`).
BUILTINS = set(CONSTRAINT_FUNCTIONS)
NO_FUNCTIONS: frozenset[str] = frozenset()
TOP_FIELDS = {
    "id", "title", "topic", "difficulty", "tags", "params", "constraints", "steps", "answer",
    "oracle", "misconceptions", "text", "choices",
}  # fmt: skip


class TemplateError(ValueError):
    """A template that cannot be loaded; the message is ``file:line: field: problem``."""


@dataclass(frozen=True)
class Text:
    """The texts of one language, compiled."""

    prompt: jinja2.Template
    solution: jinja2.Template
    hint: jinja2.Template | None


Localized = dict[str, jinja2.Template]
"""One text in each language it is written in (always English): see `in_language`."""


def in_language(texts: Localized, lang: str) -> jinja2.Template:
    """The text in ``lang`` if it is written in it, else the English one."""
    return texts[lang] if lang in texts else texts["en"]


class _Titled:
    """A template or its summary: an English title and its translations."""

    title: str
    titles: tuple[tuple[str, str], ...]

    def title_in(self, lang: str) -> str:
        """The title in ``lang`` if it is translated, else the English one."""
        return dict(self.titles).get(lang, self.title)


@dataclass(frozen=True)
class MisconceptionSpec:
    """A named wrong computation and the feedback a student who made it should read."""

    name: str
    value: Expression
    feedback: Localized


@dataclass(frozen=True)
class Template(_Titled):
    """A validated question template."""

    id: str
    path: Path
    title: str
    topic: str
    difficulty: int
    tags: tuple[str, ...]
    params: tuple[ParamSpec, ...]
    constraints: tuple[Expression, ...]
    steps: tuple[tuple[str, Expression], ...]
    answer: Expression
    kind: str
    tolerance: Tolerance
    oracle: Expression
    misconceptions: tuple[MisconceptionSpec, ...]
    texts: dict[str, Text]
    choices: tuple[Localized, ...] = ()
    auto_choices: bool = False  # options are the key and the misconceptions' answers
    domain: tuple[float, float] | None = None  # an expression answer's [a, b], if stated
    titles: tuple[tuple[str, str], ...] = ()  # (language, title) for each translation
    # The precision the prompt states (answer.precision, else the kind's default); None for
    # an expression, and for a template that gives answer.tolerance instead (graded by it).
    precision: Precision | None = None

    @property
    def prompt_needs_key(self) -> bool:
        """Whether showing the prompt needs the computed key (auto choices do)."""
        return self.auto_choices

    @cached_property
    def draw_plan(self) -> DrawPlan:
        """How its parameters are drawn, worked out on first use and kept."""
        return DrawPlan(self.params, self.constraints)


@dataclass
class Bank:
    """Every template that loaded, and one error line for each file that did not."""

    templates: dict[str, Template] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def by_topic(self, topic: str | None = None) -> list[Template]:
        """Templates in id order, optionally only one topic's."""
        return [t for _, t in sorted(self.templates.items()) if topic in (None, t.topic)]


def load_bank(root: Path) -> Bank:
    """Load every ``*.yaml`` under ``root``; a broken file becomes an error line, not a crash."""
    bank = Bank()
    if not root.is_dir():
        bank.errors.append(f"{root}: question folder not found")
        return bank
    for path, refused in bank_files(root):
        try:
            if refused is not None:
                raise refused
            template = load_template(path)
        except (TemplateError, YamlError) as error:
            bank.errors.append(str(error))
            continue
        if template.id in bank.templates:
            first = bank.templates[template.id].path
            bank.errors.append(f"{path}:1: id: {template.id!r} is already used by {first}")
            continue
        bank.templates[template.id] = template
    return bank


@dataclass(frozen=True)
class Summary(_Titled):
    """What a quiz needs to choose a template, read without compiling anything."""

    id: str
    path: Path
    title: str
    topic: str
    difficulty: int
    prompt_needs_key: bool = False  # choices: auto (the options are computed)
    titles: tuple[tuple[str, str], ...] = ()  # (language, title) for each translation


def scan_bank(root: Path) -> tuple[list[Summary], list[str]]:
    """Read only id, title, topic and difficulty of every template (fast: no compiling).

    The quiz uses this to start quickly and loads each chosen template in full with
    :func:`load_template`; ``load_bank`` validates everything.
    """
    summaries: list[Summary] = []
    errors: list[str] = []
    if not root.is_dir():
        return summaries, [f"{root}: question folder not found"]
    seen: set[str] = set()
    for path, refused in bank_files(root):
        try:
            if refused is not None:
                raise refused
            summary = _Loader(read_yaml(path)).summary()
        except (TemplateError, YamlError) as error:
            errors.append(str(error))
            continue
        if summary.id in seen:
            errors.append(f"{path}:1: id: {summary.id!r} is used twice")
            continue
        seen.add(summary.id)
        summaries.append(summary)
    return summaries, errors


def load_template(path: Path) -> Template:
    """Read and validate one template file."""
    return _Loader(read_yaml(path)).template()


class _Loader:
    """Validates one document field by field, raising ``TemplateError`` at the first problem."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.data = doc.data

    def fail(self, field_path: str, problem: str) -> TemplateError:
        return TemplateError(f"{self.doc.where(field_path)}: {field_path}: {problem}")

    def get(self, name: str, types: type | tuple[type, ...], default: Any = ...) -> Any:
        if name not in self.data:
            if default is ...:
                raise self.fail(name, "required field is missing")
            return default
        value = self.data[name]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in _tuple(types)):
            names = " or ".join(t.__name__ for t in _tuple(types))
            raise self.fail(name, f"must be {names}, got {type(value).__name__}")
        return value

    def expression(self, field_path: str, source: object) -> Expression:
        try:
            return parse(source)
        except ExpressionError as error:
            raise self.fail(field_path, str(error)) from None

    def jinja(self, field_path: str, source: object) -> jinja2.Template:
        if not isinstance(source, str) or not source.strip():
            raise self.fail(field_path, "must be non-empty text")
        try:
            return render.compile_text(source, field_path)
        except jinja2.TemplateSyntaxError as error:
            raise self.fail(field_path, f"Jinja syntax error on its line {error.lineno}: "
                            f"{error.message}") from None  # fmt: skip

    def summary(self) -> Summary:
        unknown = sorted(set(self.data) - TOP_FIELDS)
        if unknown:
            raise self.fail(unknown[0], f"unknown field (known: {', '.join(sorted(TOP_FIELDS))})")
        template_id = self.get("id", str)
        if not ID_PATTERN.match(template_id):
            raise self.fail("id", f"{template_id!r} must look like 'topic/short-name'")
        topic = self.get("topic", str)
        if topic not in topic_ids():
            raise self.fail("topic", f"unknown topic {topic!r} (known: {', '.join(topic_ids())})")
        difficulty = self.get("difficulty", int)
        if difficulty not in (1, 2, 3):
            raise self.fail("difficulty", f"must be 1, 2 or 3, got {difficulty}")
        title, titles = self.titles()
        return Summary(
            template_id,
            self.doc.path,
            title,
            topic,
            difficulty,
            self.data.get("choices") == "auto",
            titles,
        )

    def titles(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        """The English title and the translations (plain text, not Jinja)."""
        given = self.per_language("title", self.get("title", (str, dict)))
        titles: dict[str, str] = {}
        for lang, (where, text) in given.items():
            if not isinstance(text, str) or not text.strip():
                raise self.fail(where, "must be non-empty text")
            titles[lang] = text
        return titles.pop("en"), tuple(titles.items())

    def template(self) -> Template:
        summary = self.summary()
        template_id, topic, difficulty = summary.id, summary.topic, summary.difficulty
        tags = self.get("tags", list, [])
        if not all(isinstance(t, str) for t in tags):
            raise self.fail("tags", "must be a list of strings")
        params = self.params()
        steps = self.steps()
        kind, answer, tolerance = self.answer()
        names = {p.name for p in params} | {name for name, _ in steps}
        self.check_names(params, steps, answer)
        misconceptions = self.misconceptions(names)
        texts = self.texts()
        choices = () if self.data.get("choices") == "auto" else self.choices(kind)
        translated = [(f"choices.{i}", c) for i, c in enumerate(choices)]
        translated += [
            (f"misconceptions.{i}.feedback", m.feedback) for i, m in enumerate(misconceptions)
        ]
        for field_path, localized in translated:
            for lang in sorted(set(localized) - set(texts)):
                raise self.fail(f"{field_path}.{lang}", f"there is no text.{lang} to go with it")
        return Template(
            id=template_id,
            path=self.doc.path,
            title=summary.title,
            titles=summary.titles,
            topic=topic,
            difficulty=difficulty,
            tags=tuple(tags),
            params=params,
            constraints=self.constraints(params),
            steps=steps,
            answer=answer,
            kind=kind,
            tolerance=tolerance,
            oracle=self.oracle({p.name for p in params}),
            misconceptions=misconceptions,
            texts=texts,
            choices=choices,
            auto_choices=self.auto_choices(kind, misconceptions),
            domain=self.domain(),
            precision=self.precision(kind),
        )

    def params(self) -> tuple[ParamSpec, ...]:
        raw = self.get("params", dict)
        specs: dict[str, ParamSpec] = {}
        for name, spec in raw.items():
            if name in NAMESPACES:
                raise self.fail(f"params.{name}", f"{name!r} is the name of a namespace")
            try:
                specs[name] = parse_param(name, spec, specs)
            except ParamError as error:
                raise self.fail(f"params.{name}", str(error)) from None
            expression = specs[name].expression
            if expression is not None:
                known = set(specs) - {name} | BUILTINS
                self.check_known(f"params.{name}", expression, known, NO_FUNCTIONS)
        return tuple(specs.values())

    def constraints(self, params: tuple[ParamSpec, ...]) -> tuple[Expression, ...]:
        raw = self.get("constraints", list, [])
        known = {p.name for p in params} | set(CONSTRAINT_FUNCTIONS)
        out = []
        for i, source in enumerate(raw):
            expression = self.expression(f"constraints.{i}", source)
            self.check_known(f"constraints.{i}", expression, known, NO_FUNCTIONS)
            out.append(expression)
        return tuple(out)

    def steps(self) -> tuple[tuple[str, Expression], ...]:
        raw = self.get("steps", dict, {})
        steps = []
        for name, source in raw.items():
            if not name.isidentifier() or name in NAMESPACES or name.startswith("_"):
                raise self.fail(f"steps.{name}", "step names must be identifiers, not namespaces")
            steps.append((name, self.expression(f"steps.{name}", source)))
        return tuple(steps)

    def answer(self) -> tuple[str, Expression, Tolerance]:
        raw = self.get("answer", dict)
        unknown = sorted(set(raw) - {"value", "kind", "precision", "tolerance", "domain"})
        if unknown:
            raise self.fail(
                f"answer.{unknown[0]}",
                "unknown field (known: value, kind, precision, tolerance, domain)",
            )
        kind = raw.get("kind")
        if kind not in KINDS:
            raise self.fail("answer.kind", f"must be one of {', '.join(KINDS)}, got {kind!r}")
        if "value" not in raw:
            raise self.fail("answer.value", "required field is missing")
        value = self.expression("answer.value", raw["value"])
        precision = self.precision(kind)
        if precision is not None and "tolerance" not in raw:
            return kind, value, precision.tolerance()
        return kind, value, self.tolerance(kind, raw.get("tolerance"))

    def precision(self, kind: str) -> Precision | None:
        """``answer.precision``: what the prompt states and the checker holds answers to.

        ``exact``, or a mapping of ``sigfigs`` or ``decimals`` (and ``fraction: true`` to offer
        a fraction); without it, the kind's default (3 significant figures for numbers and
        tensors, exact for integers, shapes and choices). An expression has none, and neither
        has a template that gives the older ``answer.tolerance`` (it is graded by that).
        """
        raw = self.data["answer"].get("precision")
        where = "answer.precision"
        if raw is None:
            if "tolerance" in self.data["answer"]:
                return None
            return DEFAULT_PRECISION[kind]  # type: ignore[index]
        if "tolerance" in self.data["answer"]:
            raise self.fail(where, "give precision or tolerance, not both")
        if kind == "expression":
            raise self.fail(where, "an expression answer has no precision (it is a formula)")
        if raw == "exact":
            return EXACT
        if not isinstance(raw, dict) or not raw or set(raw) - {"sigfigs", "decimals", "fraction"}:
            raise self.fail(
                where, "must be exact or a mapping of sigfigs or decimals (and fraction)"
            )
        for name, low in (("sigfigs", 1), ("decimals", 0)):
            value = raw.get(name, low)
            valid = isinstance(value, int) and not isinstance(value, bool)
            if not (valid and low <= value <= MAX_FIGURES):
                raise self.fail(
                    f"{where}.{name}",
                    f"invalid value {value!r} (a whole number from {low} to {MAX_FIGURES})",
                )
        if "sigfigs" in raw and "decimals" in raw:
            raise self.fail(where, "give sigfigs or decimals, not both")
        if not isinstance(raw.get("fraction", False), bool):
            raise self.fail(f"{where}.fraction", "must be true or false")
        if kind not in ("number", "tensor") and ("sigfigs" in raw or "decimals" in raw):
            raise self.fail(where, f"{kind} answers are exact (precision: exact)")
        return Precision(raw.get("sigfigs"), raw.get("decimals"), raw.get("fraction", False))

    def domain(self) -> tuple[float, float] | None:
        """``answer.domain: [a, b]``: where an expression answer's variable ranges."""
        raw = self.data["answer"].get("domain")
        if raw is None:
            return None
        if self.data["answer"].get("kind") != "expression":
            raise self.fail("answer.domain", "only expression answers have a domain")
        numbers = isinstance(raw, list) and len(raw) == 2
        numbers = numbers and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in raw
        )
        if not numbers or not raw[0] < raw[1]:
            raise self.fail("answer.domain", f"must be [low, high] with low < high, got {raw!r}")
        return float(raw[0]), float(raw[1])

    def tolerance(self, kind: str, raw: object) -> Tolerance:
        default: Tolerance = DEFAULT_TOLERANCE[kind]  # type: ignore[index]
        if raw is None:
            return default
        if not isinstance(raw, dict) or set(raw) - {"rel", "abs", "sigfigs"}:
            raise self.fail("answer.tolerance", "must be a mapping of rel, abs and/or sigfigs")
        for key, value in raw.items():
            if not _valid_tolerance(key, value):
                raise self.fail(
                    f"answer.tolerance.{key}", f"invalid value {value!r} ({_LIMITS[key]})"
                )
        return Tolerance(
            rel=float(raw.get("rel", 0.0)),
            abs=float(raw.get("abs", 0.0)),
            sigfigs=raw.get("sigfigs"),
        )

    def check_names(
        self,
        params: tuple[ParamSpec, ...],
        steps: tuple[tuple[str, Expression], ...],
        answer: Expression,
    ) -> None:
        known = {p.name for p in params} | NAMESPACES | BUILTINS
        for name, expression in steps:
            self.check_known(f"steps.{name}", expression, known, STUDYKIT_FUNCTIONS)
            known.add(name)
        self.check_known("answer.value", answer, known, STUDYKIT_FUNCTIONS)
        if not _reaches_studykit(answer, dict(steps)):
            raise self.fail(
                "answer.value", "must be computed by a studykit function (directly or via steps)"
            )

    def check_known(
        self,
        field_path: str,
        expression: Expression,
        known: set[str],
        functions: frozenset[str],
    ) -> None:
        """Every name is known, and every dotted name is in the field's table of functions."""
        for dotted in sorted(expression.functions):
            if dotted not in functions:
                raise self.fail(field_path, f"{dotted!r} is not an allowed function")
        unknown = sorted(expression.names() - known - NAMESPACES)
        if unknown:
            raise self.fail(field_path, f"unknown name {unknown[0]!r}")

    def oracle(self, param_names: set[str]) -> Expression:
        expression = self.expression("oracle", self.get("oracle", str))
        known = param_names | {"points"} | BUILTINS  # points: an expression's sample x
        self.check_known("oracle", expression, known, ORACLE_FUNCTIONS)
        return expression

    def misconceptions(self, names: set[str]) -> tuple[MisconceptionSpec, ...]:
        raw = self.get("misconceptions", list, [])
        known = names | BUILTINS
        seen: set[str] = set()
        out = []
        for i, item in enumerate(raw):
            where = f"misconceptions.{i}"
            if not isinstance(item, dict) or set(item) != {"name", "value", "feedback"}:
                raise self.fail(where, "must have exactly name, value and feedback")
            name = item["name"]
            if not isinstance(name, str) or not name or name in seen:
                raise self.fail(f"{where}.name", f"must be a unique non-empty string, got {name!r}")
            seen.add(name)
            value = self.expression(f"{where}.value", item["value"])
            self.check_known(f"{where}.value", value, known, STUDYKIT_FUNCTIONS)
            feedback = self.localized(f"{where}.feedback", item["feedback"])
            out.append(MisconceptionSpec(name, value, feedback))
        return tuple(out)

    def texts(self) -> dict[str, Text]:
        raw = self.get("text", dict)
        if "en" not in raw:
            raise self.fail("text.en", "English text is required")
        texts = {}
        for lang, body in raw.items():
            where = f"text.{lang}"
            if lang not in LANGUAGES:
                raise self.fail(where, f"unknown language (known: {', '.join(LANGUAGES)})")
            if not isinstance(body, dict) or set(body) - {"prompt", "solution", "hint"}:
                raise self.fail(where, "must be a mapping of prompt, solution and hint")
            for required in ("prompt", "solution"):
                if required not in body:
                    raise self.fail(f"{where}.{required}", "required field is missing")
            hint = body.get("hint")
            texts[lang] = Text(
                prompt=self.jinja(f"{where}.prompt", body["prompt"]),
                solution=self.jinja(f"{where}.solution", body["solution"]),
                hint=None if hint is None else self.jinja(f"{where}.hint", hint),
            )
        return texts

    def auto_choices(self, kind: str, misconceptions: tuple[MisconceptionSpec, ...]) -> bool:
        if self.data.get("choices") != "auto":
            return False
        if kind != "choice":
            raise self.fail("choices", "choices: auto needs answer.kind: choice")
        if not 1 <= len(misconceptions) <= 7:
            raise self.fail(
                "choices", "choices: auto needs 1 to 7 misconceptions (the wrong options)"
            )
        return True

    def choices(self, kind: str) -> tuple[Localized, ...]:
        raw = self.get("choices", list, [])
        if kind == "choice" and not 2 <= len(raw) <= 8:
            raise self.fail("choices", "a choice question needs 2 to 8 choices")
        if kind != "choice" and raw:
            raise self.fail("choices", "only choice questions have choices")
        return tuple(self.localized(f"choices.{i}", c) for i, c in enumerate(raw))

    def localized(self, field_path: str, source: object) -> Localized:
        """A Jinja text in each language it is given in (see ``per_language``)."""
        given = self.per_language(field_path, source)
        return {lang: self.jinja(where, text) for lang, (where, text) in given.items()}

    def per_language(self, field_path: str, source: object) -> dict[str, tuple[str, object]]:
        """Language -> (its field path, its text) of a per-language text.

        The text is one string (English) or a mapping of languages that includes en.
        """
        if not isinstance(source, dict):
            return {"en": (field_path, source)}
        if "en" not in source:
            raise self.fail(field_path, "a text given per language needs en")
        for lang in source:
            if lang not in LANGUAGES:
                known = ", ".join(LANGUAGES)
                raise self.fail(f"{field_path}.{lang}", f"unknown language (known: {known})")
        return {lang: (f"{field_path}.{lang}", text) for lang, text in source.items()}


_LIMITS = {
    "rel": "a number from 0 to 0.5",
    "abs": "a number from 0 to 1e6",
    "sigfigs": "a whole number from 1 to 15",
}


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _valid_tolerance(key: str, value: object) -> bool:
    """Whether ``value`` is a sensible ``rel``, ``abs`` or ``sigfigs`` (see ``_LIMITS``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if key == "sigfigs":
        return isinstance(value, int) and 1 <= value <= 15
    return 0 <= value <= (0.5 if key == "rel" else 1e6)


def _tuple(types: type | tuple[type, ...]) -> tuple[type, ...]:
    return types if isinstance(types, tuple) else (types,)


def _reaches_studykit(expression: Expression, steps: dict[str, Expression]) -> bool:
    """Whether the expression, or a step it depends on, names a studykit namespace."""
    seen: set[str] = set()
    pending = set(expression.names())
    while pending:
        name = pending.pop()
        if name in STUDYKIT_NAMESPACES and name != "procedures":
            return True
        if name in steps and name not in seen:
            seen.add(name)
            pending |= steps[name].names()
    return False
