"""Combine benchmark runs (one per ISA) into one verdict, and the one-line history record.

A run's report (``benchmarks.run``'s JSON) has one row per case with its ratio and its target
under that run's ISA. ``worst_rows`` lines up the reports of several ISAs case by case and
keeps the worst ratio; a case meets its target only if it met it under every ISA (a target can
differ by ISA: see ``Case.isa_targets``), so the verdict holds on the worst. ``history_line``
turns the result into one JSON line for ``benchmarks/history.jsonl``, keys sorted, so that a
regression shows as a diff of a tracked file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

__all__ = ["case_key", "format_table", "history_line", "verdict", "worst_rows"]

Row = dict[str, Any]


def case_key(row: Mapping[str, Any]) -> str:
    """``group/name``, the key a case goes by across runs and in the history."""
    return f"{row['group']}/{row['name']}"


def worst_rows(reports: Sequence[Mapping[str, Any]]) -> list[Row]:
    """One row per case: its ratio under each ISA, the worst of them, and whether all met.

    ``met`` is None for a report-only case, else True only when every ISA met its own target.
    Cases keep the order of their first appearance.
    """
    merged: dict[str, Row] = {}
    for report in reports:
        isa = str(report.get("isa", report["cpu_capability"]))  # "cuda" for a GPU run
        for row in report["rows"]:
            entry = merged.setdefault(
                case_key(row),
                {"group": row["group"], "name": row["name"], "ratios": {}, "targets": {}},
            )
            entry["ratios"][isa] = row["ratio"]
            entry["targets"][isa] = row["target"]
    for entry in merged.values():
        ratios: dict[str, float] = entry["ratios"]
        worst_isa = max(ratios, key=lambda isa: ratios[isa])
        entry["worst"], entry["worst_isa"] = ratios[worst_isa], worst_isa
        targets: dict[str, float | None] = entry["targets"]
        judged = [(ratio, targets[isa]) for isa, ratio in ratios.items()]
        checked = [ratio <= target for ratio, target in judged if target is not None]
        entry["met"] = all(checked) if checked else None
    return list(merged.values())


def verdict(rows: Sequence[Mapping[str, Any]]) -> str:
    """``"ok"`` when no case missed its target, else ``"missed"``."""
    return "missed" if any(row["met"] is False for row in rows) else "ok"


def _target_text(targets: Mapping[str, float | None]) -> str:
    values = sorted({t for t in targets.values() if t is not None})
    if not values:
        return "-"
    if len(values) == 1:
        return f"<= {values[0]:.3g}x"
    return " ".join(f"{isa}<={t:.3g}" for isa, t in targets.items() if t is not None)


def format_table(rows: Sequence[Mapping[str, Any]], isas: Sequence[str]) -> list[str]:
    """The per-ISA ratios, the worst and the status of every case, as lines of text."""
    head = "".join(f"{isa:>9}" for isa in isas)
    lines = [f"{'group':<14} {'case':<44}{head} {'worst':>8}  {'target':>10}  status"]
    for row in rows:
        cells = "".join(
            f"{row['ratios'][isa]:8.2f}x" if isa in row["ratios"] else f"{'-':>9}" for isa in isas
        )
        status = {None: "report", True: "ok", False: "MISSED"}[row["met"]]
        lines.append(
            f"{row['group']:<14} {row['name']:<44}{cells} {row['worst']:7.2f}x"
            f"  {_target_text(row['targets']):>10}  {status}"
        )
    return lines


def history_line(
    rows: Sequence[Mapping[str, Any]],
    isas: Sequence[str],
    meta: Mapping[str, Any],
    now: datetime | None = None,
) -> str:
    """One JSON line (keys sorted, ratios to 3 decimals) summarizing a run, for the history.

    ``meta`` carries the run's conditions (torch and Python versions, device, scale, rounds,
    threads, ``--only``); the line adds the UTC date, the ISAs, each case's worst ratio and its
    ratio per ISA, the cases that missed, and the verdict.
    """
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    record = {
        **meta,
        "date": stamp,
        "isa": list(isas),
        "worst": {case_key(r): round(r["worst"], 3) for r in rows},
        "ratios": {case_key(r): {i: round(v, 3) for i, v in r["ratios"].items()} for r in rows},
        "missed": sorted(case_key(r) for r in rows if r["met"] is False),
        "verdict": verdict(rows),
    }
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
