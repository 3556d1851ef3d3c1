"""The browser's checker (docs/assets/js/studykit-checker.js) gives the Python checker's verdicts.

A table of several thousand answers (tests/js_cases.py: every accepted and rejected input of
tests/answer_cases.py, tolerance and precision boundaries, shapes, tensors with wrong entries,
misconceptions, expressions, choices with their options, Unicode, hostile and random text) is
checked with `studykit.questions.checking.check`, then with the JavaScript port in ONE `node`
process (tests/js/run_checker_cases.js); the verdicts must be the same: understood, correct,
message, misconception, feedback and wrong positions, and the parsed values too. Every case is
checked in English and again in Korean (the key's ``lang``), so the two message tables agree
message by message. The single intended difference: where Python cannot decide (too few sample
points decide an expression), the browser answers `undecided`. The Unicode tables the port
carries (what is printable, what NFKC does) are compared with CPython's for every code point, and
the format statements (`answer_format`) of a set of keys with the port's `answerFormat`.

Node.js is required: without `node` on the PATH these tests fail, they do not skip.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from studykit.questions import (
    answer_evaluation,
    answer_messages,
    answer_parser,
    answer_tokens,
    answers,
    checking,
    expression_samples,
)
from studykit.questions.answer_messages import AnswerError
from studykit.questions.answers import KINDS, parse_answer
from studykit.questions.checking import Key, Misconception, answer_format, check
from studykit.questions.precision import (
    DEFAULT_PRECISION,
    DEFAULT_TOLERANCE,
    MAX_FIGURES,
    Precision,
    Tolerance,
)
from tests.js_case_parts import Case, key, prec, tol
from tests.js_cases import build_table, float_sample

ROOT = Path(__file__).resolve().parents[1]
CHECKER = ROOT / "docs" / "assets" / "js" / "studykit-checker.js"
HARNESS = ROOT / "tests" / "js" / "run_checker_cases.js"
MIN_CASES = 300

pytestmark = pytest.mark.xdist_group("js_checker")


# --- Python's side ---------------------------------------------------------------------------


def _python_key(raw: dict[str, Any]) -> Key:
    if "answer" in raw:
        raw = {**raw["answer"], "tolerance": raw["tolerance"]}
    value = raw["value"]
    if raw["kind"] == "shape" and isinstance(value, list):
        value = tuple(value)
    tolerance = raw.get("tolerance")
    precision = raw.get("precision")
    return Key(
        raw["kind"],
        value,
        tuple(raw.get("shape") or ()),
        Tolerance(tolerance["rel"], tolerance["abs"], tolerance["sigfigs"]) if tolerance else None,
        tuple(raw.get("variables") or ()),
        precision=Precision(**precision) if precision else None,
        options=tuple(raw.get("options") or ()),
    )


def _python_mistake(raw: dict[str, Any], kind: str) -> Misconception:
    value = raw["value"]
    if kind == "shape" and isinstance(value, list):
        value = tuple(value)
    return Misconception(raw["name"], value, raw["feedback"])


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def python_side(case: Case, agree: Callable[..., bool | None]) -> dict[str, Any]:
    """Python's verdict and parse of one case, and what the sample points decided on the way."""
    python_key = _python_key(case.key)
    kind = python_key.kind
    decided: list[bool | None] = []

    def recording(*args: Any) -> bool | None:
        outcome = agree(*args)
        decided.append(outcome)
        return outcome

    out: dict[str, Any] = {}
    mistakes = [_python_mistake(m, kind) for m in case.misconceptions]
    lang = case.key.get("lang", "en")
    with pytest.MonkeyPatch.context() as patch:
        # Patched where it is called: the comparison of expressions in studykit.questions.checking.
        patch.setattr(checking, "_agree_at_samples", recording)
        try:
            verdict = check(case.text, python_key, mistakes, lang=lang)
            out["verdict"] = {
                "understood": True,
                "correct": verdict.correct,
                "message": verdict.message,
                "misconception": verdict.misconception,
                "feedback": verdict.feedback,
                "wrong": [list(index) for index in verdict.wrong],
            }
        except AnswerError as error:
            out["verdict"] = {
                "understood": False,
                "correct": False,
                "message": str(error),
                "misconception": None,
                "feedback": None,
                "wrong": [],
            }
        except ValueError as error:
            out["thrown"] = str(error)
    out["decided"] = decided
    try:
        answer = parse_answer(case.text, kind, variables=python_key.variables)
        value = None if kind == "expression" else _plain(answer.value)
        out["parsed"] = {"text": answer.text, "shape": list(answer.shape), "value": value}
    except AnswerError as error:
        out["parsed"] = {"error": str(error)}
    out["variables"] = list(python_key.variables)
    return out


