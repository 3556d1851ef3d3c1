"""``studykit grade``: a class's answers graded against a worksheet's key file.

The right answers are written from the key the way a student would (each entry rounded to the
stated precision), the wrong ones from a misconception's value the same way; the grader must
find every right one right and name the misconception, without the question folder.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from studykit.cli import main
from studykit.exports import grade
from studykit.exports.items import ExportItem, Selection, collect
from studykit.exports.output import ExportSettings
from studykit.exports.worksheet import key_path, write
from studykit.questions.checking import Precision
from studykit.questions.commands import default_questions_dir
from studykit.questions.template import load_bank
from tests.export_support import KIND_TEMPLATES

IDS = KIND_TEMPLATES[:6]  # every answer kind
SEED = 40


@pytest.fixture(scope="module")
def items() -> list[ExportItem]:
    bank = load_bank(default_questions_dir())
    return collect(bank, Selection(ids=IDS), variants=2, seed=SEED, lang="en")


@pytest.fixture(scope="module")
def key(items: list[ExportItem], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("key") / "sheet.html"
    write(items, out, ExportSettings(seed=SEED, variants=2, pdf=False))
    return key_path(out)


def _version(items: list[ExportItem], number: int) -> list[ExportItem]:
    return [one for one in items if one.seed == SEED + number - 1]


def _rounded(x: float, precision: Precision | None) -> str:
    if precision is None or precision.exact:
        return repr(x) if x != int(x) else str(int(x))
    if precision.decimals is not None:
        return f"{x:.{precision.decimals}f}"
    return f"{x:.{precision.sigfigs}g}"


def _written(value: Any, one: ExportItem) -> str:
    """``value`` (the key's or a misconception's) as a student writes it, rounded as asked."""
    if one.kind == "shape":
        sizes = [str(int(n)) for n in value]
        return "(" + ", ".join(sizes) + ("," if len(sizes) == 1 else "") + ")"
    if one.kind in ("choice", "expression"):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_written(v, one) for v in value) + "]"
    return _rounded(float(value), one.key.precision)


def _mistake(one: ExportItem) -> tuple[str, str]:
    """The first misconception a student can write in the key's shape: (name, answer)."""
    for m in one.misconceptions:
        if one.kind in ("choice", "expression") or len(one.entries(m.value)) == len(one.entries()):
            return m.name, _written(m.value, one)
    raise AssertionError(f"{one.ref}: no misconception of the key's shape")


