"""Guards around a student's code while it runs: forbidden torch calls and a time limit.

- **Forbidden operations** are refused as they are called, not by reading the source: a
  ``TorchFunctionMode`` sees every torch function, ``Tensor`` method and
  ``torch.nn.functional`` call made inside it (``torch.softmax``, ``x.softmax``,
  ``F.softmax`` and ``nn.Softmax()`` alike) and raises `ForbiddenCall` naming the call and the
  line of the student's file it came from. A student who catches the exception is still caught:
  the guard remembers the first forbidden call. It is a learning guardrail, not a security
  boundary (the student runs their own code on their own machine).
- **Time**: `call_timer` raises `CallTimeout` from a ``SIGALRM`` when one call runs past its
  seconds; a loop in C that ignores it is ended by the process's wall-clock limit
  (`studykit.drills.sandbox`).
"""

from __future__ import annotations

import fnmatch
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from torch.overrides import TorchFunctionMode, resolve_name

__all__ = ["CallTimeout", "ForbiddenCall", "Guard", "call_timer", "student_line"]


class ForbiddenCall(BaseException):
    """The student's code called an operation the drill asks them to write themselves."""

    def __init__(self, name: str, line: int | None, shown: str | None = None) -> None:
        super().__init__(name)
        self.name, self.line, self.shown = name, line, shown


class CallTimeout(BaseException):
    """One call of the student's code ran past its time."""


def student_line(filename: str, frame: FrameType | None = None) -> int | None:
    """The line of ``filename`` nearest the top of the stack (where the student's code is)."""
    frame = frame or sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename == filename:
            return frame.f_lineno
        frame = frame.f_back
    return None


def _qualified(func: Any) -> str:
    """``torch._C._nn.mse_loss`` for a function ``resolve_name`` does not know."""
    name = getattr(func, "__qualname__", None) or getattr(func, "__name__", None) or repr(func)
    if name.startswith("_VariableFunctionsClass."):  # torch._foreach_add_ and its kind
        return "torch." + name.removeprefix("_VariableFunctionsClass.")
    module = getattr(func, "__module__", None) or "torch"
    return f"{module}.{name}"


class Guard(TorchFunctionMode):
    """Refuse the torch operations matching ``patterns`` (``fnmatch``, like ``torch.nn.*``)."""

    def __init__(
        self, patterns: list[str], filename: str, shown: dict[str, str] | None = None
    ) -> None:
        super().__init__()
        self.patterns, self.filename, self.shown = patterns, filename, shown or {}
        self.violation: ForbiddenCall | None = None
        self._verdicts: dict[str, str | None] = {}

    def forbidden(self, name: str) -> str | None:
        """The first pattern ``name`` (like ``torch.Tensor.softmax``) matches, if any."""
        if name not in self._verdicts:
            self._verdicts[name] = next(
                (p for p in self.patterns if fnmatch.fnmatchcase(name, p)), None
            )
        return self._verdicts[name]

    def __torch_function__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
        name = resolve_name(func) or _qualified(func)
        pattern = self.forbidden(name)
        if pattern is not None:
            error = ForbiddenCall(name, student_line(self.filename), self.shown.get(pattern))
            self.violation = self.violation or error
            raise error
        return func(*args, **(kwargs or {}))


@contextmanager
def call_timer(seconds: float) -> Iterator[None]:
    """Raise `CallTimeout` in the block after ``seconds`` of wall-clock time (main thread)."""
    if not hasattr(signal, "setitimer"):  # pragma: no cover - Windows: the process limit holds
        yield
        return

    def ring(signum: int, frame: FrameType | None) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0.05)  # again, if the student swallows this one
        raise CallTimeout()

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
