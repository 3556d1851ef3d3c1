"""Every benchmark case runs (at a tiny size): the benchmarks cannot rot unnoticed.

This checks that the cases execute and produce a report, not how fast anything is: speed is
measured by ``python -m benchmarks.run`` as ratios, never asserted in a unit test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from benchmarks.run import load_cases, main


def test_every_case_runs_and_studykit_agrees_with_torch() -> None:
    cases = load_cases(torch.device("cpu"), scale=0.001, only=None)
    assert {c.group for c in cases} >= {"tensors", "activations", "losses", "optim"}
    for case in cases:
        ours, theirs = case.studykit(), case.torch()
        if not case.deterministic or case.floor:
            continue
        if isinstance(ours, torch.Tensor) and isinstance(theirs, torch.Tensor):
            torch.testing.assert_close(ours, theirs, rtol=1e-4, atol=1e-4, msg=case.name)


def test_runner_writes_a_json_report(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    assert (
        main(
            [
                "--scale",
                "0.001",
                "--repeats",
                "1",
                "--rounds",
                "2",
                "--only",
                "activations",
                "--json",
                str(out),
                "--no-history",
            ]
        )
        == 0
    )
    report = json.loads(out.read_text())
    assert report["rows"] and all(row["ratio"] > 0 for row in report["rows"])
    assert all(len(row["round_ratios"]) == 2 for row in report["rows"])
    assert report["cpu_capability"] == torch.backends.cpu.get_cpu_capability()


def _in_a_git_checkout() -> bool:
    import subprocess

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True)
    return done.returncode == 0


@pytest.mark.skipif(not _in_a_git_checkout(), reason="compares against a git revision")
def test_question_benchmark_against_a_revision_takes_turns_and_cleans_up(tmp_path: Path) -> None:
    import subprocess

    from benchmarks import phases, questions_against

    out = tmp_path / "against.json"
    args = ["HEAD", "--rounds", "2", "--seeds", "1", "--json", str(out)]
    assert questions_against.main(args) == 0
    report = json.loads(out.read_text())
    assert report["revision"] == "HEAD" and report["rounds"] == 2
    low, high = report["ratio_quartiles"]
    assert 0 < low <= report["ratio_median"] <= high
    for side in ("revision", "working tree"):
        assert set(report["phase_us"][side]) == set(phases.PHASES)
        assert all(us > 0 for us in report["phase_us"][side].values())
    trees = subprocess.run(
        ["git", "-C", str(questions_against.ROOT), "worktree", "list"],
        capture_output=True,
        text=True,
    ).stdout
    assert "studykit-against-" not in trees  # the temporary worktree is gone
    with pytest.raises(SystemExit, match="no-such-revision"):
        questions_against.main(["no-such-revision", "--rounds", "1"])


def test_question_benchmark_reports_rate_phases_and_verify(tmp_path: Path) -> None:
    from benchmarks import phases, questions

    out, history = tmp_path / "questions.json", tmp_path / "history.jsonl"
    history.write_text('{"an": "earlier line"}\n')
    command = ["--seeds", "1", "--rounds", "2", "--json", str(out), "--history", str(history)]
    threads = torch.get_num_threads()
    try:
        assert questions.main(command) == 0
    finally:
        torch.set_num_threads(threads)
    report = json.loads(out.read_text())
    earlier, line = history.read_text().splitlines()  # appended, the earlier line kept
    assert earlier == '{"an": "earlier line"}'
    record = json.loads(line)
    assert record["seeds"] == 1 and record["rounds"] == 2
    assert record["templates"] == report["templates"] and record["torch"] == torch.__version__
    assert record["variants_per_second"] == round(report["variants_per_second"], 1)
    assert record["targets_met"] == (report["variants_per_second"] >= 2500)
    assert record["revision"] and record["cpu"] and record["date"].endswith("Z")
    assert report["templates"] >= 15 and report["verify_failures"] == 0
    assert report["verify_variants"] == report["templates"]
    assert set(report["phase_us"]) == set(phases.PHASES)
    per_variant_us = sum(report["phase_us"].values())
    # the reported rate is the fastest of the rounds, each of which is listed
    assert len(report["rounds_variants_per_second"]) == 2
    assert report["variants_per_second"] == max(report["rounds_variants_per_second"])
    # the cost in reference calls is each round's own (the call is read around each round)
    assert len(report["rounds_cost_in_torch_calls"]) == 2
    assert report["variant_cost_in_torch_calls"] == min(report["rounds_cost_in_torch_calls"])
    assert report["reference_torch_call_us"] > 0
    assert len(report["rounds_cost_in_python_loops"]) == 2
    assert report["variant_cost_in_python_loops"] == min(report["rounds_cost_in_python_loops"])
    assert abs(per_variant_us * report["variants_per_second"] / 1e6 - 1) < 1e-9
    # the engine is the rest of the variant (the computation is timed in rounds of its own, so
    # on a busy machine it may even read more than that round's key phase: no order is asserted)
    assert report["computation_us"] > 0
    assert abs(report["computation_us"] + report["engine_us"] - per_variant_us) < 1e-6


def test_drill_benchmark_reports_cold_and_warm(tmp_path: Path) -> None:
    from benchmarks import drills

    out = tmp_path / "drills.json"
    drills.main(["--rounds", "2", "--json", str(out)])
    report = json.loads(out.read_text())
    assert report["cold_check_s"] > 0 and report["import_torch_s"] > 0
    assert 0 < report["warm_verdict_s"] <= report["warm_worst_s"]
    assert report["warm_within_target"] == (report["warm_worst_s"] <= drills.WARM_TARGET_S)
