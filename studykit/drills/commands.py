"""``studykit drill list | start | check | verify``: write each concept yourself, get it checked.

Exit statuses of ``drill check``: 0 passed, 1 failed (a wrong value, a crash, a time-out, not
started yet), 2 cannot run (a syntax or import error, no function of the drill's name, a
forbidden torch call, a missing file, a bad option), each with a one-line message.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studykit.cliargs import bundled_folder, number_in
from studykit.language import add_language_option
from studykit.topics import topic_ids

if TYPE_CHECKING:
    from studykit.drills.spec import Drill
    from studykit.quiz.store import Store

__all__ = ["DRILLS_HELP", "add_commands", "default_drills_dir"]

DRILLS_HELP = "drill folder (default: $STUDYKIT_DRILLS, else the bundled drills)"
WORKSPACE = Path("studykit-drills")
MAX_SOURCE = 200_000
EXIT_STATUSES = "exit status: 0 passed, 1 failed, 2 cannot run (one line says why)"


class DrillUsageError(Exception):
    """A misuse (exit 2), with a one-line message."""


def default_drills_dir() -> Path:
    """``$STUDYKIT_DRILLS``, the copy inside an installed wheel, or the checkout's ``drills/``."""
    return bundled_folder("STUDYKIT_DRILLS", "drillbank", "drills")


