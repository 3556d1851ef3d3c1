r"""What every export carries: a solved variant in one language (`ExportItem`).

An export is a list of items, one per (template, seed): the prompt, choices, hint, format line
and worked solution as Markdown (render them with `studykit.questions.markup.to_html`, math
as ``\(...\)`` and ``\[...\]``, the delimiters Moodle, Canvas and Anki's MathJax read), the
key with its stated precision, and each misconception's value with its feedback. `entries`
turns a numeric key into (value, half-width) pairs: the half-width is exactly what the
checker accepts (`studykit.questions.precision.accepted_error`), so an LMS grading with an
absolute tolerance agrees with ``studykit check``.

Each item records its ``ref`` (``id@seed``): `studykit.exports.items.regrade` rebuilds the
same variant from it, so a teacher can regrade or reproduce any question later.

Example:
    >>> from studykit.questions.commands import default_questions_dir
    >>> from studykit.questions.template import load_bank
    >>> bank = load_bank(default_questions_dir())
    >>> [item] = collect(bank, Selection(ids=("tensors/broadcast-shape",)), variants=1, seed=7)
    >>> item.ref, item.kind
    ('tensors/broadcast-shape@7', 'shape')

Common mistakes:
    - Grading a float key with a relative tolerance in an LMS: the stated precision is
      absolute at the key's decade (3 significant figures of 0.000992 is \(\pm 5\cdot10^{-7}\)),
      so use `entries`' half-widths, not a percentage.
    - Renumbering seeds per export: a variant is only reproducible from its own ``ref``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from studykit.questions.checking import Key, Misconception, key_rule
from studykit.questions.markup import shown_answer, solved_texts, variant_texts
from studykit.questions.precision import Precision, accepted_error
from studykit.questions.template import Bank, Template
from studykit.questions.variant import MAX_SEED, make_variant, solve
from studykit.topics import topic_ids

__all__ = [
    "ExportError",
    "ExportItem",
    "Selection",
    "collect",
    "flatten",
    "regrade",
    "select",
    "variant_seeds",
]

LANGUAGES = ("en", "ko")
MAX_VARIANTS = 1000
"""Most variants of one template in one export (a class of 500 needs 500)."""


class ExportError(ValueError):
    """An export that cannot be made; the message is one line naming the option or template."""


@dataclass(frozen=True)
class Selection:
    """Which templates an export takes: all of them narrowed by topic, difficulty and ids."""

    topics: tuple[str, ...] = ()
    difficulties: tuple[int, ...] = ()
    ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExportItem:
    """One solved variant in one language, as every export format reads it.

    Attributes:
        id: The template id (``losses/mse-value``).
        seed: The variant's seed.
        topic: The topic id.
        difficulty: 1 (easy) to 3.
        tags: The template's tags.
        lang: The language of the texts (``en`` or ``ko``; English where not translated).
        title: The template's title in ``lang``.
        kind: The key's kind: number, integer, tensor, shape, choice or expression.
        prompt: The question, Markdown, without the lettered choices.
        choices: A choice question's options (Markdown, lettered A, B, ... in this order).
        format: The line saying how to write the answer (precision included).
        hint: The hint (Markdown) or None.
        solution: The worked solution (Markdown).
        answer: The key as a student reads it (`shown_answer`).
        key: The key itself (value, precision, options).
        misconceptions: Each known wrong answer, with feedback in ``lang``.
    """

    id: str
    seed: int
    topic: str
    difficulty: int
    tags: tuple[str, ...]
    lang: str
    title: str
    kind: str
    prompt: str
    choices: tuple[str, ...]
    format: str
    hint: str | None
    solution: str
    answer: str
    key: Key
    misconceptions: tuple[Misconception, ...]

    @property
    def ref(self) -> str:
        """``id@seed``: enough to rebuild this variant (`regrade`)."""
        return f"{self.id}@{self.seed}"

    @property
    def correct_choice(self) -> int:
        """The 0-based index of the right option of a choice question."""
        if self.kind != "choice":
            raise ExportError(f"{self.ref}: not a choice question")
        return "ABCDEFGH".index(str(self.key.value))

    def entries(self, value: Any = None) -> list[tuple[float, float]]:
        """(value, half-width accepted) for each entry of a numeric key, row by row.

        ``value`` defaults to the key's value; pass a misconception's value to get its
        entries (recognised at the same precision). Shapes, integers and keys stated exactly
        (whole-number tensors) have half-width 0.
        """
        if self.kind not in ("number", "integer", "tensor", "shape"):
            raise ExportError(f"{self.ref}: a {self.kind} key has no numeric entries")
        rule = key_rule(self.key)
        numbers = flatten(self.key.value if value is None else value)
        exact = self.kind in ("integer", "shape") or (isinstance(rule, Precision) and rule.exact)
        return [(x, 0.0 if exact else accepted_error(x, rule)) for x in numbers]

    def data(self) -> dict[str, Any]:
        """The item as JSON data: a worksheet's answer key, what `regrade` needs and more."""
        return {
            "ref": self.ref,
            "id": self.id,
            "seed": self.seed,
            "lang": self.lang,
            "kind": self.kind,
            "answer": self.answer,
            "key": self.key.data(),
            "misconceptions": [
                {"name": m.name, "value": _plain(m.value), "feedback": m.feedback}
                for m in self.misconceptions
            ],
        }


