"""The ``studykit`` command line.

Every error a user can cause (an unknown option, a bad value) is one line on stderr and exit
status 2; nothing prints a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict

from studykit import __version__, catalog
from studykit.language import add_language_option
from studykit.questions.limits import memory_cap


class _Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose usage errors are a single line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def _concepts(args: argparse.Namespace) -> int:
    if args.topic is not None and args.topic not in catalog.topics():
        known = ", ".join(catalog.topics())
        print(
            f"studykit concepts: unknown --topic {args.topic!r} (known: {known})", file=sys.stderr
        )
        return 2
    found = catalog.find(args.topic)
    if args.json:
        print(json.dumps([asdict(c) for c in found], ensure_ascii=False, indent=2))
        return 0
    for concept in found:
        print(_concept_text(concept, args.lang))
    return 0


def _concept_text(concept: catalog.Concept, lang: str) -> str:
    """One concept as ``concepts`` prints it: three lines, the names in ``lang`` first."""
    if lang == "ko":
        names, mirrors = f"{concept.korean} ({concept.title})", "PyTorch 대응:"
    else:
        names, mirrors = f"{concept.title} ({concept.korean})", "mirrors"
    return "\n".join(
        [
            f"{concept.topic:<12} {names}",
            f"{'':<12} {concept.module}: {', '.join(concept.names)}",
            f"{'':<12} {mirrors} {concept.torch_counterpart}",
        ]
    )


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand."""
    parser = _Parser(prog="studykit", description="Learn deep-learning basics by doing.")
    parser.add_argument("--version", action="version", version=f"studykit {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    concepts = sub.add_parser("concepts", help="list the concepts studykit implements")
    concepts.add_argument("--topic", help="only this topic (e.g. losses)")
    concepts.add_argument("--json", action="store_true", help="machine-readable output")
    add_language_option(concepts, "text")
    concepts.set_defaults(handler=_concepts)
    from studykit.drills import commands as drill_commands
    from studykit.exports import commands as export_commands
    from studykit.labs import commands as lab_commands
    from studykit.questions import commands as question_commands
    from studykit.quiz import commands as quiz_commands
    from studykit.site import commands as site_commands

    quiz_commands.add_commands(sub)
    question_commands.add_commands(sub)
    site_commands.add_commands(sub)
    drill_commands.add_commands(sub)
    lab_commands.add_commands(sub)
    export_commands.add_commands(sub)
    return parser


def _takes_dash_value(item: str) -> bool:
    """``--answer`` (or an abbreviation argparse accepts): its value may begin with ``-``."""
    return len(item) >= len("--an") and "--answer".startswith(item)


def join_dash_values(argv: Sequence[str]) -> list[str]:
    """Join ``--answer VALUE`` into ``--answer=VALUE`` when VALUE begins with one ``-``.

    argparse reads ``--answer -x+1`` or ``--answer -.5`` as two options; an answer may well
    begin with a minus sign. A value beginning with ``--`` is left alone (``--answer --json``
    is a forgotten answer, and argparse says so); nothing after ``--`` is touched.
    """
    joined: list[str] = []
    items = iter(argv)
    for item in items:
        if item == "--":
            joined += [item, *items]
            break
        value = next(items, None) if _takes_dash_value(item) else None
        if value is None:
            joined.append(item)
        elif value.startswith("-") and not value.startswith("--"):
            joined.append(f"{item}={value}")
        else:
            joined += [item, value]
    return joined


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(join_dash_values(sys.argv[1:] if argv is None else argv))
    if args.command is None:
        parser.print_help()
        return 0
    try:
        with memory_cap():  # a template that asks for gigabytes fails at once, not slowly
            return int(args.handler(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
