"""One quiz or review session in the terminal: ask, read, judge, explain, record.

The first prompt is shown before torch is imported (drawing parameters and rendering the prompt
need no torch); right after it, a background thread starts importing the reference
implementations so that the key is usually ready by the time the answer is typed. The key is
still computed by the reference implementation before anything is judged.

Every answer is written to the progress database the moment it is judged, so quitting,
Ctrl-C or the end of the input loses nothing that was already answered.

Hostile input and broken templates never end a session: a line longer than ``MAX_LINE``
characters is refused (read in bounded pieces, never echoed) and the question asked again; a
question whose template fails at run time (a text that does not render, a step that raises) is
skipped with a one-line warning naming its file and seed, and nothing is recorded for it.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from studykit.questions.answer_messages import AnswerError
from studykit.questions.checking import check
from studykit.questions.commands import TEMPLATE_FAILURES, template_failure
from studykit.questions.markup import RICH_THEME, shown_answer, template_format_line, to_rich
from studykit.questions.render import render_text
from studykit.questions.template import Summary, load_template
from studykit.questions.variant import Solved, Variant, make_variant, solve
from studykit.quiz import schedule
from studykit.quiz.store import AnswerRecord, Store, now
from studykit.quiz.words import COMMAND_ALIASES, words

__all__ = [
    "MAX_LINE",
    "InputEndedError",
    "LineTooLongError",
    "Planned",
    "Result",
    "SessionUI",
    "plan_quiz",
    "run_session",
]

MAX_LINE = 2000  # characters in one line of input (an answer is at most 2,000 characters)
MAX_WIDTH = 100  # columns of the question and solution panels in a wide terminal (readable lines)


class InputEndedError(Exception):
    """The input ended before the session did; answers so far are saved."""


class LineTooLongError(Exception):
    """A line of input longer than ``MAX_LINE`` characters (read and thrown away, not echoed)."""


@dataclass(frozen=True)
class Planned:
    """A concept to ask about, and the seed of the variant to ask."""

    summary: Summary
    seed: int


@dataclass
class Result:
    """What happened in a session."""

    session_id: int
    answers: list[AnswerRecord] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    input_ended: bool = False
    quit: bool = False
    skipped_templates: list[str] = field(default_factory=list)


def plan_quiz(
    summaries: list[Summary], count: int, rng: random.Random, mix_topics: bool = True
) -> list[Planned]:
    """Choose ``count`` concepts (mixing topics round-robin) and a fresh seed for each."""
    by_topic: dict[str, list[Summary]] = {}
    for summary in summaries:
        by_topic.setdefault(summary.topic, []).append(summary)
    pools = [list(v) for _, v in sorted(by_topic.items())] if mix_topics else [list(summaries)]
    for pool in pools:
        rng.shuffle(pool)
    rng.shuffle(pools)
    order: list[Summary] = []
    while len(order) < count:
        for pool in pools:
            order.append(pool[len(order) // len(pools) % len(pool)])
    order = order[:count]
    # The first prompt must not need the key (so it shows before torch is imported).
    easy = next((i for i, s in enumerate(order) if not s.prompt_needs_key), 0)
    order.insert(0, order.pop(easy))
    return [Planned(s, rng.randrange(1_000_000)) for s in order]


class _Preloader:
    """Imports the reference implementations (and torch) in a background thread."""

    def __init__(self) -> None:
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        if self.thread is None:
            self.thread = threading.Thread(target=self._load, name="studykit-preload", daemon=True)
            self.thread.start()

    @staticmethod
    def _load() -> None:
        # A failure here is not lost: the main thread imports again and reports it.
        with contextlib.suppress(Exception):
            import studykit.questions.compute  # noqa: F401  (imports torch and studykit)

    def join(self) -> None:
        """Wait for the import to finish, so the interpreter never exits in the middle of it."""
        if self.thread is not None:
            self.thread.join()


class SessionUI:
    """Terminal input and output (rich for display; plain lines for input, so IMEs work).

    Question texts are Markdown (`studykit.questions.markup`): shown rendered, reflowed to the
    terminal's width (at most ``MAX_WIDTH`` columns), code blocks and lists kept as they are.
    """

    def __init__(self, stdin: TextIO, stdout: TextIO, interactive: bool, lang: str = "en") -> None:
        self.stdin = stdin
        self.interactive = interactive
        self.prompt = words(lang)["prompt"]  # "answer> ", or "답> " in Korean
        self.console = Console(file=stdout, highlight=False, theme=RICH_THEME)
        self.on_prompt: Callable[[], None] | None = None  # test hook: called after each prompt

    @property
    def width(self) -> int:
        """The width of the panels: the terminal's, up to ``MAX_WIDTH``."""
        return min(self.console.width, MAX_WIDTH)

    def question(self, number: int, total: int, variant: Variant, lang: str) -> None:
        """Show the header (progress, topic, difficulty), the prompt and choices, the format.

        The format line says how to write the answer ("Give the answer to 3 significant
        figures."); it needs no key, so the first prompt still shows before torch loads.
        """
        template = variant.template
        stars = "★" * template.difficulty + "☆" * (3 - template.difficulty)
        header = f"{number}/{total} · {template.topic} · {stars} · {template.title_in(lang)}"
        shown = variant.language(lang)
        prompt = render_text(template.texts[shown].prompt, variant.params, variant.where)
        parts: list[RenderableType] = [to_rich(prompt)]
        choices = variant.choices(lang) if template.choices or template.auto_choices else []
        if choices:
            grid = Table.grid(padding=(0, 1))
            grid.add_column(style="bold", no_wrap=True)
            grid.add_column()
            for letter, choice in zip("ABCDEFGH", choices, strict=False):
                grid.add_row(f"{letter}.", to_rich(choice, inline=True))
            parts += [Text(), grid]
        format_line = template_format_line(template, shown, choices)
        parts += [Text(), to_rich(format_line, inline=True, style="dim")]
        self.console.print()
        self.console.print(Panel(Group(*parts), title=header, title_align="left", width=self.width))
        if self.on_prompt is not None:
            self.on_prompt()

    def read(self) -> str | None:
        """One line of input, or ``None`` at the end of the input.

        Raises:
            LineTooLongError: The line was longer than ``MAX_LINE`` characters; it was read
                (in pieces, so memory stays bounded) and thrown away.
        """
        if self.interactive:
            try:
                line = input(self.prompt)
            except EOFError:
                return None
            if len(line) > MAX_LINE:
                raise LineTooLongError
            return line
        self.console.print(self.prompt, end="")
        line = self.stdin.readline(MAX_LINE + 1)
        if not line:
            return None
        if len(line) > MAX_LINE and not line.endswith("\n"):
            self._discard_rest_of_line()
            self.console.print()
            raise LineTooLongError
        text = line.removesuffix("\n")
        self.console.print(text)
        return text

    def _discard_rest_of_line(self) -> None:
        while True:
            piece = self.stdin.readline(65536)
            if not piece or piece.endswith("\n"):
                return

    def say(self, message: str, style: str = "") -> None:
        """Print one message (never interpreted as rich markup)."""
        self.console.print(Text(message, style=style))

    def text(self, markdown: str, style: str = "", indent: int = 0) -> None:
        """Print a question text (a hint, feedback): Markdown, reflowed to the panels' width."""
        body = to_rich(markdown, style=style or "none")
        self.console.print(Padding(body, (0, 0, 0, indent)), width=self.width)

    def solution(self, solved: Solved, lang: str) -> None:
        """Show the worked solution in a panel."""
        title = words(lang)["solution_title"]
        body = to_rich(solved.solution(lang))
        self.console.print(Panel(body, title=title, title_align="left", width=self.width))


