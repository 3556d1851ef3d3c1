"""Budgets that bite: the limits every template computation and text runs under.

Question templates are contributed content, so ``studykit verify`` (run on every pull request)
and a student's quiz both treat them as untrusted. Parsing refuses what the template language
cannot say (see `studykit.questions.expressions`); these limits bound what it *can* say:

| budget | limit | checked |
|---|---|---|
| loop iterations of one expression or text | ``MAX_ITERATIONS`` | per item, as it loops |
| length of a list or string built by ``*`` or ``+`` | ``MAX_SEQUENCE`` | before it is built |
| elements of a tensor a template makes | ``MAX_ELEMENTS`` | before (sizes, broadcasts), after |
| size of an integer power | ``MAX_INT_BITS`` bits | before it is computed |
| characters of one rendered text | ``MAX_TEXT`` | as it renders |
| CPU time of one phase of a variant | ``PHASE_SECONDS`` | by a watchdog thread |
| memory of a whole command | ``MEMORY_HEADROOM`` over start-up | by Linux (``RLIMIT_DATA``) |

Going over one raises `LimitError` with a one-line message; the caller adds the file, field
and seed. The timer interrupts Python code between two bytecodes, so a loop inside a trusted
helper that a template drives (an optimizer run of a million steps) stops too; a single torch
operation cannot run long, because no tensor may be larger than ``MAX_ELEMENTS``. The timer
needs ``SIGPROF`` (POSIX) and the main thread; elsewhere the other budgets still hold.
"""

from __future__ import annotations

import _thread
import gc
import math
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

try:  # POSIX only
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

__all__ = [
    "MAX_ELEMENTS",
    "MAX_INT_BITS",
    "MAX_ITERATIONS",
    "MAX_SEQUENCE",
    "MAX_TEXT",
    "PHASE_SECONDS",
    "LimitError",
    "LoopBudget",
    "TimeLimitError",
    "bounded_range",
    "check_broadcast",
    "check_matmul",
    "check_size_argument",
    "check_tensor_size",
    "memory_cap",
    "time_limit",
    "untimed",
]

MAX_ITERATIONS = 10_000
MAX_SEQUENCE = 10_000
MAX_ELEMENTS = 1_000_000
MAX_INT_BITS = 1_024
MAX_TEXT = 50_000
PHASE_SECONDS = 1.0
MEMORY_HEADROOM = 2 * 2**30


class LimitError(ValueError):
    """A computation or text that went over one of its budgets (one-line message)."""


class TimeLimitError(LimitError):
    """A phase that ran past its time (raised by the timer, wherever the code was)."""


_TICK = 0.02  # seconds between two looks of the watchdog at the phase in progress
_AGAIN = 0.05  # CPU seconds between rings once a phase is over its time
_RINGS = 20  # rings of one phase at most
_IDLE = 2.0  # seconds without a phase after which the watchdog stops
_SIGNAL = getattr(signal, "SIGPROF", signal.SIGINT)  # only used where SIGPROF exists


def bounded_range(*args: int) -> range:
    """``range``, refusing more than ``MAX_ITERATIONS`` numbers (``sum(range(10**12))``)."""
    values = range(*args)
    try:
        count = len(values)
    except OverflowError:  # more numbers than an index can hold
        count = MAX_ITERATIONS + 1
    if count > MAX_ITERATIONS:
        raise LimitError(f"a range of more than {MAX_ITERATIONS} numbers")
    return values


# The element budget of tensors, checked by the guards of expressions before and after a call
# (tensors are duck-typed: this module imports no torch).


def check_size_argument(value: tuple[Any, ...]) -> None:
    """Refuse a size given as a tuple of whole numbers (``size=(100000, 100000)``) too large.

    A list is data, not a size, and is left alone.
    """
    size = 0 < len(value) <= 8 and all(type(v) is int for v in value)
    if size and math.prod(abs(v) for v in value) > MAX_ELEMENTS:
        raise LimitError(f"the size {value} is over the limit of {MAX_ELEMENTS:,} elements")


