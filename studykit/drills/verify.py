"""The proof of a drill (``studykit drill verify``), as rustlings' ``dev check`` does for its own.

For every drill, in its own checking process, exactly as a student's file would be checked:

1. the reference, as a solution, passes (so the reference is itself written without the
   forbidden operations, and agrees with torch on every case); it alone may import studykit;
2. the untouched stub is *not started* (exit 1), not passed;
3. the cheat (by default the drill's torch counterpart) is refused as a forbidden call (exit 2);
4. every planted mistake fails (exit 1) and is diagnosed as itself.
"""

from __future__ import annotations

from typing import Any

from studykit.drills.spec import Drill
from studykit.drills.stub import render_stub

__all__ = ["reference_source", "verify_drill"]


def reference_source(drill: Drill) -> str:
    """The reference as a student's file would hold it."""
    if drill.reference.startswith("studykit.") and "\n" not in drill.reference:
        module, _, name = drill.reference.rpartition(".")
        alias = "" if name == drill.function else f" as {drill.function}"
        return f"from {module} import {name}{alias}\n"
    return "import math\n\nimport torch\nimport torch.nn.functional as F\n\n" + drill.reference


def _as_file(code: str) -> str:
    return "import math\n\nimport torch\nimport torch.nn.functional as F\n\n" + code


def verify_drill(drill: Drill, sandbox: Any) -> tuple[list[str], str]:
    """Run the four proofs; return the problems found (none: proven) and a one-line summary."""
    job = drill.to_job()
    problems = []

    def check(source: str, label: str, **changes: Any) -> dict[str, Any]:
        result: dict[str, Any] = sandbox.check({**job, **changes}, source, f"<{drill.id} {label}>")
        return result

    result = check(reference_source(drill), "reference", allow_studykit=True)
    if result["status"] != "pass":
        problems.append(f"the reference does not pass: {_why(result)}")
    result = check(render_stub(drill, f"studykit drill check {drill.id}", "en"), "stub")
    if result["status"] != "not-started":
        problems.append(f"the untouched stub is not 'not started': {_why(result)}")
    result = check(_as_file(drill.cheat), "cheat")
    if result["status"] != "forbidden":
        problems.append(f"the cheat (torch's own function) is not refused: {_why(result)}")
    refused = (result.get("forbidden_call") or {}).get("op", "?")
    for mistake in drill.mistakes:
        result = check(_as_file(mistake.code), f"mistake {mistake.id}")
        failure = result.get("failure") or {}
        found = (failure.get("misconception") or {}).get("id")
        if result["exit"] != 1 or found != mistake.id:
            problems.append(
                f"mistake {mistake.id!r} is not diagnosed as itself "
                f"(diagnosed: {found!r}; {_why(result)})"
            )
    summary = (
        f"reference passes, stub not started, {refused} refused, "
        f"{len(drill.mistakes)} mistakes diagnosed"
    )
    return problems, summary


def _why(result: dict[str, Any]) -> str:
    failure = result.get("failure")
    if failure:
        case = f"case '{failure['case']}' ({failure['dtype']})"
        return f"{result['status']} on {case}: {failure['message']}"
    return f"{result['status']}: {result.get('message', '')}"
