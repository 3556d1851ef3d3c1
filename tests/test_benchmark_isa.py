"""The benchmark runner's plumbing: ISA lists, the worst-ratio verdict and the history line.

Nothing here times anything or asserts a speed: the ratios below are made up, and the runs
that do happen are tiny smoke runs whose numbers are not looked at.
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import torch

from benchmarks import isas, run
from benchmarks.cases_activations import TANH_FLOOR, TANH_FLOOR_FACTORS
from benchmarks.common import Case
from benchmarks.summary import format_table, history_line, verdict, worst_rows

X86_FLAGS = "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu sse2 avx fma avx2 bmi2\n"


def test_isa_list_is_parsed_to_torch_names() -> None:
    assert isas.parse_isa_list("default, AVX2,avx512") == ["default", "avx2", "avx512"]
    assert isas.parse_isa_list("avx2") == ["avx2"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty entry"),
        ("default,,avx2", "empty entry"),
        ("avx3", "unknown ISA 'avx3'"),
        ("avx2,AVX2", "'avx2' is listed twice"),
    ],
)
def test_bad_isa_list_is_one_clear_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as error:
        isas.parse_isa_list(text)
    assert "\n" not in str(error.value) and str(error.value).startswith("--isas")


def test_cpu_flags_come_from_the_first_flags_line() -> None:
    text = X86_FLAGS + "processor\t: 1\nflags\t\t: avx512f\n"
    assert isas.parse_cpu_flags(text) == {"fpu", "sse2", "avx", "fma", "avx2", "bmi2"}
    assert isas.parse_cpu_flags("Features\t: fp asimd sve\n") == {"fp", "asimd", "sve"}
    assert isas.parse_cpu_flags("model name : something\n") == frozenset()


AVX512_FLAGS = frozenset({"avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq"})


@pytest.mark.parametrize(
    ("detected", "flags", "expected"),
    [
        ("AVX512", AVX512_FLAGS, ["default", "avx2", "avx512"]),
        ("AVX512", AVX512_FLAGS - {"avx512bw"}, ["default", "avx2"]),  # torch needs BW too
        ("AVX2", isas.parse_cpu_flags(X86_FLAGS), ["default", "avx2"]),
        ("AVX2", frozenset({"avx2"}), ["default"]),  # no FMA: torch would not pick AVX2
        ("AVX2", None, ["default", "avx2"]),  # flags unknown: trust torch's pick
        ("DEFAULT", AVX512_FLAGS, ["default"]),  # never above torch's own pick
        ("SVE256", None, ["default", "sve256"]),
    ],
)
def test_supported_isas_stop_at_torchs_pick_and_the_cpu_flags(
    detected: str, flags: frozenset[str] | None, expected: list[str]
) -> None:
    assert isas.supported_isas(detected, flags) == expected


@pytest.mark.skipif(isas.ENV in os.environ, reason="torch's pick is overridden in this shell")
def test_this_machine_offers_torchs_own_pick_last() -> None:
    offered = isas.machine_isas()
    assert offered[0] == "default"
    assert offered[-1] == torch.backends.cpu.get_cpu_capability().lower()


def _report(isa: str, rows: list[tuple[str, float, float | None]]) -> dict[str, Any]:
    return {
        "cpu_capability": isa,
        "rows": [
            {"group": "g", "name": name, "ratio": ratio, "target": target}
            for name, ratio, target in rows
        ],
    }


REPORTS = [
    _report("DEFAULT", [("a", 1.5, 2.0), ("tanh", 5.0, 6.0), ("floor", 9.0, None)]),
    _report("AVX2", [("a", 2.5, 2.0), ("tanh", 1.2, 2.0), ("floor", 0.7, None), ("b", 1.0, 2.0)]),
]


def test_worst_ratio_per_case_and_every_isa_must_meet_its_own_target() -> None:
    rows = {row["name"]: row for row in worst_rows(REPORTS)}
    assert list(rows) == ["a", "tanh", "floor", "b"]
    assert (rows["a"]["worst"], rows["a"]["worst_isa"], rows["a"]["met"]) == (2.5, "AVX2", False)
    # 5.0 is the worst ratio, but under DEFAULT the target is 6: met everywhere.
    assert (rows["tanh"]["worst"], rows["tanh"]["worst_isa"]) == (5.0, "DEFAULT")
    assert rows["tanh"]["met"] is True
    assert rows["floor"]["met"] is None and rows["floor"]["worst"] == 9.0
    assert rows["b"]["ratios"] == {"AVX2": 1.0} and rows["b"]["met"] is True
    assert verdict(list(rows.values())) == "missed"
    assert verdict([rows["tanh"], rows["floor"], rows["b"]]) == "ok"


def test_table_shows_each_isa_the_worst_and_the_status() -> None:
    lines = format_table(worst_rows(REPORTS), ["DEFAULT", "AVX2"])
    assert "DEFAULT" in lines[0] and "AVX2" in lines[0]
    by_name = {line.split()[1]: line.split() for line in lines[1:]}
    assert by_name["a"][2:] == ["1.50x", "2.50x", "2.50x", "<=", "2x", "MISSED"]
    assert by_name["tanh"][-3:] == ["DEFAULT<=6", "AVX2<=2", "ok"]
    assert by_name["b"][2] == "-" and by_name["floor"][-2:] == ["-", "report"]


def test_history_line_is_one_sorted_json_line() -> None:
    rows = worst_rows(REPORTS)
    meta = {"torch": "2.13.0", "device": "cpu", "scale": 1.0, "rounds": 3, "only": None}
    when = datetime(2026, 12, 7, 13, 5, 9, tzinfo=UTC)
    line = history_line(rows, ["DEFAULT", "AVX2"], meta, now=when)
    assert "\n" not in line
    record = json.loads(line)
    assert line == json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert record["date"] == "2026-12-07T13:05:09Z"
    assert record["isa"] == ["DEFAULT", "AVX2"] and record["torch"] == "2.13.0"
    assert record["worst"] == {"g/a": 2.5, "g/tanh": 5.0, "g/floor": 9.0, "g/b": 1.0}
    assert record["ratios"]["g/a"] == {"DEFAULT": 1.5, "AVX2": 2.5}
    assert record["missed"] == ["g/a"] and record["verdict"] == "missed"


def test_history_ratios_are_rounded_to_three_decimals() -> None:
    rows = worst_rows([_report("AVX2", [("a", 1.23456, 2.0)])])
    record = json.loads(history_line(rows, ["AVX2"], {}))
    assert record["worst"] == {"g/a": 1.235} and record["verdict"] == "ok"


def test_tanh_target_sits_above_its_floor_and_never_below_the_plain_target() -> None:
    case = Case(
        "g",
        "tanh",
        lambda: None,
        lambda: None,
        2.0,
        isa_floor_factors=TANH_FLOOR_FACTORS,
        floor_case=TANH_FLOOR,
    )
    for isa in ("DEFAULT", "AVX2", "AVX512"):
        factor = dict(TANH_FLOOR_FACTORS)[isa]
        assert factor > 1
        assert case.target_for(isa, floor_ratio=9.5) == 9.5 * factor
        assert case.target_for(isa.lower(), floor_ratio=3.0) == 3.0 * factor
        assert case.target_for(isa) == 2.0  # no floor measured: the plain target
        assert case.target_for(isa, floor_ratio=0.4) == 2.0  # a cheap floor: the plain target
    assert case.target_for("NEON", floor_ratio=9.5) == case.target_for(None) == 2.0


def test_isa_targets_replace_the_plain_target_under_their_isa() -> None:
    case = Case("g", "x", lambda: None, lambda: None, 2.0, isa_targets=(("AVX512", 3.0),))
    assert case.target_for("AVX512") == 3.0 and case.target_for("AVX2") == 2.0


def test_every_case_with_a_floor_names_a_floor_case_that_exists() -> None:
    cases = {c.name: c for c in run.load_cases(torch.device("cpu"), 0.001, None)}
    with_floor = [case for case in cases.values() if case.isa_floor_factors]
    assert {case.name for case in with_floor} >= {"tanh", "layer_norm (2, 1024)"}
    for case in with_floor:
        floor = cases[case.floor_case]
        assert floor.floor and floor.target is None and floor.group == case.group


def test_child_command_measures_without_history(tmp_path: Path) -> None:
    args = run.parse_args(["--only", "activations", "--scale", "0.5", "--rounds", "2"])
    command = run.child_command(args, tmp_path / "x.json")
    assert command[1:3] == ["-m", "benchmarks.run"] and "--no-history" in command
    for option, value in [("--only", "activations"), ("--scale", "0.5"), ("--rounds", "2")]:
        assert command[command.index(option) + 1] == value
    assert command[command.index("--json") + 1] == str(tmp_path / "x.json")


SMOKE = ["--only", "activations", "--repeats", "1", "--rounds", "1"]


def test_a_full_scale_run_appends_one_history_line(tmp_path: Path) -> None:
    history = tmp_path / "history.jsonl"
    history.write_text('{"older":1}\n')
    out = tmp_path / "r.json"
    assert run.main([*SMOKE, "--json", str(out), "--history", str(history)]) == 0
    lines = history.read_text().splitlines()
    assert len(lines) == 2 and lines[0] == '{"older":1}'
    record = json.loads(lines[1])
    report = json.loads(out.read_text())
    assert record["isa"] == [torch.backends.cpu.get_cpu_capability()]
    assert record["only"] == "activations" and record["verdict"] == report["verdict"]
    assert set(record["worst"]) == {f"activations/{row['name']}" for row in report["rows"]}


def test_no_history_and_smoke_scales_write_no_history(tmp_path: Path) -> None:
    history = tmp_path / "history.jsonl"
    out = str(tmp_path / "r.json")
    assert run.main([*SMOKE, "--json", out, "--history", str(history), "--no-history"]) == 0
    assert run.main([*SMOKE, "--scale", "0.001", "--json", out, "--history", str(history)]) == 0
    assert not history.exists()


def test_isas_run_in_child_processes_under_the_asked_isa(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    argv = [*SMOKE, "--scale", "0.001", "--isas", "default", "--json", str(out), "--no-history"]
    assert run.main(argv) == 0
    report = json.loads(out.read_text())
    assert report["isas"] == ["DEFAULT"]
    assert [r["cpu_capability"] for r in report["runs"]] == ["DEFAULT"]
    assert {row["name"] for row in report["rows"]} == {r["name"] for r in report["runs"][0]["rows"]}


def test_an_isa_the_cpu_lacks_is_refused_not_run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(isas, "machine_isas", lambda: ["default", "avx2"])
    assert run.main(["--isas", "avx512", "--no-history"]) == 2
    assert "cannot run avx512 (it offers default, avx2)" in capsys.readouterr().out


def test_a_failed_isa_probe_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken() -> list[str]:
        raise subprocess.CalledProcessError(1, ["python", "-c", "import torch"])

    monkeypatch.setattr(isas, "machine_isas", broken)
    assert run.main(["--all-isas", "--no-history"]) == 2
    out = capsys.readouterr().out.strip()
    assert out.startswith("could not ask torch which ISAs") and "\n" not in out


def test_floor_is_paired_round_by_round_so_a_loaded_round_cancels() -> None:
    # Round 2 was loaded for both the case and its floor: their quotient stays 1.1.
    rounds, floor_rounds = [5.5, 12.1, 5.61], [5.0, 11.0, 5.1]
    assert run.floor_ratio(5.61, rounds, floor_rounds) == pytest.approx(5.1)
    assert run.floor_ratio(5.6, rounds, None) is None