# --- comparing -------------------------------------------------------------------------------


def _same_float(a: float, b: float) -> bool:
    """Equal, or one unit in the last place apart (correctly rounded exp/log/pow in the port
    against the platform's libm, which is off by one ulp in a fraction of a percent of cases)."""
    if a == b:
        return math.copysign(1.0, a) == math.copysign(1.0, b) or a != 0
    return abs(a - b) <= math.ulp(max(abs(a), abs(b)))


def _same_value(kind: str, python: Any, js: Any) -> bool:
    if kind in ("number", "tensor"):
        if isinstance(python, list):
            return (
                isinstance(js, list)
                and len(js) == len(python)
                and all(_same_value(kind, p, j) for p, j in zip(python, js, strict=True))
            )
        if js == "-0.0":  # the harness's spelling of -0.0, which JSON lacks
            js = -0.0
        return isinstance(js, int | float) and _same_float(float(python), float(js))
    if kind in ("integer", "shape"):
        if isinstance(python, list):
            return isinstance(js, list) and [float(v) for v in python] == [float(v) for v in js]
        return float(python) == float(js)
    return bool(python == js)


def differences(case: Case, python: dict[str, Any], js: dict[str, Any]) -> list[str]:
    """What differs between the two sides' results for one case (empty when they agree)."""
    found: list[str] = []
    kind = case.key.get("kind") or case.key["answer"]["kind"]
    if "thrown" in python or "thrown" in js:
        if python.get("thrown") != js.get("thrown"):
            found.append(f"raised: python {python.get('thrown')!r}, js {js.get('thrown')!r}")
        return found
    want, got = python["verdict"], js["verdict"]
    decided = python["decided"]
    if None in decided:
        # Python could not decide: the browser must say so, and keep what it knew.
        first = decided.index(None)
        undecided = answer_messages.CHECK_MESSAGES[case.key.get("lang", "en")]["undecided"]
        expected: dict[str, Any] = {
            "understood": True,
            "correct": False,
            "message": undecided if first == 0 else want["message"],
            "misconception": None,
            "feedback": None,
            "wrong": [],
            "undecided": True,
        }
    else:
        expected = {**want, "undecided": False}
    for name, value in expected.items():
        if got.get(name) != value:
            found.append(f"{name}: python {value!r}, js {got.get(name)!r}")
    parsed_python, parsed_js = python["parsed"], js["parsed"]
    if "error" in parsed_python or "error" in parsed_js:
        if parsed_python != parsed_js:
            found.append(f"parseAnswer: python {parsed_python!r}, js {parsed_js!r}")
    else:
        for name in ("text", "shape"):
            if parsed_python[name] != parsed_js.get(name):
                found.append(
                    f"parsed {name}: python {parsed_python[name]!r}, js {parsed_js.get(name)!r}"
                )
        if not _same_value(kind, parsed_python["value"], parsed_js.get("value")):
            found.append(
                f"parsed value: python {parsed_python['value']!r}, js {parsed_js.get('value')!r}"
            )
    return found


UNDECIDED = answer_messages.CHECK_MESSAGES["en"]["undecided"]


# --- running both ------------------------------------------------------------------------------


