r"""Grading a class's worksheet answers (채점): ``studykit grade sheet.key.json answers.csv``.

The key is the ``.key.json`` file `studykit.exports.worksheet` writes beside the sheet; the
questions are not needed again, since each question's key (value, precision, options, domain)
and misconceptions (오개념: value and feedback) are rebuilt from it and every answer is graded
by `studykit.questions.checking.check`, the same grader as ``studykit check`` and the site.

**The answers CSV** (UTF-8, a BOM from Excel is fine): a header row naming the columns, then
one row per student:

```text
student,version,q1,q2,q3
Kim Minji,1,"(6, 2)","[[13, 23], [8, 7]]",A
Lee Jun,2,"(2, 4, 5)",,C
```

``student`` is any name, ``version`` the number printed on the student's sheet (1, 2, ...;
not the seed), ``q1``, ``q2``, ... the answers as typed on the site (a tensor as nested lists,
a shape as ``(2, 3)``, a choice as its letter or number, a formula as text). Columns may come
in any order; other columns (an e-mail, a class) are ignored. An empty cell is "no answer", an
answer the parser cannot read is "not understood" (both graded wrong, the latter also named on
stderr with its line and column). At most `MAX_ROWS` students and `MAX_CELL` characters a cell.

**The graded CSV** (default ``answers.graded.csv`` beside the answers; UTF-8 with a BOM, so
spreadsheets show ✓ and Hangul): ``student``, ``version``, then per question ``qK`` (✓ or ✗)
and ``qK_mistake`` (the misconception the wrong answer matches, or "(no answer)" / "(not
understood)"), then ``score`` (questions right) and ``out_of``. The summary printed after it
lists the commonest misconceptions (misconception, question, count) and the distribution of
scores; ``--lang ko`` prints it and the notes in Korean.

Example:
    ``studykit grade sheet.key.json answers.csv -o graded.csv --lang ko``

Common mistakes:
    - Writing the seed in the ``version`` column: use the version printed on the sheet.
    - Rounding coarser than the sheet asks (0.7 for a key of 0.6667 at 3 significant figures):
      graded wrong, as on the site; the precision is part of the question.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from studykit.exports.items import ExportError
from studykit.questions.answer_messages import AnswerError
from studykit.questions.checking import Key, Misconception, check
from studykit.questions.expression_samples import DEFAULT_DOMAIN
from studykit.questions.precision import Precision, Tolerance

__all__ = [
    "MAX_CELL",
    "MAX_ROWS",
    "Graded",
    "Question",
    "Student",
    "default_output",
    "grade",
    "read_answers",
    "read_key",
    "run",
]

MAX_ROWS = 10_000
"""Most students (data rows) in one answers file."""
MAX_CELL = 2_000
"""Most characters in one cell (the answer parser's own budget)."""
MAX_KEY_BYTES = 64 * 2**20
MAX_ANSWERS_BYTES = 32 * 2**20
MAX_WARNINGS = 20
"""Most "not understood" lines printed; the rest are counted."""
RIGHT, WRONG = "✓", "✗"

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "no_answer": "(no answer)",
        "not_understood": "(not understood)",
        "mistakes": "Commonest mistakes",
        "misconception": "Misconception",
        "question": "Question",
        "count": "Count",
        "none": "No answer matched a known misconception.",
        "scores": "Scores",
        "score": "Score",
        "students": "Students",
        "mean": "{students} students, mean score {mean:.2f} of {out_of}",
        "other": "Other wrong answers: {other}; no answer: {blank}; not understood: {unread}",
        "wrote": "Wrote {path}",
        "more": "... and {count} more answers not understood",
    },
    "ko": {
        "no_answer": "(무응답)",
        "not_understood": "(읽을 수 없는 답)",
        "mistakes": "자주 나온 오개념",
        "misconception": "오개념",
        "question": "문항",
        "count": "횟수",
        "none": "알려진 오개념과 일치한 답이 없습니다.",
        "scores": "점수 분포",
        "score": "점수",
        "students": "학생 수",
        "mean": "학생 {students}명, 평균 {mean:.2f}점({out_of}점 만점)",
        "other": "그 밖의 오답: {other}개, 무응답: {blank}개, 읽을 수 없는 답: {unread}개",
        "wrote": "{path}에 저장했습니다.",
        "more": "... 읽을 수 없는 답이 {count}개 더 있습니다",
    },
}


@dataclass(frozen=True)
class Question:
    """One question of one version, as the key file gives it."""

    number: int
    ref: str
    key: Key
    misconceptions: tuple[Misconception, ...]