def add_commands(sub: Any) -> None:
    """Register ``drill`` and its subcommands on an argparse subparsers object."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--drills", type=Path, help=DRILLS_HELP)
    common.add_argument("--db", type=Path, help="progress database (default: user data dir)")
    add_language_option(common, "text")

    drill = sub.add_parser("drill", help="write a concept's code yourself; studykit checks it")
    verbs = drill.add_subparsers(dest="verb", parser_class=type(drill))
    drill.set_defaults(handler=_run(_help(drill)))

    p = verbs.add_parser("list", parents=[common], help="the drills, by topic")
    p.add_argument("--topic", help=f"only this topic ({', '.join(topic_ids())})")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_run(_list))

    p = verbs.add_parser("start", parents=[common], help="write a drill's stub file to edit")
    p.add_argument("id", help="the drill (see `studykit drill list`)")
    p.add_argument("--dir", type=Path, default=WORKSPACE, help=f"workspace (default ./{WORKSPACE})")
    p.set_defaults(handler=_run(_start))

    p = verbs.add_parser(
        "check", parents=[common], help="check your function against torch", epilog=EXIT_STATUSES
    )
    p.add_argument("id", help="the drill")
    p.add_argument("--file", type=Path, help="your file (default: the workspace's ID.py)")
    p.add_argument("--dir", type=Path, default=WORKSPACE, help=f"workspace (default ./{WORKSPACE})")
    p.add_argument("--json", action="store_true", help="the result as JSON on stdout")
    p.add_argument("--watch", action="store_true", help="check again every time the file is saved")
    p.add_argument(
        "--time-limit",
        type=number_in(0.1, 60, whole=False, unit="seconds"),
        default=2.0,
        help="seconds one call may take (default 2)",
    )
    p.set_defaults(handler=_run(_check))

    p = verbs.add_parser("verify", parents=[common], help="prove every drill (for authors, CI)")
    p.add_argument("ids", nargs="*", help="only these drills")
    p.set_defaults(handler=_run(_verify))


def _help(parser: argparse.ArgumentParser) -> Any:
    def show(args: argparse.Namespace) -> int:
        parser.print_help()
        return 0

    return show


def _run(handler: Any) -> Any:
    def wrapped(args: argparse.Namespace) -> int:
        from studykit.drills.spec import DrillError
        from studykit.quiz.store import StoreError

        try:
            return int(handler(args))
        except (DrillUsageError, DrillError, StoreError) as error:
            verb = getattr(args, "verb", None)
            print(f"studykit drill {verb}: {error}", file=sys.stderr)
            return 2

    return wrapped


# --- finding drills ----------------------------------------------------------------------------


def _drills(args: argparse.Namespace) -> list[Drill]:
    from studykit.drills.spec import scan_drills

    root = args.drills or default_drills_dir()
    if not root.is_dir():
        raise DrillUsageError(f"no drill folder at {root} (--drills or STUDYKIT_DRILLS)")
    drills, errors = scan_drills(root)
    for error in errors:
        print(f"warning: skipped {error}", file=sys.stderr)
    return drills


def _find(args: argparse.Namespace) -> Drill:
    drills = _drills(args)
    for drill in drills:
        if drill.id == args.id:
            return drill
    near = [d.id for d in drills if args.id in d.id or d.id in args.id][:5]
    hint = f" (did you mean {', '.join(near)}?)" if near else " (see `studykit drill list`)"
    raise DrillUsageError(f"unknown drill {args.id!r}{hint}")


def _store(args: argparse.Namespace, read_only_ok: bool = False) -> Store:
    from studykit.quiz.store import Store, default_db_path

    path = args.db or default_db_path()
    return Store(
        path, warn=lambda m: print(f"warning: {m}", file=sys.stderr), read_only_ok=read_only_ok
    )


# --- list ----------------------------------------------------------------------------------------


def _list(args: argparse.Namespace) -> int:
    if args.topic is not None and args.topic not in topic_ids():
        raise DrillUsageError(f"unknown --topic {args.topic!r} (known: {', '.join(topic_ids())})")
    drills = [d for d in _drills(args) if args.topic in (None, d.topic)]
    done = _progress_or_empty(args)
    if args.json:
        print(json.dumps([_summary(d, done) for d in drills], ensure_ascii=False, indent=2))
        return 0
    for drill in drills:
        mark = _mark(done.get(drill.id))
        title = drill.title[args.lang]
        print(f"{mark} {drill.id:<28} {drill.topic:<16} {'★' * drill.difficulty:<3} {title}")
    return 0


def _progress_or_empty(args: argparse.Namespace) -> dict[str, Any]:
    from studykit.drills.progress import progress
    from studykit.quiz.store import StoreError, default_db_path

    path = args.db or default_db_path()
    if not path.exists():
        return {}
    try:
        store = _store(args, read_only_ok=True)
    except StoreError:
        return {}
    try:
        return dict(progress(store))
    finally:
        store.close()


def _mark(done: Any) -> str:
    if done is None:
        return " "
    return "✓" if done.passed else "·"


def _summary(drill: Drill, done: dict[str, Any]) -> dict[str, Any]:
    from studykit.drills.spec import shown_forbidden

    state = done.get(drill.id)
    return {
        "id": drill.id,
        "topic": drill.topic,
        "difficulty": drill.difficulty,
        "title": drill.title,
        "function": drill.function,
        "signature": drill.signature,
        "forbidden": list(drill.forbidden),
        "forbidden_shown": shown_forbidden(drill),
        "cases": len(drill.cases),
        "passed": bool(state and state.passed),
        "checks": state.checks if state else 0,
    }


# --- start ---------------------------------------------------------------------------------------


def _check_command(drill: Drill, path: Path) -> str:
    default = WORKSPACE / f"{drill.id}.py"
    suffix = "" if path == default else f" --file {path}"
    return f"studykit drill check {drill.id}{suffix}"


def _start(args: argparse.Namespace) -> int:
    from studykit.drills.progress import due_drills, record_start
    from studykit.drills.stub import render_stub
    from studykit.quiz.store import now

    drill = _find(args)
    path = args.dir / f"{drill.id}.py"
    store = _store(args)
    try:
        due = drill.id in {d for d, _ in due_drills(store, now())}
        moved = None
        if path.exists() or path.is_symlink():
            if not due:
                print(_kept(args.lang, path, _check_command(drill, path)))
                return 0
            moved = _move_attempt(path)
        _write_new(path, render_stub(drill, _check_command(drill, path), args.lang))
        record_start(store, drill.id, drill.topic)
    finally:
        store.close()
    print(_started(args.lang, path, moved, _check_command(drill, path)))
    return 0


def _write_new(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as handle:  # "x": never over a file that exists
            handle.write(text)
    except FileExistsError:
        raise DrillUsageError(f"{path} appeared while writing; nothing was overwritten") from None
    except OSError as error:
        raise DrillUsageError(f"cannot write {path}: {error.strerror}") from None


def _move_attempt(path: Path) -> Path:
    number = 1
    while (target := path.with_name(f"{path.stem}.attempt-{number}{path.suffix}")).exists():
        number += 1
    try:
        path.rename(target)
    except OSError as error:
        raise DrillUsageError(f"cannot move {path} aside: {error.strerror}") from None
    return target


def _kept(lang: str, path: Path, command: str) -> str:
    if lang == "ko":
        return f"{path} 파일이 이미 있어 그대로 둡니다(덮어쓰지 않습니다). 검사: {command}"
    return f"{path} already exists; kept as it is (never overwritten). Check it: {command}"


def _started(lang: str, path: Path, moved: Path | None, command: str) -> str:
    if lang == "ko":
        before = f"복습할 때가 되어 지난 시도는 {moved}(으)로 옮겼습니다.\n" if moved else ""
        return (
            f"{before}{path}에 새 파일을 만들었습니다. 함수를 작성한 뒤 검사하십시오:\n  {command}"
        )
    before = f"Due for review: your last attempt was moved to {moved}.\n" if moved else ""
    return f"{before}Wrote {path}. Write the function, then check it:\n  {command}"


# --- check ---------------------------------------------------------------------------------------


def _read_source(path: Path, drill: Drill, lang: str) -> str:
    if not path.exists():
        start = f"studykit drill start {drill.id}"
        raise DrillUsageError(f"no file {path}; write one with `{start}` (or give --file)")
    if not path.is_file():
        raise DrillUsageError(f"{path} is not a file")
    try:
        raw = path.read_bytes()[: MAX_SOURCE + 1]
    except OSError as error:
        raise DrillUsageError(f"cannot read {path}: {error.strerror}") from None
    if len(raw) > MAX_SOURCE:
        raise DrillUsageError(f"{path} is larger than {MAX_SOURCE} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DrillUsageError(f"{path} is not UTF-8 text (byte {error.start})") from None


def _check(args: argparse.Namespace) -> int:
    from studykit.drills.sandbox import Sandbox, SandboxError

    drill = _find(args)
    path: Path = args.file or args.dir / f"{drill.id}.py"
    job = {**drill.to_job(), "call_seconds": args.time_limit}
    try:
        with Sandbox() as sandbox:
            if args.watch:
                return _watch(args, drill, path, job, sandbox)
            return _check_once(args, drill, path, job, sandbox)
    except SandboxError as error:
        raise DrillUsageError(str(error)) from None


def _check_once(
    args: argparse.Namespace, drill: Drill, path: Path, job: dict[str, Any], sandbox: Any
) -> int:
    from studykit.drills.report import json_result, render

    source = _read_source(path, drill, args.lang)
    started = time.monotonic()
    result = sandbox.check(job, source, str(path))
    result["seconds"] = round(time.monotonic() - started, 3)
    _save(args, drill, result)
    if args.json:
        print(json.dumps(json_result(result, args.lang), ensure_ascii=False, indent=2))
    else:
        print(render(result, args.lang, len(drill.cases)))
    return int(result["exit"])


def _save(args: argparse.Namespace, drill: Drill, result: dict[str, Any]) -> None:
    """Record the check; a database problem is a warning (the verdict is still printed)."""
    from studykit.drills.progress import record_check
    from studykit.quiz.store import StoreError

    try:
        store = _store(args)
    except StoreError as error:
        print(f"warning: progress not saved: {error}", file=sys.stderr)
        return
    try:
        record_check(store, drill.id, drill.topic, result)
    except StoreError as error:
        print(f"warning: progress not saved: {error}", file=sys.stderr)
    finally:
        store.close()


def _watch(
    args: argparse.Namespace, drill: Drill, path: Path, job: dict[str, Any], sandbox: Any
) -> int:
    from watchfiles import watch

    status = _check_or_say(args, drill, path, job, sandbox)
    target = path.resolve()
    folder = target.parent
    if not folder.is_dir():
        raise DrillUsageError(f"no folder {folder} to watch")
    waiting = (
        "저장할 때마다 다시 검사합니다(Ctrl-C로 끝내기)"
        if args.lang == "ko"
        else ("Checking again on every save (Ctrl-C to stop)")
    )
    print(f"\n{waiting}: {path}", file=sys.stderr, flush=True)
    for changes in watch(folder, debounce=50, step=20, raise_interrupt=False, rust_timeout=0):
        if any(Path(changed).resolve() == target for _, changed in changes) and path.exists():
            print("\n" + "─" * 60 + f" {time.strftime('%H:%M:%S')}", flush=True)
            status = _check_or_say(args, drill, path, job, sandbox)
    return status


def _check_or_say(
    args: argparse.Namespace, drill: Drill, path: Path, job: dict[str, Any], sandbox: Any
) -> int:
    try:
        return _check_once(args, drill, path, job, sandbox)
    except DrillUsageError as error:
        print(f"studykit drill check: {error}", file=sys.stderr, flush=True)
        return 2
    finally:
        sys.stdout.flush()


# --- verify --------------------------------------------------------------------------------------


def _verify(args: argparse.Namespace) -> int:
    from studykit.drills.verify import verify_drill

    drills = _drills(args)
    if args.ids:
        unknown = sorted(set(args.ids) - {d.id for d in drills})
        if unknown:
            raise DrillUsageError(f"unknown drill {unknown[0]!r}")
        drills = [d for d in drills if d.id in args.ids]
    failures = 0
    from studykit.drills.sandbox import Sandbox

    with Sandbox() as sandbox:
        for drill in drills:
            problems, summary = verify_drill(drill, sandbox)
            if problems:
                failures += 1
                for problem in problems:
                    print(f"✗ {drill.path}: {problem}")
            else:
                print(f"✓ {drill.id}: {summary}")
    print(f"{len(drills) - failures} of {len(drills)} drills proven")
    return 1 if failures else 0