@dataclass
class Run:
    cases: list[Case]
    python: list[dict[str, Any]]
    js: list[dict[str, Any]]
    floats: list[float]
    formats: list[list[str]]
    constants: dict[str, Any]
    unicode: dict[str, Any]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "node (Node.js) is not on the PATH: the browser checker's parity test needs it "
            "(install Node.js 18 or newer)"
        )
    cases = build_table()
    floats = float_sample()
    agree = expression_samples._agree_at_samples
    python = [python_side(case, agree) for case in cases]
    folder = tmp_path_factory.mktemp("js_checker")
    table = folder / "cases.json"
    results = folder / "results.json"
    payload = {
        "cases": [
            {
                "text": case.text,
                "key": case.key,
                "misconceptions": case.misconceptions,
                "kind": case.key.get("kind") or case.key["answer"]["kind"],
                "variables": side["variables"],
            }
            for case, side in zip(cases, python, strict=True)
        ],
        "floats": floats,
        "unicode": True,
    }
    table.write_text(json.dumps(payload), encoding="utf-8")
    completed = subprocess.run(
        [node, str(HARNESS), str(CHECKER), str(table), str(results)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, f"node failed:\n{completed.stdout}\n{completed.stderr}"
    output = json.loads(results.read_text(encoding="utf-8"))
    return Run(
        cases,
        python,
        output["results"],
        floats,
        output["formats"],
        output["constants"],
        output["unicode"],
    )


def test_the_table_is_large_and_varied(run: Run) -> None:
    assert len(run.cases) >= MIN_CASES
    assert sum(case.key.get("lang") == "ko" for case in run.cases) >= len(run.cases) // 2 - 10
    for kind in KINDS:
        assert sum(case.key.get("kind") == kind for case in run.cases) >= 30, kind
    understood = [side["verdict"]["understood"] for side in run.python if "verdict" in side]
    assert understood.count(True) >= 150
    assert understood.count(False) >= 150
    assert sum(side["verdict"]["correct"] for side in run.python if "verdict" in side) >= 80
    assert sum(None in side["decided"] for side in run.python) >= 3


def test_the_browser_checker_gives_pythons_verdicts(run: Run) -> None:
    failures = []
    for case, python, js in zip(run.cases, run.python, run.js, strict=True):
        found = differences(case, python, js)
        if found:
            where = f"{case.label}: {case.text[:80]!r} key={case.key}"
            failures.append(where + "".join(f"\n    {line}" for line in found))
    assert not failures, f"{len(failures)} of {len(run.cases)} cases differ:\n" + "\n".join(
        failures[:25]
    )


def test_the_limits_and_character_sets_are_pythons(run: Run) -> None:
    js = run.constants
    homes = {
        answer_tokens: (
            *("MAX_LENGTH", "MAX_RAW_LENGTH", "MAX_DEPTH", "MAX_TOKENS", "MAX_DIGITS"),
            *("MAX_MAGNITUDE", "_SPACE", "_OPERATORS", "_SUPERSCRIPTS", "_VULGAR_FRACTIONS"),
            "_REPLACEMENTS",
        ),
        answer_evaluation: ("MAX_EXPONENT",),
        answer_parser: ("MAX_POWERS",),
        answers: ("_RESERVED",),
    }
    for module, names in homes.items():
        for name in names:
            assert js[name.lstrip("_")] == _plain(getattr(module, name)), name
    assert js["NUMBER_FUNCTIONS"] == list(answer_parser._NUMBER_FUNCTIONS)
    assert js["EXPRESSION_FUNCTIONS"] == list(answer_parser._EXPRESSION_FUNCTIONS)
    assert js["SAMPLE_POINTS"] == list(expression_samples.SAMPLE_POINTS)
    assert js["MIN_SAMPLE_POINTS"] == expression_samples.MIN_SAMPLE_POINTS
    assert js["MAX_LISTED"] == checking._MAX_LISTED
    assert js["NOT_VARIABLES"] == list(expression_samples._NOT_VARIABLES)
    defaults = {
        kind: {"rel": t.rel, "abs": t.abs, "sigfigs": t.sigfigs}
        for kind, t in DEFAULT_TOLERANCE.items()
    }
    assert js["DEFAULT_TOLERANCE"] == defaults
    precisions = {kind: None if p is None else p.data() for kind, p in DEFAULT_PRECISION.items()}
    assert js["DEFAULT_PRECISION"] == precisions
    assert js["FUNCTION_NAMES"] == answer_parser.FUNCTION_NAMES
    assert js["MAX_OPTIONS"] == answers.MAX_OPTIONS
    assert js["MAX_FIGURES"] == MAX_FIGURES
    assert js["SINGLE_NAMES"] == answer_tokens._SINGLE_NAMES
    assert js["PARSE_MESSAGES"] == answer_messages.PARSE_MESSAGES
    assert js["CHECK_MESSAGES"] == answer_messages.CHECK_MESSAGES


def test_floats_are_formatted_like_python(run: Run) -> None:
    expected = [[repr(x), format(x, "g")] for x in run.floats]
    wrong = [
        (x, want, got)
        for x, want, got in zip(run.floats, expected, run.formats, strict=True)
        if want != got
    ]
    assert not wrong, wrong[:10]


def _runs(codes: list[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for code in codes:
        if out and out[-1][1] == code - 1:
            out[-1][1] = code
        else:
            out.append([code, code])
    return out


def test_the_unicode_tables_are_cpythons(run: Run) -> None:
    tables = run.unicode
    assert tables["version"] == unicodedata.unidata_version, (
        f"the checker's Unicode tables are for {tables['version']}, this Python has "
        f"{unicodedata.unidata_version}: regenerate UNASSIGNED_RUNS in {CHECKER.name}"
    )
    everything = range(0x110000)
    unassigned = _runs([c for c in everything if unicodedata.category(chr(c)) == "Cn"])
    flat = tables["unassigned"]
    assert [[flat[i], flat[i + 1]] for i in range(0, len(flat), 2)] == unassigned
    not_printable = _runs([c for c in everything if not chr(c).isprintable()])
    assert tables["notPrintable"] == not_printable
    folded = {}
    for code in everything:
        text = unicodedata.normalize("NFKC", chr(code))
        if text != chr(code):
            folded[str(code)] = text
    assert tables["nfkc"] == folded


# --- the format statement ----------------------------------------------------------------------

FORMAT_KEYS: list[dict[str, Any]] = [
    key("number", 0.5),
    key("number", 0.5, precision=prec(sigfigs=1)),
    key("number", 0.5, precision=prec(sigfigs=4)),
    key("number", 0.5, precision=prec(decimals=0)),
    key("number", 0.5, precision=prec(decimals=1)),
    key("number", 0.5, precision=prec(decimals=3)),
    key("number", 0.5, precision=prec()),
    key("number", 0.5, precision=prec(sigfigs=3, fraction=True)),
    key("number", 0.5, precision=prec(decimals=2, fraction=True)),
    key("number", 0.5, precision=prec(decimals=0, fraction=True)),
    key("number", 0.5, precision=prec(fraction=True)),
    key("number", 0.5, tol(0.002, 0.0005)),
    key("number", 0.5, tol(0.0, 0.001)),
    key("number", 0.5, tol(sigfigs=2)),
    key("number", 0.5, tol()),
    key("tensor", [0.5], precision=prec(sigfigs=2)),
    key("tensor", [0.5], precision=prec(decimals=2)),
    key("tensor", [0.5], precision=prec(decimals=0)),
    key("tensor", [1, 2], precision=prec()),
    key("tensor", [0.5], tol(0.005, 1e-6)),
    key("integer", 3),
    key("shape", [2, 3]),
    key("choice", "A"),
    key("choice", "A", options=("x", "y", "z")),
    key("choice", "A", options=("only",)),
    key("choice", "A", options=("3", "7")),
    key("expression", "x*(1-x)"),
    key("expression", "w*(1-w)"),
    key("expression", "x*y*z", variables=("x", "y", "z")),
]


def test_the_format_statements_are_pythons() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node (Node.js) is not on the PATH: the browser checker's parity test needs it")
    script = (
        "const c = require(process.argv[1]);"
        "const keys = JSON.parse(process.argv[2]);"
        "console.log(JSON.stringify(keys.map((k) => [c.answerFormat(k, 'en'),"
        " c.answerFormat(k, 'ko'), c.answerFormat(Object.assign({lang: 'ko'}, k))])));"
    )
    completed = subprocess.run(
        [node, "-e", script, str(CHECKER), json.dumps(FORMAT_KEYS)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    browser = json.loads(completed.stdout)
    for raw, (english, korean_text, by_key) in zip(FORMAT_KEYS, browser, strict=True):
        python_key = _python_key(raw)
        assert english == answer_format(python_key, "en"), raw
        assert korean_text == by_key == answer_format(python_key, "ko"), raw
    # Key.data() carries the same statements, for the site and `show --json`.
    data = _python_key(FORMAT_KEYS[0]).data()
    assert data["format"] == {"en": browser[0][0], "ko": browser[0][1]}