def check_tensor_size(tensor: Any) -> None:
    """Refuse a tensor of more than ``MAX_ELEMENTS`` elements (a call's result)."""
    if tensor.numel() > MAX_ELEMENTS:
        raise LimitError(
            f"a tensor of {tensor.numel():,} elements is over the limit of {MAX_ELEMENTS:,}"
        )


def check_broadcast(tensors: list[Any]) -> None:
    """Refuse tensors whose broadcast shape would hold more than ``MAX_ELEMENTS`` elements.

    Shapes that do not broadcast together (a convolution's input and weight) are left to the
    function: the result's size is checked after it.
    """
    if math.prod(t.numel() for t in tensors) <= MAX_ELEMENTS:
        return  # the usual case: small tensors cannot broadcast past the limit
    shapes = [tuple(t.shape) for t in tensors]
    sizes = _broadcast(shapes)
    if sizes is not None:
        _check_elements(sizes, f"broadcasting {' and '.join(map(str, shapes))}")


def check_matmul(left: Any, right: Any) -> None:
    """Refuse a matrix product whose result would be past the element budget."""
    if left.numel() * right.numel() <= MAX_ELEMENTS or min(left.dim(), right.dim()) < 2:
        return
    a, b = tuple(left.shape), tuple(right.shape)
    batch = _broadcast([a[:-2], b[:-2]]) or []
    _check_elements([*batch, a[-2], b[-1]], f"the product {a} @ {b}")


def _broadcast(shapes: list[tuple[int, ...]]) -> list[int] | None:
    """The broadcast sizes of ``shapes`` (right-aligned), or ``None`` if they do not broadcast."""
    ndim = max(len(s) for s in shapes)
    padded = [(1,) * (ndim - len(s)) + s for s in shapes]
    sizes = []
    for dims in zip(*padded, strict=True):
        wide = {d for d in dims if d != 1}
        if len(wide) > 1:
            return None
        sizes.append(wide.pop() if wide else 1)
    return sizes


def _check_elements(sizes: list[int], what: str) -> None:
    if math.prod(sizes) > MAX_ELEMENTS:
        raise LimitError(f"{what} is over the limit of {MAX_ELEMENTS:,} elements")


class LoopBudget:
    """Counts the iterations of every loop of one expression or text, and stops past the cap.

    A list, tuple or range counts all its items when the loop starts (``any``/``all`` may stop
    early, but the cap is about runaway loops, not exact counts); other iterables count as
    they go. Make one per evaluation.
    """

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, items: Any) -> Any:
        """``items`` to loop over, counted into this budget."""
        if type(items) in (list, tuple, range):  # sized: count them all at once
            self.count += len(items)
            if self.count > MAX_ITERATIONS:
                raise LimitError(f"more than {MAX_ITERATIONS} loop iterations")
            return items
        return self._counted(items)

    def _counted(self, items: Any) -> Any:
        for item in items:
            self.count += 1
            if self.count > MAX_ITERATIONS:
                raise LimitError(f"more than {MAX_ITERATIONS} loop iterations")
            yield item