def flatten(value: Any) -> list[float]:
    """The numbers of a nested list (or one number) in row-major order."""
    if isinstance(value, list | tuple):
        return [x for part in value for x in flatten(part)]
    return [float(value)]


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def select(bank: Bank, selection: Selection) -> list[Template]:
    """The templates of ``bank`` the selection names, in the bank's topic order, then by id.

    Raises:
        ExportError: An unknown topic, difficulty or id, or a selection that matches nothing.
    """
    known = set(topic_ids())
    for topic in selection.topics:
        if topic not in known:
            names = ", ".join(topic_ids())
            raise ExportError(f"--topic: unknown topic {topic!r} (one of {names})")
    for difficulty in selection.difficulties:
        if difficulty not in (1, 2, 3):
            raise ExportError(f"--difficulty: must be 1, 2 or 3, got {difficulty}")
    for template_id in selection.ids:
        if template_id not in bank.templates:
            raise ExportError(f"--ids: no template {template_id!r} in the question folder")
    order = {topic: i for i, topic in enumerate(topic_ids())}
    chosen = [
        t
        for t in bank.templates.values()
        if (not selection.topics or t.topic in selection.topics)
        and (not selection.difficulties or t.difficulty in selection.difficulties)
        and (not selection.ids or t.id in selection.ids)
    ]
    if not chosen:
        raise ExportError("the selection matches no template (check --topic, --difficulty, --ids)")
    return sorted(chosen, key=lambda t: (order.get(t.topic, len(order)), t.id))


def variant_seeds(seed: int, variants: int) -> range:
    """The seeds of an export: ``seed``, ``seed + 1``, ... (``variants`` of them).

    Raises:
        ExportError: ``variants`` outside 1 to `MAX_VARIANTS`, or seeds past `MAX_SEED`.
    """
    if not 1 <= variants <= MAX_VARIANTS:
        raise ExportError(f"--variants: must be from 1 to {MAX_VARIANTS}, got {variants}")
    if not 0 <= seed <= MAX_SEED - variants + 1:
        raise ExportError(f"--seed: must be from 0 to {MAX_SEED - variants + 1}, got {seed}")
    return range(seed, seed + variants)


def collect(
    bank: Bank, selection: Selection, variants: int = 1, seed: int = 0, lang: str = "en"
) -> list[ExportItem]:
    """Solve every selected template for each seed (template by template, seeds in order).

    Raises:
        ExportError: A bad option, or a template that fails (one line naming file and seed).
    """
    if lang not in LANGUAGES:
        raise ExportError(f"--lang: must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    seeds = variant_seeds(seed, variants)
    return [item(t, s, lang) for t in select(bank, selection) for s in seeds]


def item(template: Template, seed: int, lang: str) -> ExportItem:
    """One template's variant for ``seed``, solved, with its texts in ``lang``.

    Raises:
        ExportError: The template fails for this seed (the message names its file and seed).
    """
    from studykit.questions.commands import TEMPLATE_FAILURES

    try:
        return _item(template, seed, lang)
    except TEMPLATE_FAILURES as error:
        text = str(error).splitlines()[0] if str(error) else type(error).__name__
        where = f"{template.path} (seed {seed})"
        raise ExportError(text if where in text else f"{where}: {text}") from None


def _item(template: Template, seed: int, lang: str) -> ExportItem:
    variant = make_variant(template, seed)
    solved = solve(variant)
    texts = variant_texts(variant, lang, solved.key)
    solution, _ = solved_texts(solved, lang)
    return ExportItem(
        id=template.id,
        seed=seed,
        topic=template.topic,
        difficulty=template.difficulty,
        tags=tuple(template.tags),
        lang=texts.lang,
        title=template.title_in(texts.lang),
        kind=solved.key.kind,
        prompt=texts.prompt,
        choices=tuple(texts.choices),
        format=texts.format,
        hint=texts.hint,
        solution=solution,
        answer=shown_answer(solved.key),
        key=solved.key,
        misconceptions=solved.misconceptions_in(texts.lang),
    )


def regrade(bank: Bank, refs: Iterable[str], lang: str = "en") -> list[ExportItem]:
    """Rebuild the items named by their refs (``id@seed``), to regrade or reproduce them.

    Raises:
        ExportError: A ref that is not ``id@seed`` or names no template of ``bank``.
    """
    return [_from_ref(bank, ref, lang) for ref in refs]


def _from_ref(bank: Bank, ref: str, lang: str) -> ExportItem:
    template_id, at, seed_text = ref.rpartition("@")
    if not at or not seed_text.isdigit():
        raise ExportError(f"ref {ref!r}: expected id@seed, like losses/mse-value@3")
    template = bank.templates.get(template_id)
    if template is None:
        raise ExportError(f"ref {ref!r}: no template {template_id!r} in the question folder")
    seed = int(seed_text)
    if seed > MAX_SEED:
        raise ExportError(f"ref {ref!r}: seed past {MAX_SEED}")
    return item(template, seed, lang)


def by_topic(items: Sequence[ExportItem]) -> dict[str, list[ExportItem]]:
    """The items grouped by topic, topics in the order they first appear."""
    groups: dict[str, list[ExportItem]] = {}
    for one in items:
        groups.setdefault(one.topic, []).append(one)
    return groups