def run_session(
    planned: list[Planned],
    store: Store,
    ui: SessionUI,
    session_id: int,
    lang: str,
    warn: Callable[[str], None],
) -> Result:
    """Ask every planned question; record each answer; return what happened."""
    result = Result(session_id)
    preloader = _Preloader()
    started = time.monotonic()
    try:
        for plan in planned:
            number = len(result.answers) + 1
            try:
                record = _ask_planned(plan, number, len(planned), ui, lang, preloader)
            except TEMPLATE_FAILURES as error:  # a template bug: skip the question, loudly
                where = template_failure(plan.summary.path, plan.seed, error)
                warn(f"skipped a broken question: {where}")
                result.skipped_templates.append(plan.summary.id)
                continue
            if record is None:
                result.quit = True
                break
            _save(store, session_id, record, warn)
            result.answers.append(record)
    except KeyboardInterrupt:
        result.interrupted = True
    except InputEndedError:
        result.input_ended = True
    finally:
        result.seconds = time.monotonic() - started
        preloader.join()
    return result


def _ask_planned(
    plan: Planned, number: int, total: int, ui: SessionUI, lang: str, preloader: _Preloader
) -> AnswerRecord | None:
    """Load the template in full, draw the variant, show it and read the answer."""
    variant = make_variant(load_template(plan.summary.path), plan.seed)
    ui.question(number, total, variant, lang)
    preloader.start()
    return _ask(variant, ui, lang)


