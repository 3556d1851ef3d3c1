"""The command line and the catalog it prints."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

from studykit import catalog
from studykit.cli import main


@pytest.mark.parametrize("concept", catalog.CONCEPTS, ids=lambda c: c.module)
def test_catalog_lists_exactly_each_modules_public_names(concept) -> None:
    module = importlib.import_module(concept.module)
    assert sorted(concept.names) == sorted(module.__all__)
    for name in concept.names:
        obj = getattr(module, name)
        assert obj.__doc__ and len(obj.__doc__) > 200, f"{concept.module}.{name} needs a docstring"


@pytest.mark.parametrize("concept", catalog.CONCEPTS, ids=lambda c: c.module)
def test_every_module_docstring_teaches(concept) -> None:
    doc = importlib.import_module(concept.module).__doc__ or ""
    assert any("\uac00" <= ch <= "\ud7a3" for ch in doc), "the Korean term is missing"
    assert "\\(" in doc or "$$" in doc, "the formula is missing"
    assert "Common mistakes" in doc


def test_concepts_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["concepts"]) == 0
    out = capsys.readouterr().out
    for concept in catalog.CONCEPTS:
        assert concept.module in out


def test_concepts_json_and_topic_filter(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["concepts", "--json", "--topic", "losses"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["module"] for d in data] == ["studykit.losses"]
    assert "cross_entropy" in data[0]["names"]


def test_unknown_topic_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["concepts", "--topic", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown --topic 'nope'" in err


def test_bad_option_is_one_line_and_exit_2() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "studykit", "concepts", "--bogus"], capture_output=True, text=True
    )
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0 and "--bogus" in run.stderr
    assert "Traceback" not in run.stderr


def test_importing_studykit_and_the_cli_does_not_import_torch() -> None:
    code = "import sys, studykit.cli; assert 'torch' not in sys.modules, 'torch imported'"
    subprocess.run([sys.executable, "-c", code], check=True)
