"""The budgets of `studykit.questions.limits`: the phase timer and the memory cap."""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from pathlib import Path

import pytest
import torch

from studykit.questions.limits import LimitError, memory_cap, time_limit, untimed


def spin() -> None:
    """Python code that never ends by itself."""
    while True:
        pass


def busy(seconds: float) -> None:
    """Spend ``seconds`` of CPU time (the timer counts CPU time, not the wall clock)."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def import_slowly_then_spin() -> None:
    import slow_module_for_limits  # type: ignore[import-not-found]  # noqa: F401

    spin()


def test_a_phase_that_runs_too_long_is_stopped() -> None:
    started = time.perf_counter()
    with pytest.raises(LimitError, match=r"took longer than 0\.2 s"), time_limit(0.2):
        spin()
    assert time.perf_counter() - started < 1.0


def test_a_phase_within_its_time_is_left_alone_and_no_late_alarm_fires() -> None:
    with time_limit(0.2):
        total = sum(range(1000))
    busy(0.3)  # the timer was disarmed: nothing rings now
    assert total == 499500


def test_the_timer_counts_cpu_time_not_waiting() -> None:
    """A machine busy with other work does not make a template's phase run out of time."""
    with time_limit(0.1):
        time.sleep(0.3)
        total = sum(range(10))
    assert total == 45


def test_an_inner_limit_runs_under_the_outer_timer() -> None:
    with pytest.raises(LimitError, match=r"0\.2 s"), time_limit(0.2), time_limit(5.0):
        spin()


