"""Where a student's code runs: a warm worker process, and a fresh child for every check.

Student code may loop forever, eat memory, crash the interpreter or leave torch patched. So the
command line never runs it: it starts a *worker* (``python -m studykit.drills.sandbox``) that
imports torch once and then, for each check, forks a *child* that runs `studykit.drills.judge`
under limits and is thrown away afterwards:

| limit | value | on going over |
|---|---|---|
| one call of the student's function | ``call_seconds`` (2 s) | the case fails: "did not finish" |
| the whole check, wall clock | ``CHECK_SECONDS`` | the child is killed; the case is named |
| memory | ``MEMORY_HEADROOM`` over the worker's | an allocation fails: the case fails |
| printed output kept | ``OUTPUT_CHARS`` characters | the rest is cut |
| a file written | ``MAX_FILE_BYTES`` | the write fails: the case fails |

Forking the warm worker makes a check start in milliseconds (`studykit drill check --watch`
keeps one worker for the whole session); where ``fork`` is not safe (Windows, macOS) the child
is a new interpreter instead, which only costs the start-up. The child reports its progress
(which case it is on) and its result as JSON lines on a pipe; the student's prints go to a file.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from typing import Any, BinaryIO

__all__ = ["CHECK_SECONDS", "Sandbox", "SandboxError", "run_in_child"]

CHECK_SECONDS = 30.0
MEMORY_HEADROOM = 1 * 2**30
OUTPUT_CHARS = 500
MAX_FILE_BYTES = 10 * 2**20
_FORK = sys.platform.startswith("linux") and hasattr(os, "fork")


class SandboxError(RuntimeError):
    """The checking process could not be started or stopped on its own (one line)."""


def _child(request: dict[str, Any], events: BinaryIO) -> None:
    """Run one check and write its events and result as JSON lines to ``events``."""
    from studykit.drills import judge
    from studykit.questions.limits import memory_cap

    def send(message: dict[str, Any]) -> None:
        events.write(json.dumps(message).encode() + b"\n")
        events.flush()

    with memory_cap(MEMORY_HEADROOM):
        result = judge.run(request["job"], request["source"], request["filename"], send)
    send({"event": "result", "result": result})


def _limit_files() -> None:
    """No file the child writes (the student's prints) may grow past ``MAX_FILE_BYTES``.

    Past it a write fails with an error (``SIGXFSZ`` ignored), which the check reports as the
    student's code raising, instead of filling the disk.
    """
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_FILE_BYTES, MAX_FILE_BYTES))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def _redirect_output(path: str) -> None:
    """Send the child's stdout and stderr (the student's prints) to ``path``."""
    sys.stdout.flush()
    sys.stderr.flush()
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(handle, 1)
    os.dup2(handle, 2)
    os.close(handle)


def _fork_child(request: dict[str, Any], output: str) -> tuple[int, int]:
    """Fork the child; return its pid and the read end of its event pipe."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        status = 0
        try:
            os.close(read)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            _limit_files()
            _redirect_output(output)
            with os.fdopen(write, "wb") as events:
                _child(request, events)
        except BaseException:
            status = 70
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def _spawn_child(request: dict[str, Any], output: str) -> tuple[subprocess.Popen[bytes], int]:
    """Start the child as a new interpreter (no safe ``fork``); return it and its event pipe."""
    with open(output, "wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "studykit.drills.sandbox", "--child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=sink,
        )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(json.dumps(request).encode())
    process.stdin.close()
    return process, process.stdout.fileno()


def run_in_child(request: dict[str, Any], check_seconds: float = CHECK_SECONDS) -> dict[str, Any]:
    """Run one check in a fresh child within the limits; always return a result."""
    with tempfile.TemporaryDirectory(prefix="studykit-drill-") as folder:
        output = os.path.join(folder, "output.txt")
        if _FORK:
            pid, read = _fork_child(request, output)
            process = None
        else:
            process, read = _spawn_child(request, output)
            pid = process.pid
        result, last, reason = _collect(read, check_seconds)
        if result is None:
            _kill(pid, process)
        code = _wait(pid, process)
        if process is None:
            os.close(read)
        if result is None:
            result = _no_result(request, last, reason, code, check_seconds)
        result["output"] = _read_output(output)
    return result


