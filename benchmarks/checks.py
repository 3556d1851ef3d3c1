"""Answer-checking latency on hostile input: the slowest `check` of a corpus and of a fuzz sample.

Usage::

    python -m benchmarks.checks [--fuzz 2000] [--seed 0] [--repeats 3]
        [--json benchmarks/results/checks.json]

Every answer of the hostile corpus (``tests/hostile_answers.txt``: huge numbers, power towers,
10-million-character text, deep nesting, control characters, emoji, code, ...) and of a fuzz
sample drawn with a fixed seed (joins of the answer grammar's tokens, and random Unicode) is
checked against a key of every answer kind, with misconceptions, as ``studykit check`` does.
Each check is timed ``--repeats`` times and its fastest run kept (so a scheduler hiccup is not
blamed on the checker); the table gives, per kind, the median and the slowest check in ms.

Target (issue 14): every check answers within 50 ms, whatever was typed.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from studykit.questions.answer_messages import AnswerError
from studykit.questions.answers import KINDS, AnswerKind
from studykit.questions.checking import Key, Misconception, check

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "hostile_answers.txt"
TARGET_MS = 50.0

# The key of each kind, with misconceptions: the expression is gradients/derivative-formula's
# sigmoid key, the one the stalling answer was typed for.
SIGMOID_DERIVATIVE = "exp(-x)/(1 + exp(-x))**2"
KEYS: dict[AnswerKind, tuple[Key, tuple[Misconception, ...]]] = {
    "number": (
        Key("number", 0.25),
        (Misconception("forgot-square", 0.5, "..."), Misconception("halved", 0.125, "...")),
    ),
    "integer": (Key("integer", 12), (Misconception("off-by-two", 10, "..."),)),
    "tensor": (
        Key("tensor", [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),
        (Misconception("transposed", [[1, 4], [2, 5], [3, 6]], "..."),),
    ),
    "shape": (Key("shape", (2, 3)), (Misconception("swapped", (3, 2), "..."),)),
    "choice": (Key("choice", "B"), (Misconception("picked-a", "A", "..."),)),
    "expression": (
        Key("expression", SIGMOID_DERIVATIVE),
        (
            Misconception("function-not-derivative", "1/(1 + exp(-x))", "..."),
            Misconception("wrong-sign", f"-({SIGMOID_DERIVATIVE})", "..."),
        ),
    ),
}

# Pieces of answers, so that random joins of them often parse and get evaluated.
GRAMMAR_TOKENS = (
    *("2", "3", "0.5", ".25", "10", "1e-3", "1e300", "7", "x", "e", "pi", "π", "1000"),
    *("+", "-", "*", "/", "^", "**", "(", ")", "[", "]", ",", " ", "x", "."),
    *("²", "½", "−", "×", "⁻", "９"),
    *("sqrt(", "exp(", "log(", "ln(", "tanh(", "sin(", "cos(", "torch.tensor(", "Size("),
)


# --- the corpus ------------------------------------------------------------------------------

_ESCAPES = {"\\": "\\", "n": "\n", "t": "\t", "r": "\r", "s": " ", "z": ""}
_CODE_POINT_DIGITS = {"x": 2, "u": 4, "U": 8}


def decode(line: str) -> str:
    r"""One corpus line as the answer it stands for.

    `\\`, `\n`, `\t`, `\r`, `\s` (a space), `\z` (nothing), `\xHH`, `\uHHHH`, `\UHHHHHHHH` are
    escapes; `{{N*text}}` is `text` (itself decoded) repeated N times.

    Args:
        line: The line, without its newline.

    Returns:
        The answer text.

    Raises:
        ValueError: An unknown escape or an unclosed repeat.

    Examples:
        >>> decode(r"{{3*(}}1{{3*)}}\s")
        '(((1))) '
        >>> decode(r"\x00\u00bd")
        '\x00½'
    """
    out: list[str] = []
    i = 0
    while i < len(line):
        if line.startswith("{{", i):
            end = line.index("}}", i)
            count, _, text = line[i + 2 : end].partition("*")
            out.append(decode(text) * int(count))
            i = end + 2
        elif line[i] == "\\":
            code = line[i + 1 : i + 2]
            if code in _CODE_POINT_DIGITS:
                digits = _CODE_POINT_DIGITS[code]
                out.append(chr(int(line[i + 2 : i + 2 + digits], 16)))
                i += 2 + digits
            elif code in _ESCAPES:
                out.append(_ESCAPES[code])
                i += 2
            else:
                raise ValueError(f"unknown escape \\{code} in {line!r}")
        else:
            out.append(line[i])
            i += 1
    return "".join(out)


def read_corpus(path: Path = CORPUS) -> list[str]:
    """The hostile answers of a corpus file (the format is described at its top)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [decode(line) for line in lines if line and not line.startswith("#")]