def _class_csv(path: Path, items: list[ExportItem], excel: bool = False) -> dict[str, Any]:
    """Three students: all right (version 1), misconceptions (version 2), nonsense (version 1).

    ``excel``: saved the way Excel saves "CSV UTF-8" (a BOM, CRLF line ends).
    """
    first, second = _version(items, 1), _version(items, 2)
    right = [_written(one.key.value, one) for one in first]
    wrong = {k: _mistake(one) for k, one in enumerate(second, start=1) if one.misconceptions}
    answers = [_written(one.key.value, one) for one in second]
    for k, (_, answer) in wrong.items():
        answers[k - 1] = answer
    nonsense = ["hello"] + [""] * (len(IDS) - 1)
    header = ["version", "student", *(f"q{k}" for k in range(1, len(IDS) + 1)), "email"]
    rows = [header, ["1", "Kim Minji", *right, "k@x"], ["2", "Lee Jun", *answers, ""]]
    rows.append(["1", "Park", *nonsense, ""])
    with path.open("w", encoding="utf-8-sig" if excel else "utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n" if excel else "\n").writerows(rows)
    return {"wrong": wrong, "count": len(IDS)}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_grades_a_class(
    key: Path, items: list[ExportItem], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "answers.csv"
    made = _class_csv(answers, items)
    wrong: dict[int, tuple[str, str]] = made["wrong"]
    assert len(wrong) >= 4  # tensor, choice, integer, number questions have misconceptions
    assert main(["grade", str(key), str(answers), "--lang", "en"]) == 0
    out, err = capsys.readouterr()
    rows = _read(tmp_path / "answers.graded.csv")
    assert [r["student"] for r in rows] == ["Kim Minji", "Lee Jun", "Park"]
    kim, lee, park = rows
    for k in range(1, len(IDS) + 1):
        assert (kim[f"q{k}"], kim[f"q{k}_mistake"]) == ("✓", "")
        if k in wrong:
            assert (lee[f"q{k}"], lee[f"q{k}_mistake"]) == ("✗", wrong[k][0])
        else:
            assert lee[f"q{k}"] == "✓"
    assert (kim["score"], kim["out_of"]) == (str(len(IDS)), str(len(IDS)))
    assert lee["score"] == str(len(IDS) - len(wrong))
    assert (park["q1"], park["q1_mistake"], park["q2_mistake"]) == (
        "✗",
        "(not understood)",
        "(no answer)",
    )
    assert park["score"] == "0"
    # The summary names every misconception with its question, and the scores.
    for k, (name, _) in wrong.items():
        assert any(name in line and f"q{k} ({IDS[k - 1]})" in line for line in out.splitlines())
    mean = (len(IDS) + len(IDS) - len(wrong)) / 3
    assert f"3 students, mean score {mean:.2f} of {len(IDS)}" in out
    assert err.strip().splitlines() == [
        f"{answers}, line 4, column q1: not understood "
        "(expected a shape like (2, 3), found 'hello' at position 1)"
    ]


def test_korean_summary(
    key: Path, items: list[ExportItem], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "반.csv"
    made = _class_csv(answers, items, excel=True)
    assert (
        answers.read_bytes().startswith(b"\xef\xbb\xbfversion,") and b"\r\n" in answers.read_bytes()
    )
    out = tmp_path / "채점.csv"
    assert main(["grade", str(key), str(answers), "-o", str(out), "--lang", "ko"]) == 0
    printed = capsys.readouterr().out
    assert "자주 나온 오개념" in printed and "점수 분포" in printed
    mean = (2 * len(IDS) - len(made["wrong"])) / 3
    assert f"학생 3명, 평균 {mean:.2f}점({len(IDS)}점 만점)" in printed
    assert f"{out}에 저장했습니다." in printed
    kim, _, park = _read(out)
    assert kim["score"] == str(len(IDS))
    assert (park["q1_mistake"], park["q2_mistake"]) == ("(읽을 수 없는 답)", "(무응답)")


def _error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["grade", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err.strip()


def _answers(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "student,version,q1,q2,q3,q4,q5,q6\n"


def test_bad_answers(key: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.csv"
    _answers(path, "student,version,q1,q2,q4,q5,q6\nKim,1,,,,,\n")
    assert _error(capsys, str(key), str(path)).endswith(
        "a.csv, line 1: missing column q3 (the header needs student, version, q1 to q6)"
    )
    _answers(path, "Kim,1,(2, 3),,,,,\n")  # no header row
    assert "a.csv, line 1: missing column student" in _error(capsys, str(key), str(path))
    _answers(path, HEADER + "Kim,1,,,,,,\nLee,3,,,,,,\n")
    assert _error(capsys, str(key), str(path)).endswith(
        "a.csv, line 3, column version: no version '3' in the key (1 to 2)"
    )
    _answers(path, HEADER + "Kim,,,,,,,\n")
    assert "line 2, column version: no version nothing" in _error(capsys, str(key), str(path))
    _answers(path, HEADER + "Kim,1," + "1" * 2001 + ",,,,,\n")
    assert _error(capsys, str(key), str(path)).endswith(
        "a.csv, line 2, column q1: over 2000 characters"
    )
    _answers(path, HEADER.replace("q6", "q6,q7") + "Kim,1,,,,,,,\n")
    assert "line 1, column q7: the key has 6 questions" in _error(capsys, str(key), str(path))
    _answers(path, HEADER + "Kim,1,,,,,,,,,\n")
    assert "line 2: 11 cells, the header has 8" in _error(capsys, str(key), str(path))
    _answers(path, HEADER)
    assert "no students below the header row" in _error(capsys, str(key), str(path))
    path.write_bytes(HEADER.encode() + b"Kim,1,\xff\n")
    assert "a.csv: not UTF-8 text" in _error(capsys, str(key), str(path))
    assert "missing.csv: cannot read" in _error(capsys, str(key), str(tmp_path / "missing.csv"))
    _answers(path, HEADER + "Kim,1,,,,,,\n")
    assert "would overwrite the answers" in _error(capsys, str(key), str(path), "-o", str(path))


def test_too_many_rows(
    key: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(grade, "MAX_ROWS", 3)
    path = _answers(tmp_path / "a.csv", HEADER + "Kim,1,,,,,,\n" * 4)
    assert _error(capsys, str(key), str(path)).endswith("a.csv, line 5: more than 3 students")


def test_bad_key(key: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = _answers(tmp_path / "a.csv", HEADER + "Kim,1,,,,,,\n")
    broken = tmp_path / "k.json"
    broken.write_text('{"format": ', encoding="utf-8")
    assert "k.json, line 1: not JSON" in _error(capsys, str(broken), str(answers))
    broken.write_text("[1, 2]", encoding="utf-8")
    assert "k.json: not a worksheet key" in _error(capsys, str(broken), str(answers))
    data = json.loads(key.read_text(encoding="utf-8"))
    data["versions"][1]["questions"][4]["data"]["key"]["precision"] = {"sigfigs": -1}
    broken.write_text(json.dumps(data), encoding="utf-8")
    assert "k.json: version 2, question 5: bad key (precision sigfigs must be an int >= 1" in (
        _error(capsys, str(broken), str(answers))
    )
    del data["versions"][1]["questions"][0]["data"]
    broken.write_text(json.dumps(data), encoding="utf-8")
    assert "version 2, question 1: bad key (missing 'data')" in (
        _error(capsys, str(broken), str(answers))
    )
