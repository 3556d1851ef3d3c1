"""``studykit site-pages``: generate the site's quiz pages and worked examples.

Run it before ``mkdocs build``; it writes only into git-ignored folders (``docs/quiz/`` and
``docs/generated/``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from studykit.questions.commands import QUESTIONS_HELP, default_questions_dir
from studykit.site.quizpages import DEFAULT_VARIANTS

__all__ = ["add_commands"]


def add_commands(sub: Any) -> None:
    """Register ``site-pages`` on an argparse subparsers object."""
    p = sub.add_parser("site-pages", help="generate the study site's quiz pages and examples")
    p.add_argument("--docs", type=Path, default=Path("docs"), help="the MkDocs docs folder")
    p.add_argument(
        "--seeds",
        type=int,
        default=DEFAULT_VARIANTS,
        help=f"variants per question (seeds 0, 1, ...; default {DEFAULT_VARIANTS})",
    )
    p.add_argument("--questions", type=Path, help=QUESTIONS_HELP)
    p.set_defaults(handler=_site_pages)


def _site_pages(args: argparse.Namespace) -> int:
    from studykit.questions.template import load_bank
    from studykit.site.examples import write_examples
    from studykit.site.quizpages import SiteError, write_quiz_pages

    if not args.docs.is_dir():
        print(f"studykit site-pages: --docs {args.docs} is not a folder", file=sys.stderr)
        return 2
    if not 10 <= args.seeds <= 100:
        print(
            f"studykit site-pages: --seeds must be from 10 to 100, got {args.seeds}",
            file=sys.stderr,
        )
        return 2
    started = time.perf_counter()
    bank = load_bank(args.questions or default_questions_dir())
    if bank.errors:
        for error in bank.errors:
            print(f"studykit site-pages: broken template: {error}", file=sys.stderr)
        return 1
    try:
        pages = write_quiz_pages(bank, args.docs / "quiz", seeds=args.seeds)
    except SiteError as error:
        print(f"studykit site-pages: {error}", file=sys.stderr)
        return 1
    examples = write_examples(args.docs / "generated" / "examples")
    elapsed = time.perf_counter() - started
    print(
        f"wrote {len(pages)} quiz pages ({len(bank.templates)} questions x {args.seeds} "
        f"variants) and {len(examples)} examples in {elapsed:.1f} s"
    )
    return 0
