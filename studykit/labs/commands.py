"""``studykit lab list | run``: run the notes' experiments and watch them.

``studykit lab run NAME [--seed N] [--epochs N] [--lr X] [--device cpu|cuda|mps] [--plot FILE]
[--json]`` shows a progress bar on stderr (when stderr is a terminal and ``--json`` is not
given), then a results table. ``--plot FILE`` writes the lab's figures: one figure to FILE,
several to FILE with the figure's name before the suffix (``out.svg`` → ``out-mean-images.svg``,
``out-training.svg``); ``.svg`` and ``.png`` are understood. ``--lang ko`` writes the table
and the figures' words in Korean (에포크, 검증 정확도). ``--json`` prints
``{name, options, rows: [{what, value, note}], curves, facts, plots: [paths]}``.

For tests and quick looks, the hidden option ``--size X`` (0 < X ≤ 1) runs a lab on that share
of its data (`studykit.labs.base.LabOptions.size`).

Exit statuses: 0 done; 2 a usage problem (an unknown lab, a bad option, a device that is not
available, the ``labs`` extra missing, a ``--plot`` path that cannot be written), always one
line on stderr and never a traceback; 130 Ctrl-C.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studykit.cliargs import number_in
from studykit.language import add_language_option

if TYPE_CHECKING:
    from studykit.labs.base import Lab, LabOptions, LabResult

__all__ = ["add_commands", "plot_paths"]

DEVICES = ("cpu", "cuda", "mps")
PLOT_SUFFIXES = (".svg", ".png")
EXTRA_HINT = "pip install 'studykit[labs]'"


class LabUsageError(Exception):
    """A misuse (exit 2), with a one-line message."""


def add_commands(sub: Any) -> None:
    """Register ``lab`` and its subcommands on an argparse subparsers object."""
    lab = sub.add_parser("lab", help="run the notes' experiments (3s and 7s, ...) and plot them")
    verbs = lab.add_subparsers(dest="verb", parser_class=type(lab))
    lab.set_defaults(handler=_run(_help(lab)))

    p = verbs.add_parser("list", help="the labs")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    add_language_option(p, "text")
    p.set_defaults(handler=_run(_list))

    p = verbs.add_parser("run", help="run a lab: a progress bar, then the results table")
    p.add_argument("name", help="the lab (see `studykit lab list`)")
    p.add_argument("--seed", type=number_in(0, 2**32 - 1), default=0, help="seed (default 0)")
    p.add_argument(
        "--epochs", type=number_in(1, 1000), help="epochs (default: the lab's own, the notes')"
    )
    p.add_argument(
        "--lr",
        type=number_in(1e-6, 100.0, whole=False),
        help="learning rate (default: the lab's own, the notes')",
    )
    p.add_argument("--device", choices=DEVICES, default="cpu", help="where to run (default cpu)")
    p.add_argument("--plot", type=Path, metavar="FILE", help="write the lab's figures (.svg/.png)")
    p.add_argument("--json", action="store_true", help="the results as JSON on stdout")
    p.add_argument(
        "--size", type=number_in(0.01, 1.0, whole=False), default=1.0, help=argparse.SUPPRESS
    )
    add_language_option(p, "table and figure")
    p.set_defaults(handler=_run(_run_lab))


def _help(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    def show(args: argparse.Namespace) -> int:
        parser.print_help()
        return 0

    return show


def _run(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def wrapped(args: argparse.Namespace) -> int:
        try:
            return int(handler(args))
        except LabUsageError as error:
            verb = getattr(args, "verb", None)
            print(f"studykit lab {verb}: {error}", file=sys.stderr)
            return 2

    return wrapped


def _labs() -> dict[str, Lab]:
    from studykit.labs import labs

    return labs()


# --- list ----------------------------------------------------------------------------------------


def _list(args: argparse.Namespace) -> int:
    labs = _labs()
    if args.json:
        listed = [
            {
                "name": lab.name,
                "topic": lab.topic,
                "title": lab.title,
                "summary": lab.summary,
                "defaults": lab.defaults,
            }
            for lab in labs.values()
        ]
        print(json.dumps(listed, ensure_ascii=False, indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    table.add_column("lab" if args.lang == "en" else "실습")
    table.add_column("topic" if args.lang == "en" else "주제")
    table.add_column("what it shows" if args.lang == "en" else "내용")
    for lab in labs.values():
        table.add_row(lab.name, lab.topic, f"{lab.title[args.lang]}\n{lab.summary[args.lang]}")
    Console(highlight=False).print(table)
    return 0


# --- run -----------------------------------------------------------------------------------------


def _find(name: str) -> Lab:
    labs = _labs()
    if name in labs:
        return labs[name]
    raise LabUsageError(f"unknown lab {name!r} (known: {', '.join(labs)})")


def _check_extra(plotting: bool) -> None:
    needed = ["sklearn"] + (["matplotlib"] if plotting else [])
    missing = [name for name in needed if importlib.util.find_spec(name) is None]
    if missing:
        raise LabUsageError(f"the labs need {', '.join(missing)}: {EXTRA_HINT}")


def _check_device(device: str) -> None:
    import torch

    available = {
        "cpu": True,
        "cuda": torch.cuda.is_available(),
        "mps": torch.backends.mps.is_available(),
    }
    if not available[device]:
        usable = ", ".join(name for name, ok in available.items() if ok)
        raise LabUsageError(f"device {device!r} is not available here (available: {usable})")


def plot_paths(target: Path, names: list[str]) -> dict[str, Path]:
    """Where ``--plot target`` writes each figure (one: ``target``; several: ``target-NAME``).

    With several figures each name goes before the suffix: ``out.svg`` → ``out-mean-images.svg``.

    >>> plot_paths(Path("out.svg"), ["mean-images", "training"])["training"].name
    'out-training.svg'
    """
    if len(names) == 1:
        return {names[0]: target}
    return {name: target.with_name(f"{target.stem}-{name}{target.suffix}") for name in names}


def _check_plot_target(target: Path) -> None:
    """Refuse, before the lab runs, a ``--plot`` path that cannot be written."""
    if target.suffix.lower() not in PLOT_SUFFIXES:
        raise LabUsageError(f"--plot {target}: the file must end in {' or '.join(PLOT_SUFFIXES)}")
    if target.is_dir():
        raise LabUsageError(
            f"--plot {target} is a folder; give a file name such as {target}/lab.svg"
        )
    folder = target.parent
    existing = next((p for p in (folder, *folder.parents) if p.exists()), Path("."))
    if not existing.is_dir():
        raise LabUsageError(f"--plot {target}: {existing} is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise LabUsageError(f"--plot {target}: cannot write in {existing}")


def _options(args: argparse.Namespace) -> LabOptions:
    from studykit.labs.base import LabOptions

    return LabOptions(
        seed=int(args.seed),
        epochs=None if args.epochs is None else int(args.epochs),
        lr=args.lr,
        device=args.device,
        size=float(args.size),
    )


@contextmanager
def _progress(shown: bool) -> Iterator[Any]:
    """A rich progress bar on stderr, or a silent one."""
    from studykit.labs.base import SilentProgress

    if not shown:
        yield SilentProgress()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=sys.stderr),
        transient=False,
    )

    class _Bars:
        def task(self, description: str, total: int) -> Callable[[int], None]:
            task_id = bar.add_task(description, total=total)
            return lambda steps: bar.advance(task_id, steps)

    with bar:
        yield _Bars()


def _write_plots(result: LabResult, target: Path, language: str) -> list[Path]:
    """Draw every figure of ``result`` with its words in ``language`` and save it."""
    from studykit.plots.style import save

    written = []
    for name, path in plot_paths(target, list(result.figures)).items():
        try:
            save(result.figures[name](language=language), path)
        except OSError as error:
            raise LabUsageError(f"cannot write {path}: {error.strerror or error}") from None
        written.append(path)
    return written


def _run_lab(args: argparse.Namespace) -> int:
    lab = _find(args.name)
    _check_extra(plotting=args.plot is not None)
    _check_device(args.device)
    if args.plot is not None:
        _check_plot_target(args.plot)
    options = _options(args)
    with _progress(shown=not args.json and sys.stderr.isatty()) as progress:
        result = lab.run(options, progress)
    plots = _write_plots(result, args.plot, args.lang) if args.plot is not None else []
    if args.json:
        print(
            json.dumps(
                _as_json(lab, options, result, plots, args.lang), ensure_ascii=False, indent=2
            )
        )
        return 0
    _print_table(lab, result, args.lang)
    for path in plots:
        print(f"그림을 저장했습니다: {path}" if args.lang == "ko" else f"wrote {path}")
    return 0


def _as_json(
    lab: Lab, options: LabOptions, result: LabResult, plots: list[Path], lang: str
) -> dict[str, Any]:
    return {
        "name": lab.name,
        "options": {
            "seed": options.seed,
            "epochs": options.epochs if options.epochs is not None else lab.defaults.get("epochs"),
            "lr": options.lr if options.lr is not None else lab.defaults.get("lr"),
            "device": options.device,
            "size": options.size,
        },
        "rows": [
            {"what": row.what[lang], "value": row.value, "note": row.note.get(lang, "")}
            for row in result.rows
        ],
        "curves": result.curves,
        "facts": result.facts,
        "plots": [str(path) for path in plots],
    }


def _shown(value: float | int | str) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def _print_table(lab: Lab, result: LabResult, lang: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=lab.title[lang], header_style="bold")
    table.add_column("what" if lang == "en" else "항목")
    table.add_column("value" if lang == "en" else "값", justify="right")
    table.add_column("note" if lang == "en" else "비고")
    for row in result.rows:
        table.add_row(row.what[lang], _shown(row.value), row.note.get(lang, ""))
    Console(highlight=False).print(table)
