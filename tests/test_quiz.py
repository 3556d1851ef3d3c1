"""The terminal quiz: sessions, progress storage, review and stats, driven like a user would."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from studykit.questions.commands import default_questions_dir
from studykit.questions.markup import format_line, shown_answer, to_plain
from studykit.questions.template import load_template, scan_bank
from studykit.questions.variant import make_variant, solve
from studykit.questions.verify import answer_text
from studykit.quiz.session import plan_quiz
from studykit.quiz.store import Store, StoreError
from studykit.topics import TOPICS

pytestmark = pytest.mark.usefixtures("english_locale")  # tests/conftest.py


def planned(seed: int, count: int, topics: list[str] | None = None):  # type: ignore[no-untyped-def]
    summaries, _ = scan_bank(default_questions_dir())
    chosen = [s for s in summaries if topics is None or s.topic in topics]
    return plan_quiz(chosen, count, random.Random(f"quiz/{seed}"))


def solved(plan):  # type: ignore[no-untyped-def]
    return solve(make_variant(load_template(plan.summary.path), plan.seed))


def right(plan) -> str:  # type: ignore[no-untyped-def]
    key = solved(plan).key
    return answer_text(key.kind, key.value)


def studykit(home: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    environment = {**os.environ, "STUDYKIT_HOME": str(home), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "studykit", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def test_scripted_quiz_right_wrong_and_misconception(tmp_path: Path) -> None:
    plans = planned(11, 3, ["losses"])
    first, second = solved(plans[0]), solved(plans[1])
    mistake = first.misconceptions[0]
    lines = [
        answer_text(first.key.kind, mistake.value),
        "hint",
        answer_text(second.key.kind, second.key.value),
        "skip",
    ]
    run = studykit(
        tmp_path,
        "quiz",
        "--seed",
        "11",
        "-n",
        "3",
        "--topic",
        "losses",
        "--json",
        stdin="\n".join(lines) + "\n",
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["asked"] == 3
    assert [a["correct"] for a in data["answers"]] == [False, True, False]
    assert data["answers"][0]["misconception"] == mistake.name
    assert data["answers"][1]["hinted"] is True
    assert data["answers"][2]["skipped"] is True
    assert mistake.feedback.split()[0] in run.stderr
    assert "worked solution" in run.stderr
    stored = Store(tmp_path / "progress.sqlite3").answers()
    assert [bool(a["correct"]) for a in stored] == [False, True, False]


def test_a_korean_quiz_speaks_korean_and_takes_korean_commands(tmp_path: Path) -> None:
    plans = planned(11, 3, ["losses"])
    first, second = solved(plans[0]), solved(plans[1])
    mistake = first.misconceptions_in("ko")[0]
    lines = [
        answer_text(first.key.kind, mistake.value),
        "힌트",
        answer_text(second.key.kind, second.key.value),
        "건너뛰기",
    ]
    args = ["quiz", "--seed", "11", "-n", "3", "--topic", "losses", "--lang", "ko"]
    run = studykit(tmp_path, *args, stdin="\n".join(lines) + "\n")
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "✗ 아쉽습니다" in out and mistake.feedback.split()[0] in out
    assert "풀이 과정" in out and "✓ 정답입니다" in out and "정답: " in out
    hint = second.variant.hint("ko")
    assert hint and " ".join(to_plain(hint).split()) in " ".join(out.split())  # reflowed
    assert "3문제 중 1개 정답" in out
    assert out.count("답> ") == len(lines) and "answer> " not in out  # the prompt, in Korean
    stored = Store(tmp_path / "progress.sqlite3").answers()
    assert [bool(a["correct"]) for a in stored] == [False, True, False]
    assert [bool(a["hinted"]) for a in stored] == [False, True, False]
    assert [bool(a["skipped"]) for a in stored] == [False, False, True]


def test_the_quiz_shows_markdown_rounded_answers_and_the_format(tmp_path: Path) -> None:
    # One question whose key is a float with a long tail, and whose texts use Markdown.
    bank = tmp_path / "bank"
    (bank / "activations").mkdir(parents=True)
    source = default_questions_dir() / "activations" / "log-softmax-value.yaml"
    (bank / "activations" / source.name).write_text(source.read_text("utf-8"), "utf-8")
    plans = plan_quiz(scan_bank(bank)[0], 1, random.Random("quiz/4"))
    key = solved(plans[0]).key
    assert len(repr(key.value)) > 12
    home = tmp_path / "home"
    run = studykit(home, "quiz", "--seed", "4", "-n", "1", "--questions", str(bank), stdin="1\n")
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert f"The answer: {shown_answer(key)}\n" in out
    assert repr(key.value) not in out  # never the float's full tail
    assert format_line(key, "en") in out  # under the prompt, before the answer
    assert out.index(format_line(key, "en")) < out.index("answer> ")
    assert "`" not in out  # F.log_softmax(...) was a code span


def test_end_of_input_mid_quiz_keeps_answers_and_exits_3(tmp_path: Path) -> None:
    plans = planned(5, 4)
    run = studykit(tmp_path, "quiz", "--seed", "5", "-n", "4", stdin=right(plans[0]) + "\n")
    assert run.returncode == 3
    assert "The input ended before the session did" in run.stdout
    assert "1/1 right" in run.stdout
    assert len(Store(tmp_path / "progress.sqlite3").answers()) == 1


def test_quit_ends_cleanly(tmp_path: Path) -> None:
    run = studykit(tmp_path, "quiz", "--seed", "5", "-n", "4", stdin="quit\n")
    assert run.returncode == 0
    assert Store(tmp_path / "progress.sqlite3").answers() == []


def test_unparseable_answer_is_explained_and_asked_again(tmp_path: Path) -> None:
    plans = planned(2, 1, ["tensors"])
    run = studykit(
        tmp_path,
        "quiz",
        "--seed",
        "2",
        "-n",
        "1",
        "--topic",
        "tensors",
        stdin=f"__import__('os')\n{right(plans[0])}\n",
    )
    assert run.returncode == 0, run.stderr
    assert "Not understood" in run.stdout
    assert "1/1 right" in run.stdout


def test_same_seed_same_questions(tmp_path: Path) -> None:
    one = studykit(tmp_path, "quiz", "--seed", "9", "-n", "3", "--json", stdin="skip\nskip\nskip\n")
    two = studykit(tmp_path, "quiz", "--seed", "9", "-n", "3", "--json", stdin="skip\nskip\nskip\n")
    ids = lambda run: [(a["id"], a["seed"]) for a in json.loads(run.stdout)["answers"]]  # noqa: E731
    assert ids(one) == ids(two)


def test_difficulty_and_korean(tmp_path: Path) -> None:
    run = studykit(
        tmp_path,
        "quiz",
        "--seed",
        "1",
        "-n",
        "2",
        "--difficulty",
        "1",
        "--lang",
        "ko",
        "--topic",
        "losses,tensors",
        "--json",
        stdin="skip\nskip\n",
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert {a["topic"] for a in data["answers"]} <= {"losses", "tensors"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["quiz", "--topic", "astrology"], "unknown --topic 'astrology'"),
        (["quiz", "-n", "0"], "--count: must be from 1 to 500"),
        (["quiz", "--difficulty", "5"], "--difficulty"),
        (["quiz", "--seed", "-3"], "--seed: must be from 0 to 9223372036854775807"),
        (["review", "--seed", str(2**63)], "--seed: must be from 0 to 9223372036854775807"),
        (["quiz", "--lang", "de"], "--lang"),
        (["review", "-n", "x"], "--count: must be a whole number"),
        (["stats", "--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_usage_errors_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    run = studykit(tmp_path, *args)
    assert run.returncode == 2
    assert message in run.stderr
    assert run.stderr.strip().count("\n") == 0


def test_no_matching_question_is_a_usage_error(tmp_path: Path) -> None:
    bank = tmp_path / "bank" / "losses"
    bank.mkdir(parents=True)
    source = default_questions_dir() / "losses" / "mnist-loss.yaml"
    (bank / "mnist-loss.yaml").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    args = ["quiz", "--questions", str(tmp_path / "bank"), "--topic", "tensors"]
    run = studykit(tmp_path, *args)
    assert run.returncode == 2
    assert "no questions match" in run.stderr


def test_review_finds_a_missed_concept_due_later(tmp_path: Path) -> None:
    plans = planned(4, 1)
    quiz = studykit(tmp_path, "quiz", "--seed", "4", "-n", "1", stdin="skip\n")
    assert quiz.returncode == 0
    soon = studykit(tmp_path, "review", "--json")
    assert json.loads(soon.stdout)["due"] == 0
    later = {"STUDYKIT_NOW": "2099-01-01T00:00:00+00:00"}
    review = studykit(tmp_path, "review", "--json", stdin="skip\n", env=later)
    data = json.loads(review.stdout)
    assert [a["id"] for a in data["answers"]] == [plans[0].summary.id]


def test_stats_json_and_text(tmp_path: Path) -> None:
    plans = planned(8, 2)
    studykit(tmp_path, "quiz", "--seed", "8", "-n", "2", stdin=f"{right(plans[0])}\nskip\n")
    run = studykit(tmp_path, "stats", "--json")
    data = json.loads(run.stdout)
    assert data["answers"] == 2
    assert data["right"] == 1
    assert data["streak_days"] == 1
    assert data["due_this_week"] >= 1
    assert data["weakest"]
    text = studykit(tmp_path, "stats")
    assert "1/2 right overall" in text.stdout
    empty = studykit(tmp_path / "new", "stats")
    assert "No answers yet" in empty.stdout


def test_corrupt_database_is_moved_aside_not_overwritten(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    db.write_bytes(b"this is not sqlite" * 100)
    run = studykit(tmp_path, "stats")
    assert run.returncode == 0
    assert "moved it to" in run.stderr
    aside = list(tmp_path.glob("progress.sqlite3.corrupt-*"))
    assert len(aside) == 1
    assert aside[0].read_bytes() == b"this is not sqlite" * 100
    again = studykit(tmp_path, "stats")  # named again until the student renames it
    assert f"was moved to {aside[0]}" in again.stderr


def test_database_from_a_newer_studykit_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    Store(db).close()
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA user_version = 99")
    connection.close()
    with pytest.raises(StoreError, match="newer studykit"):
        Store(db)
    run = studykit(tmp_path, "stats")
    assert run.returncode == 2
    assert "newer studykit" in run.stderr


def test_db_option_and_unusable_path(tmp_path: Path) -> None:
    target = tmp_path / "custom" / "p.db"
    run = studykit(tmp_path, "quiz", "--seed", "1", "-n", "1", "--db", str(target), stdin="skip\n")
    assert run.returncode == 0
    assert target.exists()
    folder = tmp_path / "a-folder"
    folder.mkdir()
    run = studykit(tmp_path, "stats", "--db", str(folder))
    assert run.returncode == 2
    assert "is a directory" in run.stderr


def test_two_quizzes_at_once_on_one_database(tmp_path: Path) -> None:
    env = {**os.environ, "STUDYKIT_HOME": str(tmp_path)}
    command = [sys.executable, "-m", "studykit", "quiz", "-n", "6", "--seed"]
    procs = [
        subprocess.Popen(
            [*command, str(s)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for s in (1, 2)
    ]
    for proc in procs:
        _, err = proc.communicate("skip\n" * 6, timeout=120)
        assert proc.returncode == 0, err
    store = Store(tmp_path / "progress.sqlite3")
    assert len(store.answers()) == 12
    assert store.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_first_prompt_is_shown_before_torch_is_imported(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from studykit.quiz import session\n"
        "seen = []\n"
        "original = session.SessionUI.question\n"
        "def question(self, *args):\n"
        "    original(self, *args)\n"
        "    seen.append('torch' in sys.modules)\n"
        "session.SessionUI.question = question\n"
        "from studykit.cli import main\n"
        "code = main(['quiz', '--seed', '3', '-n', '2'])\n"
        "print('TORCH_AT_PROMPTS', seen)\n"
        "sys.exit(code)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        input="skip\nskip\n",
        capture_output=True,
        text=True,
        env={**os.environ, "STUDYKIT_HOME": str(tmp_path)},
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    # Before the first prompt torch is not loaded; by the second it is (the key needed it).
    assert "TORCH_AT_PROMPTS [False, True]" in run.stdout


def test_stats_speak_korean_with_the_topic_names(tmp_path: Path) -> None:
    plans = planned(8, 2)
    studykit(tmp_path, "quiz", "--seed", "8", "-n", "2", stdin=f"{right(plans[0])}\nskip\n")
    text = studykit(tmp_path, "stats", "--lang", "ko").stdout
    assert "전체 2문제 중 1개 정답" in text
    assert "정답률" in text and "연속 학습: 1일" in text and "가장 약한 주제:" in text
    korean = {t.id: t.korean for t in TOPICS}
    for plan in plans:  # each topic as a Korean reader knows it, with the id --topic takes
        assert f"{korean[plan.summary.topic]} ({plan.summary.topic})" in text
    assert "right overall" not in text and "Streak" not in text
    empty = studykit(tmp_path / "new", "stats", "--lang", "ko")
    assert empty.stdout.strip() == "아직 푼 문제가 없습니다. studykit quiz로 시작해 보십시오."