def _collect(read: int, seconds: float) -> tuple[dict[str, Any] | None, dict[str, Any] | None, str]:
    """Read the child's events until its result, the end of the pipe or the deadline."""
    deadline = time.monotonic() + seconds
    buffer, last = b"", None
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None, last, "time"
        ready, _, _ = select.select([read], [], [], left)
        if not ready:
            continue
        chunk = os.read(read, 65536)
        if not chunk:
            return None, last, "ended"
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            message = json.loads(line)
            if message.get("event") == "result":
                return message["result"], last, ""
            last = message


def _kill(pid: int, process: subprocess.Popen[bytes] | None) -> None:
    try:
        if process is not None:
            process.kill()
        else:
            os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _wait(pid: int, process: subprocess.Popen[bytes] | None) -> int:
    """The child's exit status (negative: the signal that ended it)."""
    if process is not None:
        return process.wait()
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def _no_result(
    request: dict[str, Any], last: dict[str, Any] | None, reason: str, code: int, seconds: float
) -> dict[str, Any]:
    """The result of a child that was killed or ended without one."""
    where_en, where_ko = "", ""
    if last is not None and last.get("event") == "case":
        case = request["job"]["cases"][last["case"]]
        where_en = f" during case '{case['name']['en']}' ({last['dtype']})"
        where_ko = f" 사례 '{case['name']['ko']}'({last['dtype']})를 검사하던 중"
    if reason == "time":
        en = f"the check did not finish within {seconds:g} s{where_en}: "
        en += "is there a loop that never ends?"
        ko = f"검사가{where_ko} {seconds:g}초 안에 끝나지 않았습니다: "
        ko += "끝나지 않는 반복문이 있습니까?"
        status = "timeout"
    else:
        how = f"signal {-code}" if code < 0 else f"exit status {code}"
        en = f"your code ended the check process ({how}){where_en}: "
        en += "a crash, os._exit or sys.exit?"
        ko = f"작성한 코드가{where_ko} 검사 프로세스를 끝냈습니다({how}): "
        ko += "충돌, os._exit, sys.exit입니까?"
        status = "crashed"
    return {
        "id": request["job"]["id"],
        "status": status,
        "exit": 1,
        "passed": False,
        "cases_run": 0,
        "failure": None,
        "message": en,
        "message_ko": ko,
    }


def _read_output(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(OUTPUT_CHARS * 4 + 1)
    except OSError:
        return ""
    text = raw.decode("utf-8", errors="replace")
    if len(text) > OUTPUT_CHARS:
        text = text[:OUTPUT_CHARS] + f"\n[output cut at {OUTPUT_CHARS} characters]"
    return text


class Sandbox:
    """The warm worker: start it once, then `check` as often as needed (``--watch``)."""

    def __init__(self, check_seconds: float = CHECK_SECONDS) -> None:
        self.check_seconds = check_seconds
        self.process = subprocess.Popen(
            [sys.executable, "-m", "studykit.drills.sandbox"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    def check(self, job: dict[str, Any], source: str, filename: str) -> dict[str, Any]:
        """Check ``source`` against ``job`` in a fresh child of the worker."""
        assert self.process.stdin is not None and self.process.stdout is not None
        request = {
            "job": job,
            "source": source,
            "filename": filename,
            "seconds": self.check_seconds,
        }
        self.process.stdin.write(json.dumps(request).encode() + b"\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            code = self.process.wait()
            raise SandboxError(
                f"the checking process ({sys.executable} -m studykit.drills.sandbox) stopped "
                f"with exit status {code}; is torch installed in this environment?"
            )
        result: dict[str, Any] = json.loads(line)
        return result

    def close(self) -> None:
        """Stop the worker."""
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _worker() -> None:
    """Serve checks: one JSON request per line on stdin, one JSON result per line on stdout."""
    import torch  # noqa: F401 - imported once here, so every forked child starts warm

    import studykit.drills.judge  # noqa: F401

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the command, which stops us
    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        request = json.loads(line)
        result = run_in_child(request, float(request.get("seconds", CHECK_SECONDS)))
        out.write(json.dumps(result).encode() + b"\n")
        out.flush()


def _spawned_child() -> None:
    """The child as a new interpreter: the request on stdin, events on stdout."""
    request = json.loads(sys.stdin.buffer.read())
    events = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # the student's prints go where stderr goes (the output file)
    _child(request, events)


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        _spawned_child()
    else:
        _worker()