@dataclass(frozen=True)
class Student:
    """One row of the answers file: its line, the student, the version, and the answers."""

    line: int
    name: str
    version: int
    answers: tuple[str, ...]


@dataclass(frozen=True)
class Graded:
    """One student graded.

    Per question: whether it is right, the note (the misconception, "(no answer)" or "(not
    understood)") and, for an answer not understood, the parser's message.
    """

    student: Student
    right: tuple[bool, ...]
    notes: tuple[str, ...]
    unread: tuple[str, ...]

    @property
    def score(self) -> int:
        """How many questions are right."""
        return sum(self.right)


def run(key_path: Path, answers_path: Path, out_path: Path | None, lang: str = "en") -> int:
    """Grade ``answers_path`` against ``key_path``; write the graded CSV and print a summary.

    Returns:
        0 (the exit status).

    Raises:
        ExportError: A bad key or answers file (one line naming file, line and column), or the
            graded CSV cannot be written.
    """
    from studykit.exports.output import atomic_write

    words = LABELS.get(lang, LABELS["en"])
    versions = read_key(key_path)
    students = read_answers(answers_path, versions)
    out = out_path or default_output(answers_path)
    if out.resolve() == answers_path.resolve():
        raise ExportError(f"-o {out}: would overwrite the answers; name another file")
    graded = [grade(s, versions[s.version], answers_path, lang) for s in students]
    _warn(graded, answers_path, words)
    count = len(next(iter(versions.values())))
    atomic_write(out, graded_csv(graded, count).encode("utf-8-sig"))
    summary(graded, versions, words)
    print(words["wrote"].format(path=out))
    return 0


def default_output(answers_path: Path) -> Path:
    """``answers.csv`` -> ``answers.graded.csv`` beside it."""
    return answers_path.with_name(f"{answers_path.stem}.graded.csv")


# --- the key -----------------------------------------------------------------------------


def read_key(path: Path) -> dict[int, list[Question]]:
    """The key file's questions by version number (from 1).

    Raises:
        ExportError: The file cannot be read, is not JSON, or is not a worksheet key.
    """
    from studykit.exports.worksheet import KEY_FORMAT

    data = _load_json(path)
    if not isinstance(data, dict) or data.get("format") != KEY_FORMAT:
        raise ExportError(f'{path}: not a worksheet key (no "format": "{KEY_FORMAT}")')
    entries = data.get("versions")
    if not isinstance(entries, list) or not entries:
        raise ExportError(f"{path}: the key lists no versions")
    versions: dict[int, list[Question]] = {}
    for entry in entries:
        number, questions = _version(path, entry)
        versions[number] = questions
    counts = {len(questions) for questions in versions.values()}
    if len(counts) != 1 or 0 in counts:
        raise ExportError(f"{path}: the versions must have the same number of questions (> 0)")
    return versions