def fuzz_sample(count: int, seed: int = 0) -> list[str]:
    """`count` random answers: joins of grammar tokens, random formulas, random Unicode text.

    A third of each. The formulas follow the grammar (they mostly parse, so they are evaluated)
    and use hostile numbers (`1e300`, `1000`, `0`, ...). Drawn with `random.Random(seed)`, so
    the same arguments give the same sample everywhere.
    """
    rng = random.Random(seed)
    texts: list[str] = []
    for i in range(count):
        if i % 3 == 0:
            texts.append("".join(rng.choices(GRAMMAR_TOKENS, k=rng.randint(1, 40))))
        elif i % 3 == 1:
            texts.append(random_formula(rng, depth=rng.randint(0, 7)))
        else:
            length = rng.randint(0, 60)
            texts.append("".join(_random_char(rng) for _ in range(length)))
    return texts


FORMULA_ATOMS = ("x", "x", "x", "2", "0", "-0", "0.5", "1000", "1e300", "1e-300", "9", "e", "pi")
FORMULA_FUNCTIONS = ("sqrt", "exp", "log", "ln", "sin", "cos", "tanh")
FORMULA_OPERATORS = ("+", "-", "*", "/", "^", "**")


def random_formula(rng: random.Random, depth: int) -> str:
    """A random formula in x of the answer grammar, `depth` levels of brackets at most."""
    if depth <= 0 or rng.random() < 0.2:
        return rng.choice(FORMULA_ATOMS)
    choice = rng.random()
    if choice < 0.3:
        return f"{rng.choice(FORMULA_FUNCTIONS)}({random_formula(rng, depth - 1)})"
    if choice < 0.45:
        return f"-({random_formula(rng, depth - 1)})"
    terms = [random_formula(rng, depth - 1) for _ in range(rng.randint(2, 4))]
    text = terms[0]
    for term in terms[1:]:
        text += rng.choice(FORMULA_OPERATORS) + term
    return f"({text})" if rng.random() < 0.5 else text


def _random_char(rng: random.Random) -> str:
    """Mostly ASCII, sometimes any code point (surrogates excluded)."""
    if rng.random() < 0.6:
        return chr(rng.randint(0x20, 0x7E))
    code = rng.randint(0, 0x10FFFF)
    return chr(code) if not 0xD800 <= code <= 0xDFFF else "\ufffd"


# --- timing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """One answer checked against one kind's key: its fastest run, and what check said."""

    kind: AnswerKind
    text: str
    seconds: float
    outcome: str  # "correct", "wrong" or "not understood"
    message: str


