"""The terminal follows the reader: without ``--lang`` the commands speak the locale's language."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from studykit.cli import main
from studykit.language import default_language
from studykit.questions.commands import default_questions_dir
from studykit.questions.template import load_bank
from studykit.questions.variant import make_variant, solve
from studykit.questions.verify import answer_text

MNIST = "losses/mnist-loss"
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
KOREAN = {"LANG": "ko_KR.UTF-8"}
ENGLISH = {"LANG": "C.UTF-8"}


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": ""}, "en"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "ko"}, "ko"),
        ({"LANG": "ko_KR"}, "ko"),
        ({"LANG": "ko_KR.UTF-8"}, "ko"),
        ({"LANG": "ko_KR.eucKR"}, "ko"),
        ({"LANG": "KO_kr.utf8"}, "ko"),
        ({"LANG": "kok_IN"}, "en"),  # Konkani: the language part must be "ko" exactly
        ({"LANG": "ja_JP.UTF-8"}, "en"),
        # LC_ALL, then LC_MESSAGES, then LANG: the first that is set and not empty decides.
        ({"LC_ALL": "C.UTF-8", "LANG": "ko_KR.UTF-8"}, "en"),
        ({"LC_ALL": "ko_KR.UTF-8", "LANG": "C.UTF-8"}, "ko"),
        ({"LC_ALL": "", "LANG": "ko_KR.UTF-8"}, "ko"),
        ({"LC_MESSAGES": "ko_KR.UTF-8", "LANG": "en_US.UTF-8"}, "ko"),
        ({"LC_MESSAGES": "en_US.UTF-8", "LANG": "ko_KR.UTF-8"}, "en"),
        ({"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "ko_KR.UTF-8"}, "en"),
        ({"LC_MESSAGES": "", "LANG": "ko_KR.UTF-8"}, "ko"),
        ({"LC_CTYPE": "ko_KR.UTF-8", "LANG": "C.UTF-8"}, "en"),  # not a messages variable
        # LANGUAGE's first entry comes first, as in gettext, when the locale is not C.
        ({"LANGUAGE": "ko:en", "LANG": "en_US.UTF-8"}, "ko"),
        ({"LANGUAGE": "en:ko", "LANG": "ko_KR.UTF-8"}, "en"),
        ({"LANGUAGE": ":ko", "LANG": "en_US.UTF-8"}, "ko"),
        ({"LANGUAGE": "", "LANG": "ko_KR.UTF-8"}, "ko"),
        ({"LANGUAGE": "ko", "LC_ALL": "C", "LANG": "en_US.UTF-8"}, "en"),
        ({"LANGUAGE": "ko", "LANG": "C.UTF-8"}, "en"),
        ({"LANGUAGE": "ko"}, "en"),  # no locale at all is the C locale
    ],
)
def test_default_language(environ: dict[str, str], expected: str) -> None:
    assert default_language(environ) == expected


def test_default_language_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    use_locale(monkeypatch, KOREAN)
    assert default_language() == "ko"
    use_locale(monkeypatch, ENGLISH)
    assert default_language() == "en"


def use_locale(monkeypatch: pytest.MonkeyPatch, locale: dict[str, str]) -> None:
    """Make ``locale`` the process's only locale variables."""
    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in locale.items():
        monkeypatch.setenv(name, value)


def output(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    main(list(args))
    return capsys.readouterr().out


@pytest.mark.parametrize(
    ("locale", "flags", "expected", "unexpected"),
    [
        (KOREAN, [], "손실 함수 (Loss functions)", "mirrors"),
        (ENGLISH, [], "Loss functions (손실 함수)", "PyTorch 대응"),
        (KOREAN, ["--lang", "en"], "Loss functions (손실 함수)", "PyTorch 대응"),
        (ENGLISH, ["--lang", "ko"], "PyTorch 대응:", "mirrors"),
    ],
)
def test_concepts_follow_the_locale(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    locale: dict[str, str],
    flags: list[str],
    expected: str,
    unexpected: str,
) -> None:
    use_locale(monkeypatch, locale)
    out = output(capsys, "concepts", "--topic", "losses", *flags)
    assert expected in out and unexpected not in out


def test_concepts_json_is_the_same_in_every_locale(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_locale(monkeypatch, KOREAN)
    korean = output(capsys, "concepts", "--json")
    use_locale(monkeypatch, ENGLISH)
    assert output(capsys, "concepts", "--json") == korean
    assert json.loads(korean)[0]["title"].isascii()


def test_show_follows_the_locale(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_locale(monkeypatch, KOREAN)
    korean = output(capsys, "show", MNIST, "--seed", "4")
    assert "시드 4" in korean and "\n힌트: " in korean and "\n정답(숫자): " in korean
    assert json.loads(output(capsys, "show", MNIST, "--seed", "4", "--json"))["lang"] == "ko"
    overridden = output(capsys, "show", MNIST, "--seed", "4", "--lang", "en")
    use_locale(monkeypatch, ENGLISH)
    english = output(capsys, "show", MNIST, "--seed", "4")
    assert "seed 4" in english and "\nHint: " in english and "\nAnswer (number): " in english
    assert overridden == english


def test_check_follows_the_locale(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    solved = solve(make_variant(load_bank(default_questions_dir()).templates[MNIST], 5))
    wrong = next(m for m in solved.misconceptions if m.name == "forgot-the-mean")
    args = ["check", MNIST, "--seed", "5", "--answer", answer_text("number", wrong.value)]
    use_locale(monkeypatch, KOREAN)
    assert "평균" in output(capsys, *args)
    assert "mean" in output(capsys, *args, "--lang", "en")
    main(["check", MNIST, "--seed", "5", "--answer", "abc("])
    assert capsys.readouterr().err.startswith("읽을 수 없는 답입니다: ")
    use_locale(monkeypatch, ENGLISH)
    assert "mean" in output(capsys, *args)
    main(["check", MNIST, "--seed", "5", "--answer", "abc("])
    assert capsys.readouterr().err.startswith("not understood: ")


def test_review_follows_the_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "progress.sqlite3")
    use_locale(monkeypatch, KOREAN)
    assert "아직 예정된 복습이 없습니다" in output(capsys, "review", "--db", db)
    use_locale(monkeypatch, ENGLISH)
    assert "Nothing is due for review" in output(capsys, "review", "--db", db)


def piped_quiz(tmp_path: Path, locale: dict[str, str], *flags: str) -> str:
    """The output of a one-question quiz whose answer is piped in (stdin is not a terminal)."""
    environ = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    run = subprocess.run(
        [sys.executable, "-m", "studykit", "quiz", "--seed", "1", "-n", "1", *flags],
        input="skip\n",
        capture_output=True,
        text=True,
        env={**environ, **locale, "STUDYKIT_HOME": str(tmp_path)},
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_a_piped_quiz_follows_the_locale(tmp_path: Path) -> None:
    korean = piped_quiz(tmp_path, KOREAN)
    assert "1문제 · 시드 1" in korean and "풀이 과정" in korean
    english = piped_quiz(tmp_path, ENGLISH)
    assert "1 questions · seed 1" in english and "worked solution" in english
    overridden = piped_quiz(tmp_path, KOREAN, "--lang", "en")
    assert "1 questions · seed 1" in overridden and "풀이 과정" not in overridden