def _load_json(path: Path) -> Any:
    try:
        if path.stat().st_size > MAX_KEY_BYTES:
            raise ExportError(f"{path}: larger than {MAX_KEY_BYTES // 2**20} MiB; not a key")
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ExportError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ExportError(f"{path}: not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ExportError(f"{path}, line {error.lineno}: not JSON ({error.msg})") from None


def _version(path: Path, entry: Any) -> tuple[int, list[Question]]:
    if not isinstance(entry, dict) or not _whole(entry.get("version")):
        raise ExportError(f'{path}: a version without a whole "version" number')
    number = entry["version"]
    questions = entry.get("questions")
    if not isinstance(questions, list):
        raise ExportError(f'{path}: version {number} has no "questions" list')
    return number, [_question(path, number, i, q) for i, q in enumerate(questions, start=1)]


def _question(path: Path, version: int, number: int, entry: Any) -> Question:
    where = f"{path}: version {version}, question {number}"
    try:
        data = entry["data"]
        key = key_from_data(data["key"], entry.get("tolerance"))
        mistakes = tuple(
            Misconception(str(m["name"]), _value(key.kind, m["value"]), str(m["feedback"]))
            for m in data.get("misconceptions", [])
        )
        return Question(number, str(entry["ref"]), key, mistakes)
    except (KeyError, TypeError, ValueError) as error:
        raise ExportError(f"{where}: bad key ({_one_line(error)})") from None


def key_from_data(data: dict[str, Any], tolerance: dict[str, Any] | None = None) -> Key:
    """Rebuild a `Key` from `Key.data` (and the tolerance the worksheet records beside it).

    Raises:
        KeyError, TypeError, ValueError: The data is not a key's.
    """
    kind = data["kind"]
    precision = data.get("precision")
    return Key(
        kind,
        _value(kind, data["value"]),
        tolerance=None if tolerance is None else Tolerance(**tolerance),
        variables=tuple(data.get("variables", ())),
        domain=tuple(data.get("domain", DEFAULT_DOMAIN)),
        precision=None if precision is None else Precision(**precision),
        options=tuple(data.get("options", ())),
    )


def _value(kind: str, value: Any) -> Any:
    """A key value from JSON: a shape is a tuple of sizes."""
    return tuple(value) if kind == "shape" and isinstance(value, list) else value


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _one_line(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text if not isinstance(error, KeyError) else f"missing {text}"


# --- the answers -------------------------------------------------------------------------


def read_answers(path: Path, versions: dict[int, list[Question]]) -> list[Student]:
    """The students of the answers CSV, checked against the key's versions.

    Raises:
        ExportError: The file cannot be read, or a missing column, unknown version, too many
            rows or too long a cell (one line naming the file, line and column).
    """
    rows = csv.reader(io.StringIO(_read_text(path), newline=""))
    count = len(next(iter(versions.values())))
    try:
        header = next(rows, None)
        if header is None:
            raise ExportError(f"{path}: empty; expected a header row: student,version,q1,...")
        columns = _columns(path, header, count)
        students: list[Student] = []
        for cells in rows:
            if not any(cell.strip() for cell in cells):
                continue
            if len(students) == MAX_ROWS:
                raise ExportError(f"{path}, line {rows.line_num}: more than {MAX_ROWS} students")
            students.append(_student(path, rows.line_num, cells, header, columns, versions))
    except csv.Error as error:
        raise ExportError(f"{path}, line {rows.line_num}: not CSV ({error})") from None
    if not students:
        raise ExportError(f"{path}: no students below the header row")
    return students


def _read_text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_ANSWERS_BYTES:
            raise ExportError(f"{path}: larger than {MAX_ANSWERS_BYTES // 2**20} MiB")
        return path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise ExportError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ExportError(f"{path}: not UTF-8 text (byte {error.start})") from None


def _columns(path: Path, header: list[str], count: int) -> dict[str, int]:
    """Column name -> index: ``student``, ``version`` and ``q1`` to ``q{count}``."""
    names = [cell.strip().lower() for cell in header]
    columns: dict[str, int] = {}
    for index, name in enumerate(names):
        if not name:
            continue  # an unnamed column is ignored
        if name in columns:
            raise ExportError(f"{path}, line 1, column {name}: appears twice in the header")
        if len(name) > 1 and name[0] == "q" and name[1:].isdigit() and int(name[1:]) > count:
            raise ExportError(f"{path}, line 1, column {name}: the key has {count} questions")
        columns[name] = index
    wanted = ["student", "version", *(f"q{k}" for k in range(1, count + 1))]
    for name in wanted:
        if name not in columns:
            raise ExportError(
                f"{path}, line 1: missing column {name} (the header needs student, version, "
                f"q1 to q{count})"
            )
    return {name: columns[name] for name in wanted}


def _student(
    path: Path,
    line: int,
    cells: list[str],
    header: list[str],
    columns: dict[str, int],
    versions: dict[int, list[Question]],
) -> Student:
    if len(cells) > len(header):
        raise ExportError(f"{path}, line {line}: {len(cells)} cells, the header has {len(header)}")
    for index, text in enumerate(cells):
        if len(text) > MAX_CELL:
            name = header[index].strip() or f"{index + 1}"
            raise ExportError(f"{path}, line {line}, column {name}: over {MAX_CELL} characters")

    def cell(name: str) -> str:
        index = columns[name]
        return cells[index].strip() if index < len(cells) else ""

    text = cell("version")
    version = int(text) if text.isdigit() else None
    if version not in versions:
        known = f"1 to {max(versions)}" if len(versions) > 1 else "1"
        shown = repr(text[:20]) if text else "nothing"
        raise ExportError(
            f"{path}, line {line}, column version: no version {shown} in the key ({known})"
        )
    answers = tuple(cell(name) for name in columns if name.startswith("q"))
    return Student(line, cell("student"), version, answers)


# --- grading -----------------------------------------------------------------------------


def grade(student: Student, questions: Sequence[Question], path: Path, lang: str) -> Graded:
    """Grade one student's answers with `check`; a wrong answer's note names its misconception.

    Raises:
        ExportError: A key whose misconception does not fit its kind (a broken key file).
    """
    words = LABELS.get(lang, LABELS["en"])
    right: list[bool] = []
    notes: list[str] = []
    unread: list[str] = []
    for question, answer in zip(questions, student.answers, strict=True):
        unread.append("")
        if not answer:
            right.append(False)
            notes.append(words["no_answer"])
            continue
        try:
            verdict = check(answer, question.key, question.misconceptions, lang)
        except AnswerError as error:
            unread[-1] = _one_line(error)
            right.append(False)
            notes.append(words["not_understood"])
            continue
        except ValueError as error:
            raise ExportError(
                f"{path}, line {student.line}, column q{question.number}: the key's "
                f"misconception does not fit ({_one_line(error)})"
            ) from None
        right.append(verdict.correct)
        notes.append(verdict.misconception or "")
    return Graded(student, tuple(right), tuple(notes), tuple(unread))


def _warn(graded: Sequence[Graded], path: Path, words: dict[str, str]) -> None:
    """One stderr line per answer not understood (file, line, column, why), at most a few."""
    unread = [
        (g.student.line, k, why) for g in graded for k, why in enumerate(g.unread, start=1) if why
    ]
    for line, number, why in unread[:MAX_WARNINGS]:
        print(f"{path}, line {line}, column q{number}: not understood ({why})", file=sys.stderr)
    if len(unread) > MAX_WARNINGS:
        print(words["more"].format(count=len(unread) - MAX_WARNINGS), file=sys.stderr)


def graded_csv(graded: Sequence[Graded], count: int) -> str:
    """The graded CSV's text: student, version, ✓/✗ and mistake per question, score, out_of."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    numbers = range(1, count + 1)
    out.writerow(
        [
            "student",
            "version",
            *(c for k in numbers for c in (f"q{k}", f"q{k}_mistake")),
            "score",
            "out_of",
        ]
    )
    for g in graded:
        marks = [
            c
            for ok, note in zip(g.right, g.notes, strict=True)
            for c in (RIGHT if ok else WRONG, note)
        ]
        out.writerow([g.student.name, g.student.version, *marks, g.score, count])
    return buffer.getvalue()


# --- the summary -------------------------------------------------------------------------


def mistakes(graded: Sequence[Graded], words: dict[str, str]) -> Counter[tuple[str, int]]:
    """(misconception, question number) -> how many students gave it."""
    special = {words["no_answer"], words["not_understood"], ""}
    return Counter(
        (note, k)
        for g in graded
        for k, (ok, note) in enumerate(zip(g.right, g.notes, strict=True), start=1)
        if not ok and note not in special
    )


def summary(
    graded: Sequence[Graded], versions: dict[int, list[Question]], words: dict[str, str]
) -> None:
    """Print the commonest mistakes and the score distribution (rich tables)."""
    console = Console(soft_wrap=False, width=max(Console().width, 100))
    first = next(iter(versions.values()))
    count = len(first)
    found = mistakes(graded, words)
    if found:
        table = Table(title=words["mistakes"])
        table.add_column(words["misconception"], no_wrap=True)
        table.add_column(words["question"], no_wrap=True)
        table.add_column(words["count"], justify="right")
        ordered = sorted(found.items(), key=lambda pair: (-pair[1], pair[0][1], pair[0][0]))
        for (name, number), times in ordered[:10]:
            template = first[number - 1].ref.rpartition("@")[0]
            table.add_row(name, f"q{number} ({template})", str(times))
        console.print(table)
    else:
        console.print(words["none"])
    notes = [note for g in graded for ok, note in zip(g.right, g.notes, strict=True) if not ok]
    console.print(
        words["other"].format(
            other=notes.count(""),
            blank=notes.count(words["no_answer"]),
            unread=notes.count(words["not_understood"]),
        )
    )
    scores = Counter(g.score for g in graded)
    table = Table(title=words["scores"])
    table.add_column(words["score"], justify="right")
    table.add_column(words["students"], justify="right")
    table.add_column("")
    for score in range(count, -1, -1):
        bar = "█" * min(scores[score], 50) + ("…" if scores[score] > 50 else "")
        table.add_row(f"{score}/{count}", str(scores[score]), bar)
    console.print(table)
    mean = sum(g.score for g in graded) / len(graded)
    console.print(words["mean"].format(students=len(graded), mean=mean, out_of=count))