def time_check(text: str, kind: AnswerKind, repeats: int) -> Timing:
    """The fastest of `repeats` checks of `text` against `KEYS[kind]`.

    Raises:
        AssertionError: `check` raised something other than `AnswerError`, or gave a message
            of more than one line.
    """
    key, mistakes = KEYS[kind]
    best = float("inf")
    outcome = message = ""
    for _ in range(repeats):
        start = time.perf_counter()
        try:
            verdict = check(text, key, mistakes)
            outcome = "correct" if verdict.correct else "wrong"
            message = verdict.message
        except AnswerError as error:
            outcome, message = "not understood", str(error)
        best = min(best, time.perf_counter() - start)
    if len(message.splitlines()) != 1:
        raise AssertionError(f"{kind} check of {shown(text)} gave {message!r}")
    return Timing(kind, text, best, outcome, message)


def time_all(texts: list[str], repeats: int) -> list[Timing]:
    """Every text checked against every kind's key."""
    return [time_check(text, kind, repeats) for text in texts for kind in KINDS]


def shown(text: str, limit: int = 40) -> str:
    """A short, printable form of an answer for the table."""
    spelled = ascii(text) if len(text) <= limit else ascii(text[:limit]) + f"+{len(text) - limit}"
    return spelled if len(spelled) <= 2 * limit else spelled[: 2 * limit] + "…"


def summarize(timings: list[Timing]) -> dict[str, object]:
    """Median and slowest check in ms, the slowest answer, and how the checks ended."""
    ms = [t.seconds * 1000 for t in timings]
    slowest = max(timings, key=lambda t: t.seconds)
    return {
        "checks": len(timings),
        "median_ms": statistics.median(ms),
        "max_ms": max(ms),
        "slowest": shown(slowest.text),
        "slowest_message": slowest.message,
        "over_target": sum(m > TARGET_MS for m in ms),
        "outcomes": {
            o: sum(t.outcome == o for t in timings)
            for o in sorted({"correct", "wrong", "not understood"})
        },
    }


def main(argv: list[str] | None = None) -> int:
    """Time the corpus and the fuzz sample, print a table and write the JSON report."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.checks")
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--fuzz", type=int, default=2000, help="random answers to add")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", default="benchmarks/results/checks.json")
    args = parser.parse_args(argv)
    corpus = read_corpus(Path(args.corpus))
    fuzz = fuzz_sample(args.fuzz, args.seed)
    for kind in KINDS:  # warm-up: first-call costs
        time_check("1", kind, 1)
    sets = {"corpus": time_all(corpus, args.repeats), "fuzz": time_all(fuzz, args.repeats)}
    rows: list[dict[str, object]] = []
    print(f"{'set':<7} {'kind':<11} {'checks':>6} {'median ms':>10} {'max ms':>8}  slowest answer")
    for name, timings in sets.items():
        for group in (*KINDS, "all"):
            chosen = [t for t in timings if group in ("all", t.kind)]
            if not chosen:
                continue
            row = {"set": name, "kind": group, **summarize(chosen)}
            rows.append(row)
            print(
                f"{name:<7} {group:<11} {row['checks']:>6} {row['median_ms']:>10.3f} "
                f"{row['max_ms']:>8.2f}  {row['slowest']}"
            )
    everything = [t for timings in sets.values() for t in timings]
    worst = max(everything, key=lambda t: t.seconds)
    over = [t for t in everything if t.seconds * 1000 > TARGET_MS]
    report = {
        "python": platform.python_version(),
        "corpus_answers": len(corpus),
        "fuzz_answers": len(fuzz),
        "seed": args.seed,
        "repeats": args.repeats,
        "target_ms": TARGET_MS,
        "max_ms": worst.seconds * 1000,
        "slowest": {"kind": worst.kind, "answer": shown(worst.text), "message": worst.message},
        "over_target": [
            {"kind": t.kind, "answer": shown(t.text), "ms": t.seconds * 1000} for t in over
        ],
        "rows": rows,
    }
    print(
        f"\nslowest check {worst.seconds * 1000:.2f} ms ({worst.kind}, {shown(worst.text)}); "
        f"{len(over)} of {len(everything)} over the {TARGET_MS:g} ms target"
    )
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
