"""``studykit drill``: the command-line contracts, and what a check finds in a student's file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studykit.cli import main
from studykit.drills.commands import default_drills_dir
from studykit.drills.judge import run
from studykit.drills.spec import load_drill

pytestmark = pytest.mark.usefixtures("english_locale")  # tests/conftest.py

SOFTMAX = default_drills_dir() / "activations" / "softmax.yaml"

GOOD = """import torch

def softmax(x, dim):
    shifted = x - x.max(dim=dim, keepdim=True).values
    e = shifted.exp()
    return e / e.sum(dim=dim, keepdim=True)
"""
NAIVE = """def softmax(x, dim):
    e = x.exp()
    return e / e.sum(dim=dim, keepdim=True)
"""
TRANSPOSED = """def softmax(x, dim):
    e = (x - x.max(dim=dim, keepdim=True).values).exp()
    return (e / e.sum(dim=dim, keepdim=True)).T
"""


def check_json(tmp_path: Path, source: str, *extra: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    path = tmp_path / "answer.py"
    path.write_text(source, encoding="utf-8")
    db = tmp_path / "progress.sqlite3"
    out = subprocess.run(
        [sys.executable, "-m", "studykit", "drill", "check", "softmax", "--file", str(path),
         "--db", str(db), "--json", *extra],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    return out.returncode, json.loads(out.stdout)


# --- the judge, in this process -----------------------------------------------------------------


def judge(source: str, **job_changes: object) -> dict:  # type: ignore[type-arg]
    job = {**load_drill(SOFTMAX).to_job(), **job_changes}
    return run(job, source, "/student/softmax.py")


def test_a_correct_solution_passes_every_case_in_both_dtypes() -> None:
    result = judge(GOOD)
    assert result["status"] == "pass" and result["exit"] == 0
    assert result["cases_run"] == sum(len(c.dtypes) for c in load_drill(SOFTMAX).cases)


def test_overflow_is_diagnosed_as_the_missing_max_shift() -> None:
    result = judge(NAIVE)
    failure = result["failure"]
    assert result["exit"] == 1 and failure["case"] == "large scores"
    assert failure["misconception"]["id"] == "no-max-shift"
    assert "nan" in failure["got"]


def test_a_failing_case_is_shrunk_to_its_smallest_input() -> None:
    failure = judge(TRANSPOSED)["failure"]
    assert failure["kind"] == "shape"
    assert failure["shrunk_from"] == {"N": 4, "C": 5}
    assert failure["input"]["x"].startswith("shape (1, 2)")  # (1, 1) would not fail: same shape
    assert "expected shape (1, 2), got (2, 1)" in failure["message"]


def test_a_forbidden_call_is_refused_with_its_line_even_when_caught() -> None:
    source = (
        "import torch\n"
        "def softmax(x, dim):\n"
        "    try:\n"
        "        return torch.nn.Softmax(dim)(x)\n"
        "    except BaseException:\n"
        "        return x\n"
    )
    result = judge(source)
    assert result["status"] == "forbidden" and result["exit"] == 2
    assert result["forbidden_call"] == {
        "op": "torch.nn.functional.softmax",
        "file": "/student/softmax.py",
        "line": 4,
    }


def test_the_dtype_of_the_input_is_kept() -> None:
    source = GOOD.replace("return e /", "return (e /").replace(
        "keepdim=True)\n", "keepdim=True)).double()\n"
    )
    failure = judge(source)["failure"]
    assert failure["kind"] == "dtype" and failure["dtype"] == "float32"


def test_an_input_changed_in_place_fails() -> None:
    source = (
        "def softmax(x, dim):\n"
        "    x.sub_(x.max(dim=dim, keepdim=True).values)\n"
        "    e = x.exp()\n"
        "    return e / e.sum(dim=dim, keepdim=True)\n"
    )
    job = load_drill(SOFTMAX).to_job()
    job["cases"] = [dict(c, grad=[]) for c in job["cases"]]  # a leaf with grad refuses sub_
    failure = run(job, source, "/student/softmax.py")["failure"]
    assert failure["kind"] == "in-place"
    assert "changed its input x in place" in failure["message"]


def test_a_result_cut_off_from_autograd_is_named() -> None:
    source = GOOD.replace("return e /", "return torch.tensor((e /").replace(
        "keepdim=True)\n", "keepdim=True)).tolist())\n"
    )
    failure = judge(source)["failure"]
    assert failure["kind"] == "graph"


def test_the_untouched_stub_is_not_started() -> None:
    result = judge("def softmax(x, dim):\n    raise NotImplementedError\n")
    assert (result["status"], result["exit"]) == ("not-started", 1)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("def softmax(x, dim)\n    return x\n", "/student/softmax.py:1: syntax error"),
        ("import no_such_module_here\n", "error while loading the file: ModuleNotFoundError"),
        ("def soft_max(x, dim):\n    return x\n", "defines no function 'softmax'"),
    ],
)
def test_code_that_cannot_run_says_why_in_one_line(source: str, message: str) -> None:
    result = judge(source)
    assert (result["status"], result["exit"]) == ("cannot-run", 2)
    assert message in result["message"] and "\n" not in result["message"]


def test_a_crash_inside_the_function_names_its_line() -> None:
    failure = judge("def softmax(x, dim):\n    return x / undefined_name\n")["failure"]
    assert failure["kind"] == "error"
    assert failure["message"] == "raised NameError: name 'undefined_name' is not defined (line 2)"


# --- the command line, as a student runs it -------------------------------------------------------


def test_start_writes_a_stub_and_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(tmp_path / "p.sqlite3")]
    assert main(["drill", "start", "softmax", "--dir", str(tmp_path / "ws"), *db]) == 0
    stub = tmp_path / "ws" / "softmax.py"
    text = stub.read_text(encoding="utf-8")
    assert "def softmax(x: torch.Tensor, dim: int) -> torch.Tensor:" in text
    assert "raise NotImplementedError" in text and "소프트맥스" in text and "TODO" in text
    compile(text, str(stub), "exec")
    stub.write_text(GOOD, encoding="utf-8")
    capsys.readouterr()
    assert main(["drill", "start", "softmax", "--dir", str(tmp_path / "ws"), *db]) == 0
    assert "already exists" in capsys.readouterr().out
    assert stub.read_text(encoding="utf-8") == GOOD


def test_check_json_contract_and_exit_statuses(tmp_path: Path) -> None:
    code, data = check_json(tmp_path, NAIVE)
    assert code == 1
    assert {"id", "passed", "cases_run", "failure"} <= set(data)
    assert {"case", "input", "expected", "got", "message", "misconception"} <= set(data["failure"])
    assert data["failure"]["misconception"]["id"] == "no-max-shift"
    code, data = check_json(tmp_path, GOOD)
    assert (code, data["passed"], data["failure"]) == (0, True, None)
    code, data = check_json(
        tmp_path, "import torch\ndef softmax(x, dim):\n    return x.softmax(dim)\n"
    )
    assert code == 2 and data["forbidden_call"]["op"] == "torch.Tensor.softmax"


def test_a_hanging_solution_fails_within_the_limit(tmp_path: Path) -> None:
    started = time.monotonic()
    code, data = check_json(tmp_path, "def softmax(x, dim):\n    while True:\n        pass\n",
                            "--time-limit", "0.5")  # fmt: skip
    assert code == 1 and data["failure"]["kind"] == "timeout"
    assert "did not finish within 0.5 s" in data["message"]
    assert time.monotonic() - started < 30


def test_a_solution_that_kills_its_process_fails_with_a_clear_line(tmp_path: Path) -> None:
    code, data = check_json(tmp_path, "import os\ndef softmax(x, dim):\n    os._exit(3)\n")
    assert code == 1 and data["status"] == "crashed"
    assert "ended the check process (exit status 3) during case" in data["message"]


def test_a_solution_that_eats_memory_fails_instead_of_filling_the_machine(tmp_path: Path) -> None:
    source = "import torch\ndef softmax(x, dim):\n    big = torch.ones(2**31)\n    return x\n"
    code, data = check_json(tmp_path, source)
    assert code == 1 and data["failure"]["kind"] == "error"


def test_the_students_prints_are_kept_and_cut(tmp_path: Path) -> None:
    source = GOOD.replace("def softmax(x, dim):\n", "def softmax(x, dim):\n    print('x' * 2000)\n")
    code, data = check_json(tmp_path, source)
    assert code == 0 and data["output"].endswith("[output cut at 500 characters]")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["drill", "check", "nope"], "unknown drill 'nope'"),
        (["drill", "check", "softmax", "--file", "/no/such/file.py"], "no file /no/such/file.py"),
        (["drill", "list", "--topic", "nope"], "unknown --topic 'nope'"),
    ],
)
def test_usage_errors_are_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_progress_review_and_stats_include_drills(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = ["--db", str(tmp_path / "p.sqlite3")]
    ws = tmp_path / "ws"
    assert main(["drill", "start", "softmax", "--dir", str(ws), *db]) == 0
    (ws / "softmax.py").write_text(NAIVE, encoding="utf-8")
    assert main(["drill", "check", "softmax", "--dir", str(ws), *db]) == 1
    (ws / "softmax.py").write_text(GOOD, encoding="utf-8")
    assert main(["drill", "check", "softmax", "--dir", str(ws), *db]) == 0
    capsys.readouterr()
    assert main(["stats", "--json", *db]) == 0
    drills = json.loads(capsys.readouterr().out)["drills"]
    assert (drills["tried"], drills["passed"], drills["checks"]) == (1, 1, 2)
    monkeypatch.setenv("STUDYKIT_NOW", "2030-01-01T00:00:00+00:00")
    assert main(["review", "--json", *db]) == 0
    assert json.loads(capsys.readouterr().out)["drills_due"] == ["softmax"]
    assert main(["drill", "start", "softmax", "--dir", str(ws), *db]) == 0
    assert "moved to" in capsys.readouterr().out
    assert (ws / "softmax.attempt-1.py").read_text(encoding="utf-8") == GOOD
    assert "raise NotImplementedError" in (ws / "softmax.py").read_text(encoding="utf-8")


def test_list_json_names_every_drill_with_its_progress(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["drill", "list", "--json", "--db", str(tmp_path / "p.sqlite3")]) == 0
    listed = {d["id"]: d for d in json.loads(capsys.readouterr().out)}
    assert listed["softmax"]["topic"] == "activations"
    assert listed["softmax"]["passed"] is False
    assert "torch.softmax" in listed["softmax"]["forbidden"]


def test_korean_report_reads_korean(tmp_path: Path) -> None:
    path = tmp_path / "answer.py"
    path.write_text(NAIVE, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "studykit", "drill", "check", "softmax", "--file", str(path),
         "--db", str(tmp_path / "p.sqlite3"), "--lang", "ko"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 1
    assert "'큰 점수'(float32)에서 틀렸습니다" in out.stdout
    assert (
        "결과: 값 6개 중 4개가 다릅니다" in out.stdout and "흔한 실수(no-max-shift)" in out.stdout
    )


def test_watch_checks_again_on_every_save(tmp_path: Path) -> None:
    path = tmp_path / "softmax.py"
    path.write_text(NAIVE, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "studykit", "drill", "check", "softmax", "--file", str(path),
         "--db", str(tmp_path / "p.sqlite3"), "--watch"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        assert process.stdout is not None and process.stderr is not None
        first = _read_until(process.stdout, "Likely mistake")
        assert "✗ softmax" in first
        _read_until(process.stderr, "Checking again on every save")
        time.sleep(0.3)
        saved = time.monotonic()
        path.write_text(GOOD, encoding="utf-8")
        second = _read_until(process.stdout, "✓ softmax")
        waited = time.monotonic() - saved
        assert "all 12 checks passed" in second
        assert waited < 3.0  # the benchmark (benchmarks/drills.py) reports the real figure
    finally:
        process.terminate()
        process.wait(timeout=10)


def _read_until(stream, marker: str) -> str:  # type: ignore[no-untyped-def]
    seen = ""
    deadline = time.monotonic() + 60
    while marker not in seen:
        line = stream.readline()
        if not line or time.monotonic() > deadline:
            raise AssertionError(f"no {marker!r} in {seen!r}")
        seen += line
    return seen


def test_importing_studykits_own_implementation_is_refused() -> None:
    failure = judge("from studykit.activations import softmax\n")
    assert failure["status"] == "cannot-run"
    assert (
        "studykit's own implementation is what this drill asks you to write" in failure["message"]
    )


def test_an_error_in_the_drills_own_code_is_the_drills_not_the_students() -> None:
    job = load_drill(SOFTMAX).to_job()
    job["torch"] = "def softmax(x, dim):\n    raise ValueError('oops')\n"
    result = run(job, GOOD, "/student/softmax.py")
    assert (result["status"], result["exit"]) == ("drill-error", 2)
    assert "its torch code raised ValueError: oops on case" in result["message"]
