"""``studykit lab list | run``: the command-line contract (output, files, errors, exit codes)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from studykit.cli import main
from studykit.labs import LABS

pytest.importorskip("sklearn")

# The hidden --size option runs a lab on a share of its data, so these stay fast.
FAST = ["--size", "0.3", "--epochs", "2"]


def _one_line_error(capsys: pytest.CaptureFixture[str], args: list[str]) -> str:
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    return lines[0]


def test_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lab", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [lab["name"] for lab in listed] == list(LABS)
    assert "mnist37" in LABS
    for lab in listed:
        assert set(lab["title"]) == {"en", "ko"} and set(lab["summary"]) == {"en", "ko"}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_list_text(capsys: pytest.CaptureFixture[str], lang: str) -> None:
    assert main(["lab", "list", "--lang", lang]) == 0
    out = capsys.readouterr().out
    for name, lab in LABS.items():
        assert name in out
        assert lab.title[lang].split()[0] in out


def test_run_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lab", "run", "mnist37", "--json", "--seed", "4", *FAST]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert captured.err == ""  # no progress bar with --json
    assert result["name"] == "mnist37"
    assert result["options"]["seed"] == 4 and result["options"]["epochs"] == 2
    assert result["options"]["lr"] == LABS["mnist37"].defaults["lr"]
    assert result["plots"] == []
    assert result["rows"] and all(set(row) == {"what", "value", "note"} for row in result["rows"])
    assert len(result["curves"]["linear_loss"]) == 2
    assert set(result["facts"]) >= {"baseline_accuracy", "linear_accuracy", "chance"}


def test_run_json_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    outputs = []
    for _ in range(2):
        assert main(["lab", "run", "mnist37", "--json", "--lr", "0.5", *FAST]) == 0
        outputs.append(json.loads(capsys.readouterr().out))
    assert outputs[0] == outputs[1]
    assert outputs[0]["options"]["lr"] == 0.5


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_run_table(capsys: pytest.CaptureFixture[str], lang: str) -> None:
    assert main(["lab", "run", "mnist37", "--lang", lang, *FAST]) == 0
    out = capsys.readouterr().out
    assert "simple_net" in out
    assert LABS["mnist37"].title[lang] in out
    assert ("검증 정확도" in out) == (lang == "ko")


def test_plot_writes_every_figure(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / "new" / "out.svg"
    assert main(["lab", "run", "mnist37", "--json", "--plot", str(target), *FAST]) == 0
    result = json.loads(capsys.readouterr().out)
    expected = [tmp_path / "new" / "out-mean-images.svg", tmp_path / "new" / "out-training.svg"]
    assert result["plots"] == [str(p) for p in expected]
    for path in expected:
        text = path.read_text(encoding="utf-8")
        assert text.lstrip().startswith("<?xml") and "<svg" in text and len(text) > 1000


def test_plot_says_which_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / "lab.svg"
    assert main(["lab", "run", "mnist37", "--lang", "en", "--plot", str(target), *FAST]) == 0
    out = capsys.readouterr().out
    assert f"wrote {tmp_path / 'lab-mean-images.svg'}" in out
    assert f"wrote {tmp_path / 'lab-training.svg'}" in out


def _svg_texts(path: Path) -> list[str]:
    return re.findall(r"<text\b[^>]*>([^<]*)</text>", path.read_text(encoding="utf-8"))


def test_plot_in_korean(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # --lang ko writes the figures' words in Korean; the numbers on the axes stay the same.
    pytest.importorskip("matplotlib")
    smallest = ["--size", "0.01", "--epochs", "1"]
    texts = {}
    for lang in ("en", "ko"):
        target = tmp_path / lang / "out.svg"
        args = ["lab", "run", "mnist37", "--lang", lang, "--plot", str(target), *smallest]
        assert main(args) == 0
        out = capsys.readouterr().out
        written = target.with_name("out-training.svg")
        assert ("그림을 저장했습니다: " if lang == "ko" else "wrote ") + str(written) in out
        texts[lang] = _svg_texts(written)
    assert {"epoch", "validation accuracy", "linear model"} <= set(texts["en"])
    assert {"에포크", "검증 정확도", "선형 모델", "픽셀 유사도(L1)"} <= set(texts["ko"])
    assert not any(re.search("[가-힣]", text) for text in texts["en"])
    assert not {"epoch", "validation accuracy"} & set(texts["ko"])
    numbers = [[t for t in texts[lang] if re.fullmatch(r"[−\-0-9.]+", t)] for lang in texts]
    assert numbers[0] == numbers[1] and numbers[0]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["lab", "run", "mnist37", "--epochs", "0"], "--epochs"),
        (["lab", "run", "mnist37", "--epochs", "x"], "--epochs"),
        (["lab", "run", "mnist37", "--lr", "-1"], "--lr"),
        (["lab", "run", "mnist37", "--seed", "-3"], "--seed"),
        (["lab", "run", "mnist37", "--device", "tpu"], "--device"),
        (["lab", "run", "mnist37", "--lang", "fr"], "--lang"),
        (["lab", "frobnicate"], "invalid choice"),
    ],
)
def test_bad_options_are_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and says in err[0]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["lab", "run", "nope"], "unknown lab 'nope'"),
        (["lab", "run", "mnist37", "--plot", "out.pdf"], ".svg or .png"),
    ],
)
def test_usage_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    assert says in _one_line_error(capsys, args)


def test_unavailable_device(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    line = _one_line_error(capsys, ["lab", "run", "mnist37", "--device", "cuda", *FAST])
    assert "'cuda' is not available" in line


def test_missing_extra(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "sklearn" else real(name, *a)
    )
    line = _one_line_error(capsys, ["lab", "run", "mnist37", *FAST])
    assert "studykit[labs]" in line


def test_unwritable_plot_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    line = _one_line_error(
        capsys, ["lab", "run", "mnist37", "--plot", str(blocker / "x.svg"), *FAST]
    )
    assert str(blocker) in line
    folder = tmp_path / "folder.svg"
    folder.mkdir()
    assert "is a folder" in _one_line_error(
        capsys, ["lab", "run", "mnist37", "--plot", str(folder), *FAST]
    )


def test_bare_lab_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lab"]) == 0
    assert "run" in capsys.readouterr().out
