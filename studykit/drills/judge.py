"""One drill check, as it runs inside the check's own process.

The order is the point:

1. The drill's own code runs first: for every case and dtype, the reference's observations
   (results and gradients, `studykit.drills.observe`) and torch's; if the two disagree the
   drill is broken and nothing of the student's runs. All of this is done before the student's
   file is loaded, so nothing in it can change the expected values.
2. The student's file is loaded (a syntax error, an error while loading, or no function of the
   drill's name: *cannot run*).
3. Each case runs in order, float32 and float64, under the `studykit.drills.guard` guards:
   forbidden calls (*cannot run*), a time limit per call, the inputs left unmodified, then the
   observations compared, shape first. The check stops at the first failing case.
4. A failing case is shrunk: each named dimension towards 1, then the values to small whole
   numbers, as long as it fails the same way; and the student's observations are compared with
   each planted mistake's, so a match names the misconception.

`run` returns the result as plain data (`studykit.drills.report` words it).
"""

from __future__ import annotations

import builtins
import copy
import importlib
import math
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

from studykit.drills.guard import CallTimeout, ForbiddenCall, Guard, call_timer, student_line
from studykit.drills.inputs import case_seed, make_inputs, shape_dims
from studykit.drills.observe import NoGraphError, Problem, compare, observe, show

__all__ = ["EXIT_CANNOT_RUN", "EXIT_FAIL", "EXIT_PASS", "run"]

EXIT_PASS, EXIT_FAIL, EXIT_CANNOT_RUN = 0, 1, 2
MAX_SHRINK_RUNS = 40


@dataclass(frozen=True)
class Failure:
    """A case the student's code did not get through: it raised, hung, or changed its input."""

    kind: str
    en: str
    ko: str
    error: str = ""  # the exception raised, ``Type: first line`` (kind ``error``)


class CannotRunError(Exception):
    """The check cannot run the student's code at all (exit 2)."""

    def __init__(self, status: str, en: str, ko: str) -> None:
        super().__init__(en)
        self.status, self.en, self.ko = status, en, ko


def _namespace(label: str) -> dict[str, Any]:
    return {
        "torch": torch,
        "math": math,
        "F": torch.nn.functional,
        "__name__": label,
        "__builtins__": builtins,
    }


def load_code(code: str, name: str, label: str) -> Any:
    """Run a drill's code field and return the object it defines as ``name``."""
    namespace = _namespace(label)
    exec(compile(code, f"<drill {label}>", "exec"), namespace)
    return namespace[name]


def _reference(job: dict[str, Any]) -> Any:
    text = job["reference"]
    if "\n" not in text.strip() and text.strip().startswith("studykit."):
        module, _, attr = text.strip().rpartition(".")
        return getattr(importlib.import_module(module), attr)
    return load_code(text, job["function"], "reference")