def test_an_import_is_never_interrupted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A half-imported module would stay broken for the rest of the process."""
    (tmp_path / "slow_module_for_limits.py").write_text(
        "import time\nend = time.process_time() + 0.5\nwhile time.process_time() < end:\n"
        "    pass\nDONE = True\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(LimitError), time_limit(0.2):
        import_slowly_then_spin()
    assert sys.modules["slow_module_for_limits"].DONE


def test_untimed_work_does_not_count() -> None:
    with time_limit(0.3):
        with untimed():
            busy(0.5)
        total = sum(range(10))
    assert total == 45


def test_outside_the_main_thread_the_timer_stands_aside() -> None:
    outcome: list[str] = []

    def work() -> None:
        with time_limit(0.05):
            busy(0.15)
        outcome.append("finished")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert outcome == ["finished"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_DATA is Linux's")
def test_memory_past_the_cap_fails_at_once_and_the_cap_is_lifted_after() -> None:
    started = time.perf_counter()
    with memory_cap(headroom=256 * 2**20), pytest.raises(RuntimeError, match="allocate"):
        torch.empty(2**30, dtype=torch.float64)  # 8 GiB
    assert time.perf_counter() - started < 2.0
    assert torch.empty(2**26, dtype=torch.float64).numel() == 2**26  # 512 MiB, uncapped again


def swallow_once_then_spin() -> None:
    # as a finalizer or a callback would: Python ignores exceptions raised there
    with contextlib.suppress(LimitError):
        spin()
    spin()


def test_an_alarm_that_was_swallowed_rings_again() -> None:
    started = time.perf_counter()
    with pytest.raises(LimitError), time_limit(0.2):
        swallow_once_then_spin()
    assert time.perf_counter() - started < 1.0


def test_no_ring_outlives_its_phase() -> None:
    """However a phase ends, nothing rings afterwards (a stray ring would hit unrelated code)."""
    for _ in range(20):
        with contextlib.suppress(LimitError), time_limit(0.01):
            swallow_once_then_spin()
    busy(0.3)  # a ring now would raise here


def test_a_phase_ends_with_the_grad_mode_it_began_with() -> None:
    import torch

    from studykit.questions.limits import time_limit

    assert torch.is_grad_enabled()
    with time_limit(1.0):
        torch.set_grad_enabled(False)  # what a ring inside no_grad().__exit__ would leave behind
    assert torch.is_grad_enabled()


def test_a_ring_of_an_earlier_phase_handled_late_does_not_stop_the_next() -> None:
    """The watchdog names the phase it rings for: a ring handled only in a later phase is stale."""
    import signal

    from studykit.questions import limits

    if not limits._TIMER.usable():
        pytest.skip("the phase timer needs SIGPROF in the main thread")
    with time_limit(5.0):
        limits._TIMER.ringing = limits._TIMER.phase - 1  # rung for the phase before this one
        limits._TIMER.ring(signal.SIGPROF, None)
        total = sum(range(10))
    assert total == 45

    def rung_for_this_phase() -> None:
        limits._TIMER.ringing = limits._TIMER.phase
        limits._TIMER.ring(signal.SIGPROF, None)

    with pytest.raises(LimitError, match=r"took longer than 5 s"), time_limit(5.0):
        rung_for_this_phase()
    busy(0.2)  # and nothing rings after the phase


def test_the_watchdog_stops_when_idle_and_starts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from studykit.questions import limits

    if not limits._TIMER.usable():
        pytest.skip("the phase timer needs SIGPROF in the main thread")
    monkeypatch.setattr(limits, "_IDLE", 0.1)

    def watchdogs() -> int:
        return sum(t.name == "studykit-phase-timer" for t in threading.enumerate())

    with time_limit(1.0):
        assert watchdogs() == 1
    deadline = time.monotonic() + 5
    while watchdogs() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert watchdogs() == 0
    assert not limits._TIMER.watching
    with pytest.raises(LimitError), time_limit(0.1):
        spin()


def test_a_process_may_exit_right_after_a_phase(tmp_path: Path) -> None:
    """No real signal is ever sent: a ring cannot reach a process that is exiting.

    (An interval timer left to run out killed such processes: Python puts back SIGPROF's
    default action, which ends the process, while it exits.)
    """
    import subprocess

    script = (
        "import contextlib\n"
        "from studykit.questions.limits import LimitError, time_limit\n"
        "for _ in range(5):  # each phase is rung, and rung again, until it stops\n"
        "    with contextlib.suppress(LimitError), time_limit(0.01):\n"
        "        with contextlib.suppress(LimitError):\n"
        "            while True:\n"
        "                pass\n"
        "        while True:\n"
        "            pass\n"
        "for _ in range(200):  # then short phases, and the process ends right after one\n"
        "    with time_limit(0.001):\n"
        "        sum(range(1000))\n"
    )
    for _ in range(3):
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr.decode()[-500:]


def test_a_ring_never_lands_in_a_callback_of_the_garbage_collector() -> None:
    """Python would only report it as unraisable there; the watchdog rings again later."""
    import gc
    import signal

    from studykit.questions import limits

    if not limits._TIMER.usable():
        pytest.skip("the phase timer needs SIGPROF in the main thread")
    frames = []

    def callback(phase: str, info: dict[str, int]) -> None:
        frames.append(sys._getframe())

    gc.callbacks.append(callback)
    try:
        gc.collect()
        with time_limit(5.0):
            limits._TIMER.ringing = limits._TIMER.phase
            limits._TIMER.ring(signal.SIGPROF, frames[0])  # ignored
            with pytest.raises(LimitError, match="took longer than 5 s"):
                limits._TIMER.ring(signal.SIGPROF, sys._getframe())
    finally:
        gc.callbacks.remove(callback)


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_a_phase_that_collects_garbage_all_the_time_still_stops() -> None:
    """Rings that land in a gc callback are let pass, do not count, and the phase still stops."""
    import gc

    def slow_callback(phase: str, info: dict[str, int]) -> None:
        busy(0.002)  # about half of the phase's time is spent here

    class Cycle:
        def __init__(self) -> None:
            self.me = self

    def make_garbage_forever() -> None:
        while True:
            Cycle()
            busy(0.004)
            gc.collect(0)

    gc.callbacks.append(slow_callback)
    started = time.perf_counter()
    try:
        with pytest.raises(LimitError), time_limit(0.2):
            make_garbage_forever()
    finally:
        gc.callbacks.remove(slow_callback)
    assert time.perf_counter() - started < 10.0