def _ask(variant: Variant, ui: SessionUI, lang: str) -> AnswerRecord | None:
    """Read answers until one is judged (or skipped); ``None`` means the student quit."""
    started = time.monotonic()
    hinted = False
    solved: Solved | None = None
    say = words(lang)
    while True:
        try:
            text = ui.read()
        except LineTooLongError:
            ui.say(say["too_long"].format(limit=MAX_LINE, commands=say["commands"]), "red")
            continue
        if text is None:
            raise InputEndedError
        command = text.strip().lower()
        command = COMMAND_ALIASES.get(command, command)
        if not command:
            ui.say(say["commands"], "dim")
            continue
        if command in ("quit", "exit", "q"):
            return None
        if command == "hint":
            hint = variant.hint(lang)
            if hint:
                ui.text(hint, "yellow")
            else:
                ui.say(say["no_hint"], "yellow")
            hinted = True
            continue
        solved = solved or solve(variant)
        if command in ("skip", "solution"):
            ui.say(say["the_answer"].format(answer=_shown(solved)), "bold")
            ui.solution(solved, lang)
            return _record(variant, None, False, command == "skip", hinted, None, started)
        try:
            verdict = check(text, solved.key, solved.misconceptions_in(lang), lang=lang)
        except AnswerError as error:
            ui.say(say["not_understood"].format(error=error, commands=say["commands"]), "red")
            continue
        seconds = time.monotonic() - started
        if verdict.correct:
            ui.say(say["correct"].format(seconds=seconds), "bold green")
        else:
            message = verdict.message.rstrip(".")  # the line ends with its own full stop
            detail = "" if message == "incorrect" else f": {message}"
            ui.say(say["not_quite"].format(detail=detail), "bold red")
            if verdict.feedback:
                ui.text(verdict.feedback, "yellow", indent=2)
            ui.say(say["the_answer"].format(answer=_shown(solved)), "bold")
            ui.solution(solved, lang)
        return _record(
            variant, text, verdict.correct, False, hinted, verdict.misconception, started
        )


def _record(
    variant: Variant,
    given: str | None,
    correct: bool,
    skipped: bool,
    hinted: bool,
    misconception: str | None,
    started: float,
) -> AnswerRecord:
    template = variant.template
    return AnswerRecord(
        template_id=template.id,
        seed=variant.seed,
        topic=template.topic,
        difficulty=template.difficulty,
        given=given,
        correct=correct,
        skipped=skipped,
        hinted=hinted,
        misconception=misconception,
        seconds=time.monotonic() - started,
    )


def _save(store: Store, session_id: int, record: AnswerRecord, warn: Callable[[str], None]) -> None:
    rating = schedule.rating_for(record.correct, record.hinted, record.seconds)
    moment = now()
    try:
        card, due = schedule.review(store.card(record.template_id), rating, moment)
    except (ValueError, TypeError, KeyError, AttributeError):  # a damaged card: start afresh
        warn(f"{store.path}: the review card of {record.template_id} was damaged; started anew")
        card, due = schedule.review(None, rating, moment)
    store.record(session_id, record, card, due)


def _shown(solved: Solved) -> str:
    """The key rounded for reading; a tensor of rows on lines of its own, aligned."""
    answer = shown_answer(solved.key)
    return "\n" + answer if "\n" in answer else answer