class _Timer:
    """The phase clock of the process: a watchdog thread that rings a phase past its time.

    It counts the CPU time the process spends, not the time on the wall clock: on a machine
    busy with other work (CI beside other jobs, a laptop compiling), waiting for a core is not
    the template's doing, and a template cannot wait any other way (it has no I/O, no sleep).

    Beginning and ending a phase only set two numbers (a variant has a handful of phases, and
    a system call for each, as an interval timer needs, cost more than some phases do). The
    watchdog looks every ``_TICK`` seconds: it notes when it first sees a phase, and once the
    phase has used its seconds of CPU time (less any ``credit``: untimed work, imports) it
    interrupts the main thread through ``SIGPROF``'s Python handler (`ring`), which raises
    `TimeLimitError` there. No real signal is sent, so nothing can reach a process that is
    exiting. A phase is seen at most one tick late: that much of it is not counted.

    The watchdog starts with the first phase and stops after ``_IDLE`` seconds without one.
    """

    def __init__(self) -> None:
        self.armed = 0.0  # the seconds of the phase in progress; 0 when none
        self.phase = 0  # phases begun so far: tells the watchdog one phase from the next
        self.credit = 0.0  # CPU seconds of the phase in progress that do not count
        self.paused = False  # inside ``untimed``
        self.ringing = -1  # the phase the watchdog last rang for
        self.excused = 0  # rings of the phase in progress that ``ring`` let pass (not counted)
        self.watching = False  # whether the watchdog thread runs
        self.installed: bool | None = None  # None: not tried yet

    def usable(self) -> bool:
        """Install the handler once, if this is the main thread and nobody else owns SIGPROF."""
        if threading.get_ident() != _MAIN_THREAD:
            return False
        if self.installed is None:
            available = hasattr(signal, "SIGPROF")
            ours = available and signal.getsignal(_SIGNAL) in (signal.SIG_DFL, None)
            if ours:
                signal.signal(_SIGNAL, self.ring)
            self.installed = bool(ours)
        return self.installed

    def watch(self) -> None:
        """Start the watchdog (the caller has just armed a phase)."""
        self.watching = True
        threading.Thread(target=self._watch, name="studykit-phase-timer", daemon=True).start()

    def _watch(self) -> None:
        seen, next_ring, rings = -1, 0.0, 0
        idle_since = time.monotonic()
        while True:
            time.sleep(_TICK)
            armed, phase = self.armed, self.phase
            if not armed:
                if time.monotonic() - idle_since < _IDLE:
                    continue
                # Stop, unless a phase began meanwhile: the phase sets ``armed`` and then reads
                # ``watching``, this reads ``armed`` after clearing ``watching``, so one of
                # the two sees the other's change and a phase is never left unwatched.
                self.watching = False
                if not self.armed:
                    return
                self.watching = True
                continue
            idle_since = time.monotonic()
            now = time.process_time()
            if phase != seen:  # a new phase: its clock starts now
                seen, next_ring, rings = phase, now + armed, 0
            elif (
                now - self.credit >= next_ring and rings - self.excused < _RINGS and not self.paused
            ):
                # Ring again every ``_AGAIN`` s while the phase goes on: an exception raised
                # from a handler can land where Python ignores it (a finalizer, a callback),
                # and the phase must still stop. Past ``_RINGS`` rings that raised (rings let
                # pass in an import or a gc callback do not count) it stops ringing.
                rings += 1
                next_ring = now - self.credit + _AGAIN
                self.ringing = phase
                _thread.interrupt_main(_SIGNAL)

    def ring(self, signum: int, frame: FrameType | None) -> None:
        """Stop the phase in progress (the handler of the watchdog's interrupt)."""
        if not self.armed or self.paused or self.ringing != self.phase:
            return  # a late ring of a phase that has ended is ignored
        if frame is not None and frame.f_code is _EXIT_CODE:
            return  # the phase is ending right now: raising here would leave it armed
        inside = _inside(frame)
        if inside is not None:
            # Let the ring pass (it does not count; the watchdog rings again ``_AGAIN`` s
            # later). Never interrupt an import: a half-imported module stays broken for the
            # rest of the process, so a trusted lazy import (torch imports parts of itself on
            # first use) gets another phase's worth of time; templates cannot import anything.
            # In a garbage collector's callback Python would ignore the exception (and report
            # it as unraisable).
            self.excused += 1
            if inside == "import":
                self.credit += self.armed
            return
        raise TimeLimitError(f"took longer than {self.armed:g} s")


def _inside(frame: FrameType | None) -> str | None:
    """``"import"`` inside an import, ``"gc"`` inside a callback of the garbage collector."""
    callbacks = {getattr(getattr(c, "__func__", c), "__code__", None) for c in gc.callbacks}
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return "import"
        if frame.f_code in callbacks:
            return "gc"
        frame = frame.f_back
    return None


_TIMER = _Timer()
_MAIN_THREAD = threading.main_thread().ident
if hasattr(os, "register_at_fork"):  # a forked child has no watchdog until its first phase
    os.register_at_fork(after_in_child=lambda: setattr(_TIMER, "watching", False))
