"""``studykit export FORMAT ... -o PATH`` and ``studykit grade KEY.json ANSWERS.csv``.

Every format is one module of `studykit.exports` with a ``write(items, out, settings)``
function (`Writer`) that returns the files it wrote. The command selects the templates,
solves the variants (`studykit.exports.items.collect`), and hands them over; the writer
writes to ``out``. Exit statuses: 0 written, 2 a bad option, folder or template (one line on
stderr, and no file is left half-written).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from typing import Any

from studykit.exports.items import ExportError, Selection, collect
from studykit.exports.output import ExportSettings, Writer
from studykit.language import add_language_option
from studykit.topics import topic_ids

__all__ = ["FORMATS", "add_commands", "writer"]


FORMATS: dict[str, tuple[str, str]] = {
    "moodle": ("studykit.exports.moodle", "Moodle XML (numerical, multichoice, Cloze)"),
    "gift": ("studykit.exports.gift", "GIFT text for Moodle and other LMSs"),
    "qti": ("studykit.exports.qti", "QTI 1.2 package that Canvas imports (text2qti)"),
    "anki": ("studykit.exports.anki", "Anki deck (.apkg), a subdeck per topic (genanki)"),
    "worksheet": ("studykit.exports.worksheet", "printable HTML (+ PDF) with an answer key"),
}
"""Format name -> (module with ``write``, what it is)."""


def writer(name: str) -> Writer:
    """The ``write`` function of format ``name``.

    Raises:
        ExportError: The format's library is not installed (the extra to install is named).
    """
    module_name, _ = FORMATS[name]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if (error.name or "").startswith("studykit"):
            raise
        raise ExportError(
            f"{name}: needs {error.name}; install it with pip install 'studykit[exports]'"
        ) from None
    write: Writer = module.write
    return write


def add_commands(sub: Any) -> None:
    """Register ``export`` and ``grade`` on an argparse subparsers object."""
    from studykit.questions.commands import QUESTIONS_HELP, seed_argument

    formats = "; ".join(f"{name}: {what}" for name, (_, what) in FORMATS.items())
    p = sub.add_parser(
        "export", help="export questions for an LMS, Anki or print", description=formats
    )
    p.add_argument("format", choices=list(FORMATS), help="the export format")
    p.add_argument("-o", "--output", type=Path, required=True, help="the file to write")
    p.add_argument("--topic", action="append", default=[], help=_topics_help())
    p.add_argument(
        "--difficulty", action="append", default=[], type=int, choices=(1, 2, 3),
        help="only this difficulty (repeatable)",
    )  # fmt: skip
    p.add_argument("--ids", nargs="+", default=[], help="only these template ids")
    p.add_argument("--variants", type=int, default=1, help="variants (versions) of each question")
    p.add_argument("--seed", type=seed_argument, default=0, help="the first seed (default 0)")
    p.add_argument("--title", default=None, help="the quiz, deck or worksheet title")
    p.add_argument("--no-pdf", action="store_true", help="worksheet: write no PDF")
    p.add_argument("--questions", type=Path, default=None, help=QUESTIONS_HELP)
    add_language_option(p, "question")
    p.set_defaults(handler=_export)

    g = sub.add_parser("grade", help="grade a class's worksheet answers against its key")
    g.add_argument("key", type=Path, help="the worksheet's answer key (KEY.json)")
    g.add_argument("answers", type=Path, help="CSV: one row per student (version, answers)")
    g.add_argument("-o", "--output", type=Path, default=None, help="graded CSV (default: beside)")
    add_language_option(g, "feedback")
    g.set_defaults(handler=_grade)


def _topics_help() -> str:
    return f"only this topic (repeatable; {', '.join(topic_ids())})"


def _export(args: argparse.Namespace) -> int:
    from studykit.questions.commands import default_questions_dir
    from studykit.questions.template import load_bank

    try:
        _check_output(args.output)
        write = writer(args.format)
        root = args.questions or default_questions_dir()
        bank = load_bank(root)
        if not bank.templates and bank.errors:
            raise ExportError(bank.errors[0])
        for error in bank.errors:
            print(f"warning: skipped {error}", file=sys.stderr)
        selection = Selection(tuple(args.topic), tuple(args.difficulty), tuple(args.ids))
        items = collect(bank, selection, args.variants, args.seed, args.lang)
        settings = ExportSettings(
            lang=args.lang,
            title=args.title or _default_title(args),
            seed=args.seed,
            variants=args.variants,
            command=_command_line(args),
            pdf=not args.no_pdf,
        )
        written = write(items, args.output, settings)
    except ExportError as error:
        print(f"studykit export: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


def _default_title(args: argparse.Namespace) -> str:
    parts = ["studykit", *args.topic]
    return " · ".join(parts)


def _command_line(args: argparse.Namespace) -> str:
    """The options that make this export again (the output path and folder left out)."""
    words = ["studykit", "export", args.format]
    for topic in args.topic:
        words += ["--topic", topic]
    for difficulty in args.difficulty:
        words += ["--difficulty", str(difficulty)]
    if args.ids:
        words += ["--ids", *args.ids]
    words += ["--variants", str(args.variants), "--seed", str(args.seed), "--lang", args.lang]
    return " ".join(words)


def _check_output(path: Path) -> None:
    if path.is_dir():
        raise ExportError(f"-o {path}: is a folder; name the file to write")
    if not path.parent.is_dir():
        raise ExportError(f"-o {path}: folder {path.parent} does not exist")


def _grade(args: argparse.Namespace) -> int:
    from studykit.exports import grade

    try:
        return grade.run(args.key, args.answers, args.output, args.lang)
    except ExportError as error:
        print(f"studykit grade: {error}", file=sys.stderr)
        return 2
