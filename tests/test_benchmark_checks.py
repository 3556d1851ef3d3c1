"""The answer-checking benchmark runs (tiny) and writes its report: it cannot rot unnoticed.

Speed is measured by ``python -m benchmarks.checks``, not asserted here.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from benchmarks import checks
from studykit.questions.answers import KINDS


def test_the_benchmark_writes_a_table_and_a_json_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("# a tiny corpus\n1/4\n\\z\n{{3*(}}x{{3*)}}\nsqrt(x-100)*(x+1)^1000\n")
    out = tmp_path / "checks.json"
    args = ["--corpus", str(corpus), "--fuzz", "12", "--repeats", "1", "--json", str(out)]
    assert checks.main(args) == 0
    report = json.loads(out.read_text())
    assert report["corpus_answers"] == 4
    assert report["fuzz_answers"] == 12
    assert report["target_ms"] == checks.TARGET_MS
    assert report["max_ms"] > 0
    rows = {(row["set"], row["kind"]): row for row in report["rows"]}
    for name, count in (("corpus", 4), ("fuzz", 12)):
        for kind in KINDS:
            row = rows[name, kind]
            assert row["checks"] == count
            assert 0 < row["median_ms"] <= row["max_ms"]
            assert sum(row["outcomes"].values()) == count
        assert rows[name, "all"]["checks"] == count * len(KINDS)
    assert rows["corpus", "number"]["outcomes"]["correct"] == 1  # 1/4 is the key
    printed = capsys.readouterr().out
    assert "median ms" in printed and "slowest check" in printed


def test_the_fuzz_sample_is_fixed_by_its_seed() -> None:
    assert checks.fuzz_sample(30, seed=1) == checks.fuzz_sample(30, seed=1)
    assert checks.fuzz_sample(30, seed=1) != checks.fuzz_sample(30, seed=2)
    formulas = [checks.random_formula(random.Random(i), 4) for i in range(20)]
    assert any("(" in formula for formula in formulas)


def test_the_default_corpus_is_the_test_corpus() -> None:
    assert Path(__file__).parent / "hostile_answers.txt" == checks.CORPUS
    assert len(checks.read_corpus()) >= 100