_GRAD_MODE: tuple[Callable[[], bool], Callable[[bool], object]] | None = None


def _grad_mode() -> tuple[Callable[[], bool], Callable[[bool], object]] | None:
    """``torch.is_grad_enabled`` and ``torch.set_grad_enabled`` once torch has both, else None.

    torch may be half imported (a lazy import inside a phase): the pair is looked up until
    both are there, then kept (a phase begins and ends a dozen times per variant).
    """
    global _GRAD_MODE
    if _GRAD_MODE is None:
        torch = sys.modules.get("torch")
        is_enabled = getattr(torch, "is_grad_enabled", None)
        set_enabled = getattr(torch, "set_grad_enabled", None)
        if is_enabled is None or set_enabled is None:
            return None
        _GRAD_MODE = (is_enabled, set_enabled)
    return _GRAD_MODE


class time_limit:  # noqa: N801 - used like a function: ``with time_limit():``
    """Raise `LimitError` in the block if it runs longer than ``seconds`` (not re-entrant).

    A block inside another ``time_limit`` block runs under the outer one's timer. A class
    rather than a generator: a variant enters a dozen of these, and this is the cheaper way.
    """

    __slots__ = ("armed", "grad", "seconds")

    def __init__(self, seconds: float = PHASE_SECONDS) -> None:
        self.seconds = seconds
        self.armed = False
        self.grad: bool | None = None

    def __enter__(self) -> None:
        if _TIMER.armed or not _TIMER.usable():
            return
        grad_mode = _grad_mode()
        self.grad = None if grad_mode is None else bool(grad_mode[0]())
        _TIMER.credit, _TIMER.excused = 0.0, 0
        _TIMER.phase += 1  # before ``armed``: the watchdog never sees the last phase armed again
        _TIMER.armed = self.seconds
        self.armed = True
        if not _TIMER.watching:  # after ``armed`` (see ``_Timer._watch``)
            _TIMER.watch()

    def __exit__(self, *exc: object) -> None:
        if self.armed:
            _TIMER.armed = 0.0  # first: a ring from here on is ignored
            # A ring that landed inside torch's ``no_grad().__exit__`` (the watchdog rings
            # again while the first error unwinds) leaves autograd off for the whole process:
            # the phase ends with the grad mode it began with.
            # Set only when it changed: ``set_grad_enabled`` is a class, costly to make each time.
            grad_mode = _grad_mode()
            if grad_mode is not None and self.grad is not None and grad_mode[0]() != self.grad:
                grad_mode[1](self.grad)


_EXIT_CODE = time_limit.__exit__.__code__


@contextmanager
def untimed() -> Iterator[None]:
    """Stop the clock of the phase in progress for the block (a trusted one-time cost).

    For work whose cost does not depend on the template, such as importing sympy the first
    time a derivative is asked for.
    """
    if not _TIMER.armed or _TIMER.paused:
        yield
        return
    _TIMER.paused = True
    start = time.process_time()
    try:
        yield
    finally:
        _TIMER.credit += time.process_time() - start  # before ``paused`` is cleared
        _TIMER.paused = False


def _data_bytes() -> int | None:
    """The process's data segment (heap and private mappings) in bytes, where Linux tells."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


@contextmanager
def memory_cap(headroom: int = MEMORY_HEADROOM) -> Iterator[None]:
    """Let the block use at most ``headroom`` more bytes of memory than it starts with.

    An allocation past the cap fails at once (torch raises ``RuntimeError``, Python
    ``MemoryError``) instead of filling the machine. The cap is lifted when the block ends.
    Without ``RLIMIT_DATA`` (not Linux) the block runs uncapped.
    """
    used = _data_bytes()
    limit = getattr(resource, "RLIMIT_DATA", None) if resource is not None else None
    if used is None or limit is None:
        yield
        return
    soft, hard = resource.getrlimit(limit)
    cap = used + headroom
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        yield  # already tighter
        return
    resource.setrlimit(limit, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(limit, (soft, hard))
