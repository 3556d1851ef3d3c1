"""The site commands: ``studykit site build``, ``studykit site serve`` and ``site-pages``.

``site build`` and ``site serve`` work from any install (`studykit.site.build`). ``site-pages``
is for contributors working on the docs in a checkout: run it before ``mkdocs build`` or
``mkdocs serve``; it writes only into git-ignored folders (``docs/quiz/`` and
``docs/generated/``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from studykit.cliargs import number_in
from studykit.questions.commands import QUESTIONS_HELP, default_questions_dir
from studykit.site.quizpages import DEFAULT_VARIANTS

__all__ = ["add_commands"]


def add_commands(sub: Any) -> None:
    """Register ``site`` (``build``, ``serve``) and ``site-pages`` on argparse subparsers."""
    _add_site(sub)
    p = sub.add_parser("site-pages", help="generate the study site's quiz pages and examples")
    p.add_argument("--docs", type=Path, default=Path("docs"), help="the MkDocs docs folder")
    _add_bank_options(p)
    p.set_defaults(handler=_site_pages)


def _add_bank_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--seeds",
        type=int,
        default=DEFAULT_VARIANTS,
        help=f"variants per question (seeds 0, 1, ...; default {DEFAULT_VARIANTS})",
    )
    p.add_argument("--questions", type=Path, help=QUESTIONS_HELP)


_port = number_in(0, 65535)


def _add_site(sub: Any) -> None:
    site = sub.add_parser("site", help="build or serve the study site (needs studykit[site])")
    actions = site.add_subparsers(
        dest="site_action", metavar="{build,serve}", parser_class=type(site), required=True
    )
    build = actions.add_parser(
        "build", help="build the static site into a folder that any file server can serve"
    )
    build.add_argument(
        "--out", type=Path, default=Path("site"), help="output folder (default: ./site)"
    )
    build.add_argument(
        "--site-url",
        help="the URL the site will be served at, e.g. https://USER.github.io/studykit/ "
        "(default: none; every link is relative)",
    )
    _add_bank_options(build)
    build.set_defaults(handler=_site_build)
    serve = actions.add_parser("serve", help="build the site and serve it on this machine")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=_port, default=8000, help="port (default: 8000)")
    _add_bank_options(serve)
    serve.set_defaults(handler=_site_serve)


def _bad_seeds(command: str, seeds: int) -> bool:
    """Say so (one line) when ``--seeds`` is out of range."""
    if 10 <= seeds <= 100:
        return False
    print(f"studykit {command}: --seeds must be from 10 to 100, got {seeds}", file=sys.stderr)
    return True


def _site_build(args: argparse.Namespace) -> int:
    from studykit.site import build

    if _bad_seeds("site build", args.seeds):
        return 2
    try:
        site_url = None if args.site_url is None else build.normalise_site_url(args.site_url)
        build.check_out_dir(args.out)
        done = build.build_site(
            args.out, site_url=site_url, questions=args.questions, seeds=args.seeds
        )
    except build.BuildError as error:
        print(f"studykit site build: {error}", file=sys.stderr)
        return error.status
    print(done.summary())
    return 0


def _site_serve(args: argparse.Namespace) -> int:
    from studykit.site import build

    if _bad_seeds("site serve", args.seeds):
        return 2
    try:
        build.serve_site(args.host, args.port, questions=args.questions, seeds=args.seeds)
    except build.BuildError as error:
        print(f"studykit site serve: {error}", file=sys.stderr)
        return error.status
    return 0


def _site_pages(args: argparse.Namespace) -> int:
    from studykit.questions.template import load_bank
    from studykit.site.examples import write_examples
    from studykit.site.quizpages import SiteError, write_quiz_pages

    if not args.docs.is_dir():
        print(f"studykit site-pages: --docs {args.docs} is not a folder", file=sys.stderr)
        return 2
    if _bad_seeds("site-pages", args.seeds):
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
        f"variants) and {len(examples)} example files (English and Korean) in {elapsed:.1f} s"
    )
    return 0