class Check:
    """The state of one check: the drill, the student's function, the expected values."""

    def __init__(self, job: dict[str, Any], events: Callable[[dict[str, Any]], None]) -> None:
        self.job, self.events = job, events
        self.cases: list[dict[str, Any]] = job["cases"]
        self.outputs: list[str] = job["outputs"]
        self.drive = None if job["driver"] is None else load_code(job["driver"], "drive", "driver")
        self.reference = _reference(job)
        self.seconds = float(job.get("call_seconds", 2.0))
        self.runs = 0

    # --- calling an implementation -----------------------------------------------------------

    def call(self, fn: Any, inputs: dict[str, Any]) -> Any:
        if self.drive is not None:
            return self.drive(fn, **inputs)
        return fn(*inputs.values())

    def observe(
        self,
        fn: Any,
        index: int,
        dtype: str,
        dims: dict[str, int] | None = None,
        small: bool = False,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The inputs of a case and the observations of ``fn`` on them."""
        case = self.cases[index]
        seed = case_seed(self.job["id"], index)
        inputs = make_inputs(case, dtype, seed, dims, small)
        found = observe(lambda: self.call(fn, inputs), inputs, case["grad"], self.outputs, seed + 1)
        return inputs, found

    def tolerance(self, dtype: str) -> tuple[float, float]:
        rtol, atol = self.job["tolerance"][dtype]
        return float(rtol), float(atol)

    # --- the drill's own values --------------------------------------------------------------

    def expectations(self) -> dict[tuple[int, str], dict[str, Any]]:
        """The reference's observations of every case, checked against torch's."""
        oracle = load_code(self.job["torch"], self.job["function"], "torch")
        expected = {}
        for index, case in enumerate(self.cases):
            for dtype in case["dtypes"]:
                want = self.drill_observes(self.reference, "reference", index, dtype)
                torch_says = self.drill_observes(oracle, "torch code", index, dtype)
                problem = compare(torch_says, want, self.tolerance(dtype))
                if problem is not None:
                    name = case["name"]["en"]
                    raise CannotRunError(
                        "drill-error",
                        f"drill {self.job['id']} is broken: its reference and torch disagree on "
                        f"case '{name}' ({dtype}): {problem.message}; please report it",
                        f"드릴 {self.job['id']}에 문제가 있습니다: 사례 '{case['name']['ko']}'"
                        f"({dtype})에서 참조 구현과 torch가 다릅니다: {problem.text('ko')}. "
                        "알려 주십시오",
                    )
                expected[(index, dtype)] = want
        return expected

    def drill_observes(self, fn: Any, label: str, index: int, dtype: str) -> dict[str, Any]:
        """The drill's own code on a case; an error in it is the drill's, said as such."""
        try:
            return self.observe(fn, index, dtype)[1]
        except Exception as error:  # the drill's code is contributed content
            case, text = self.cases[index]["name"], _error_text(error)
            en = f"its {label} raised {text} on case '{case['en']}' ({dtype})"
            ko = f"{label}이(가) 사례 '{case['ko']}'({dtype})에서 오류를 냈습니다: {text}"
            raise _broken(self.job["id"], en, ko) from None

    # --- the student's code ------------------------------------------------------------------

    def student(
        self, fn: Any, guard: Guard, index: int, dtype: str, dims: Any, small: bool
    ) -> dict[str, Any] | Failure:
        """Run the student's function on a case: its observations, or how it failed."""
        self.runs += 1
        case = self.cases[index]
        seed = case_seed(self.job["id"], index)
        inputs = make_inputs(case, dtype, seed, dims, small)
        pristine = {name: _copy(value) for name, value in inputs.items()}

        def guarded() -> Any:
            with guard:
                return self.call(fn, inputs)

        try:
            with call_timer(self.seconds):
                found = observe(guarded, inputs, case["grad"], self.outputs, seed + 1)
        except CallTimeout:
            return Failure(
                "timeout",
                f"did not finish within {self.seconds:g} s: is there a loop that never ends?",
                f"{self.seconds:g}초 안에 끝나지 않았습니다: 끝나지 않는 반복문이 있습니까?",
            )
        except NoGraphError:
            grads = ", ".join(case["grad"])
            return Failure(
                "graph",
                f"the result is not connected to {grads} through autograd: build it from "
                "tensor operations on the inputs (no .item(), .detach() or torch.tensor(...) "
                "of computed values)",
                f"결과가 autograd로 {grads}에 이어져 있지 않습니다: 입력에 텐서 연산을 "
                "적용해 만드십시오(.item(), .detach(), 계산한 값으로 만든 torch.tensor(...)는 "
                "쓰지 마십시오)",
            )
        except NotImplementedError as error:
            if self._raised_by_student(error):
                raise CannotRunError(
                    "not-started",
                    "not started: the function still raises NotImplementedError; write its body",
                    "아직 시작하지 않았습니다: 함수가 아직 NotImplementedError를 일으킵니다. "
                    "함수 본문을 작성하십시오",
                ) from None
            return self._crash(error)
        except (Exception, RecursionError, MemoryError) as error:
            if guard.violation is not None:
                raise guard.violation from None
            return self._crash(error)
        if guard.violation is not None:  # caught and swallowed by the student's code
            raise guard.violation
        for name, before in pristine.items():
            if not _unchanged(before, inputs[name]):
                return Failure(
                    "in-place",
                    f"changed its input {name} in place; make new tensors instead "
                    "(x = x + 1, not x += 1 or x.add_(1))",
                    f"입력 {name}을(를) 제자리에서(in place) 바꿨습니다. 새 텐서를 만들어 "
                    "쓰십시오(x += 1이나 x.add_(1) 대신 x = x + 1)",
                )
        return found

    def _raised_by_student(self, error: BaseException) -> bool:
        frames = traceback.extract_tb(error.__traceback__)
        return bool(frames) and frames[-1].filename == self.filename

    def _crash(self, error: BaseException) -> Failure:
        frames = [
            f for f in traceback.extract_tb(error.__traceback__) if f.filename == self.filename
        ]
        text = _error_text(error)
        if not frames:
            return Failure("error", f"raised {text}", f"오류가 났습니다: {text}", text)
        line = frames[-1].lineno
        return Failure(
            "error",
            f"raised {text} (line {line})",
            f"{line}번째 줄에서 오류가 났습니다: {text}",
            text,
        )

    # --- the whole check ---------------------------------------------------------------------

    def run(self, source: str, filename: str) -> dict[str, Any]:
        self.filename = filename
        expected = self.expectations()
        fn = self.load_student(source, filename)
        guard = Guard(self.job["forbidden"], filename, self.job.get("shown"))
        total = sum(len(c["dtypes"]) for c in self.cases)
        done = 0
        for index, case in enumerate(self.cases):
            for dtype in case["dtypes"]:
                self.events({"event": "case", "case": index, "dtype": dtype})
                got = self.student(fn, guard, index, dtype, None, False)
                done += 1
                if isinstance(got, Failure):
                    return self.failed(index, dtype, got, done, total)
                problem = compare(expected[(index, dtype)], got, self.tolerance(dtype))
                if problem is not None:
                    return self.mismatch(fn, guard, index, dtype, problem, done, total)
        dtypes = sorted({d for c in self.cases for d in c["dtypes"]}, reverse=True)
        return {
            "status": "pass",
            "exit": EXIT_PASS,
            "cases_run": done,
            "cases_total": total,
            "dtypes": dtypes,
        }

    def load_student(self, source: str, filename: str) -> Any:
        namespace = _namespace("student")
        namespace["__file__"] = filename
        if not self.job.get("allow_studykit"):
            namespace["__builtins__"] = _without_studykit()
        try:
            code = compile(source, filename, "exec")
        except SyntaxError as error:
            raise CannotRunError(
                "cannot-run",
                f"{filename}:{error.lineno}: syntax error: {error.msg}",
                f"{filename}:{error.lineno}: 문법 오류: {error.msg}",
            ) from None
        try:
            with call_timer(self.seconds):
                exec(code, namespace)
        except CallTimeout:
            raise CannotRunError(
                "cannot-run",
                f"{filename}: loading the file took longer than {self.seconds:g} s",
                f"{filename}: 파일을 불러오는 데 {self.seconds:g}초 넘게 걸렸습니다",
            ) from None
        except (Exception, RecursionError, MemoryError) as error:
            line = student_line(
                filename, error.__traceback__.tb_frame if error.__traceback__ else None
            )
            frames = [
                f for f in traceback.extract_tb(error.__traceback__) if f.filename == filename
            ]
            where = f"{filename}:{frames[-1].lineno if frames else line or 1}"
            text = f"{type(error).__name__}: {error}"
            raise CannotRunError(
                "cannot-run",
                f"{where}: error while loading the file: {text}",
                f"{where}: 파일을 불러오다 오류가 났습니다: {text}",
            ) from None
        fn = namespace.get(self.job["function"])
        if not callable(fn):
            name = self.job["function"]
            raise CannotRunError(
                "cannot-run",
                f"{filename}: defines no function {name!r} (the drill checks that name)",
                f"{filename}: {name!r} 함수가 없습니다(드릴은 이 이름을 검사합니다)",
            )
        return fn

    def failed(self, index: int, dtype: str, got: Failure, done: int, total: int) -> dict[str, Any]:
        inputs = make_inputs(self.cases[index], dtype, case_seed(self.job["id"], index))
        failure = self.describe(index, dtype, inputs, None, None)
        failure.update({"kind": got.kind, "message": got.en, "message_ko": got.ko})
        if got.kind == "error":
            failure["misconception"] = self.diagnose_error(got.error, index, dtype)
        return _fail(failure, done, total)

    def describe(
        self, index: int, dtype: str, inputs: dict[str, Any], dims: Any, shrunk: Any
    ) -> dict[str, Any]:
        case = self.cases[index]
        return {
            "case": case["name"]["en"],
            "case_ko": case["name"]["ko"],
            "case_index": index,
            "dtype": dtype,
            "input": {name: show(value) for name, value in inputs.items()},
            "shrunk_from": shrunk,
            "expected": None,
            "got": None,
            "misconception": None,
        }

    # --- a wrong answer: shrink it, then name the mistake ---------------------------------------

    def mismatch(
        self, fn: Any, guard: Guard, index: int, dtype: str, problem: Problem, done: int, total: int
    ) -> dict[str, Any]:
        dims, small = self.shrink(fn, guard, index, dtype, problem)
        inputs, want = self.observe(self.reference, index, dtype, dims, small)
        got = self.student(fn, guard, index, dtype, dims, small)
        final = None if isinstance(got, Failure) else compare(want, got, self.tolerance(dtype))
        if final is None:  # the shrunk case no longer fails the same way: report the original
            dims, small, final = None, False, problem
            inputs, want = self.observe(self.reference, index, dtype)
            got = self.student(fn, guard, index, dtype, None, False)
        if isinstance(got, Failure):
            return self.failed(index, dtype, got, done, total)
        case = self.cases[index]
        original = {n: case["dims"][n] for n in shape_dims(case)}
        changed = (dims is not None and any(dims[n] != original[n] for n in original)) or small
        failure = self.describe(index, dtype, inputs, dims, original if changed else None)
        failure.update(
            {
                "kind": final.kind,
                "observation": final.name,
                "message": final.message,
                "message_ko": final.message_ko,
                "expected": show(
                    final.expected if final.expected is not None else want.get(final.name)
                ),
                "got": show(final.got if final.got is not None else got.get(final.name)),
                "misconception": self.diagnose(got, want, index, dtype, dims, small),
            }
        )
        return _fail(failure, done, total)

    def fails_alike(
        self,
        fn: Any,
        guard: Guard,
        index: int,
        dtype: str,
        dims: Any,
        small: bool,
        problem: Problem,
    ) -> bool:
        if self.runs >= MAX_SHRINK_RUNS:
            return False
        try:  # a smaller case the drill itself cannot run (a class index past C) is no smaller case
            _, want = self.observe(self.reference, index, dtype, dims, small)
        except Exception:
            return False
        got = self.student(fn, guard, index, dtype, dims, small)
        if isinstance(got, Failure):
            return False
        again = compare(want, got, self.tolerance(dtype))
        return again is not None and (again.kind, again.name) == (problem.kind, problem.name)

    def shrink(
        self, fn: Any, guard: Guard, index: int, dtype: str, problem: Problem
    ) -> tuple[dict[str, int] | None, bool]:
        case = self.cases[index]
        names = shape_dims(case)
        if not names:
            return None, False
        dims = {n: case["dims"][n] for n in names}
        for name in names:
            for size in range(1, dims[name]):
                trial = {**dims, name: size}
                if self.fails_alike(fn, guard, index, dtype, trial, False, problem):
                    dims = trial
                    break
        small = self.fails_alike(fn, guard, index, dtype, dims, True, problem)
        return dims, small

    def diagnose(
        self,
        got: dict[str, Any],
        want: dict[str, Any],
        index: int,
        dtype: str,
        dims: Any,
        small: bool,
    ) -> dict[str, Any] | None:
        tolerance = self.tolerance(dtype)
        for mistake in self.job["mistakes"]:
            try:
                wrong = load_code(mistake["code"], self.job["function"], f"mistake {mistake['id']}")
                with call_timer(self.seconds):
                    _, theirs = self.observe(wrong, index, dtype, dims, small)
            except Exception:
                continue
            except CallTimeout:
                continue
            if (
                compare(theirs, got, tolerance) is None
                and compare(want, theirs, tolerance) is not None
            ):
                return {"id": mistake["id"], "feedback": mistake["feedback"]}
        return None

    def diagnose_error(self, error: str, index: int, dtype: str) -> dict[str, Any] | None:
        """The planted mistake that raises the same error on this case, if one does."""
        for mistake in self.job["mistakes"]:
            try:
                wrong = load_code(mistake["code"], self.job["function"], f"mistake {mistake['id']}")
                with call_timer(self.seconds):
                    self.observe(wrong, index, dtype)
            except CallTimeout:
                continue
            except Exception as raised:
                if _error_text(raised) == error:
                    return {"id": mistake["id"], "feedback": mistake["feedback"]}
        return None


def _fail(failure: dict[str, Any], done: int, total: int) -> dict[str, Any]:
    return {
        "status": "fail",
        "exit": EXIT_FAIL,
        "cases_run": done,
        "cases_total": total,
        "failure": failure,
    }


def _error_text(error: BaseException) -> str:
    first = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


def _copy(value: Any) -> Any:
    return value.detach().clone() if isinstance(value, torch.Tensor) else copy.deepcopy(value)


def _unchanged(before: Any, after: Any) -> bool:
    if isinstance(before, torch.Tensor):
        if not isinstance(after, torch.Tensor) or before.shape != after.shape:
            return False
        after = after.detach()
        if before.is_floating_point():
            return bool(
                torch.equal(torch.nan_to_num(before, nan=0.5), torch.nan_to_num(after, nan=0.5))
            )
        return bool(torch.equal(before, after))
    return bool(before == after)


def _broken(drill_id: str, en: str, ko: str) -> CannotRunError:
    return CannotRunError(
        "drill-error",
        f"drill {drill_id} is broken: {en}; please report it",
        f"드릴 {drill_id}에 문제가 있습니다: {ko}. 알려 주십시오",
    )


def _without_studykit() -> dict[str, Any]:
    """Builtins whose ``import`` refuses studykit: the drill is to write it, not to import it."""
    real = builtins.__import__

    def guarded_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "studykit" or name.startswith("studykit."):
            raise ImportError(
                f"import {name}: studykit's own implementation is what this drill asks you to "
                "write (torch and the standard library are yours to use)"
            )
        return real(name, *args, **kwargs)

    return {**vars(builtins), "__import__": guarded_import}


def run(
    job: dict[str, Any],
    source: str,
    filename: str,
    events: Callable[[dict[str, Any]], None] = lambda event: None,
) -> dict[str, Any]:
    """Check ``source`` (the text of ``filename``) against the drill ``job``; return the result."""
    torch.set_num_threads(1)
    try:
        try:
            check = Check(job, events)
        except Exception as error:  # the drill's code is contributed content
            text = _error_text(error)
            raise _broken(job["id"], f"its code raised {text} as it was loaded",
                          f"드릴의 코드를 불러오다 오류가 났습니다: {text}") from None  # fmt: skip
        result = check.run(source, filename)
    except CannotRunError as error:
        result = {
            "status": error.status,
            "exit": EXIT_CANNOT_RUN,
            "message": error.en,
            "message_ko": error.ko,
        }
        if error.status == "not-started":
            result["exit"] = EXIT_FAIL
    except ForbiddenCall as error:
        where = f"{filename}:{error.line}" if error.line else filename
        called = f"{error.shown} (seen as {error.name})" if error.shown else error.name
        called_ko = f"{error.shown}({error.name}로 확인)" if error.shown else error.name
        result = {
            "status": "forbidden",
            "exit": EXIT_CANNOT_RUN,
            "message": f"{where} calls {called}, which this drill asks you to write yourself",
            "message_ko": f"{where}에서 {called_ko}을(를) 부릅니다. 이 드릴은 그 연산을 직접 "
            "작성하는 연습입니다",
            "forbidden_call": {"op": error.name, "file": filename, "line": error.line},
        }
    except Exception as error:  # one line, never a traceback
        text = _error_text(error)
        result = {
            "status": "check-error",
            "exit": EXIT_CANNOT_RUN,
            "message": f"the check itself failed ({text}); did your code change torch?",
            "message_ko": f"검사 자체가 실패했습니다({text}). 작성한 코드가 torch를 바꾸었습니까?",
        }
    result["id"] = job["id"]
    result["passed"] = result["status"] == "pass"
    result.setdefault("cases_run", 0)
    result.setdefault("failure", None)
    return result
