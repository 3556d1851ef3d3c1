"""A drill file read and checked: plain data, no torch, nothing in it executed.

A drill (``drills/<topic>/<id>.yaml``) names the function a student writes, the reference it is
checked against, the torch operations the student may not call, the cases to run and the
mistakes to recognise. Its code fields (``reference``, ``torch``, ``cheat``, ``driver`` and each
mistake's ``code``) are contributed content like the question templates: this module only reads
them as text; they run in the check's separate, limited process (`studykit.drills.sandbox`).

Every problem is one line naming the file, its line and the field
(``drills/activations/softmax.yaml:12: cases.2.args.x: ...``).
"""

from __future__ import annotations

import ast
import keyword
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studykit.questions.yamlfile import Document, YamlError, bank_files, read_yaml
from studykit.topics import topic_ids

__all__ = [
    "DTYPES",
    "TENSOR_KINDS",
    "Case",
    "Drill",
    "DrillError",
    "Mistake",
    "load_drill",
    "scan_drills",
    "shown_forbidden",
]

DTYPES = ("float32", "float64")
TENSOR_KINDS = ("randn", "uniform", "randint", "values")
DEFAULT_TOLERANCE = {"float32": (1e-4, 1e-5), "float64": (1e-7, 1e-9)}
MAX_DIM = 64  # a named dimension's size at most: the checks stay small and fast
MAX_CASES = 40
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DOTTED = re.compile(r"studykit(?:\.[A-Za-z_][A-Za-z0-9_]*)+")
_PATTERN = re.compile(r"torch(?:\.[A-Za-z_*][A-Za-z0-9_*]*)+")
_FIELDS = {
    "id", "topic", "difficulty", "title", "function", "signature", "stub", "concept", "formula",
    "term", "shapes", "reference", "torch", "cheat", "forbidden", "tolerance", "dims", "driver",
    "outputs", "cases", "mistakes", "hints",
}  # fmt: skip
_REQUIRED = (
    "id", "topic", "difficulty", "title", "function", "concept", "term", "reference", "torch",
    "forbidden", "cases", "mistakes",
)  # fmt: skip


class DrillError(ValueError):
    """A drill file that cannot be used: one line with file, line and field."""


@dataclass(frozen=True)
class Case:
    """One call to check: named arguments (plain values or tensor specs), gradients, dtypes."""

    name: dict[str, str]
    args: dict[str, Any]
    grad: tuple[str, ...] = ()
    dtypes: tuple[str, ...] = DTYPES
    dims: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Mistake:
    """A wrong implementation students write, and what to tell them when theirs matches it."""

    id: str
    code: str
    feedback: dict[str, str]


@dataclass(frozen=True)
class Drill:
    """One drill, validated."""

    id: str
    topic: str
    difficulty: int
    title: dict[str, str]
    function: str
    signature: str
    stub: str | None
    concept: dict[str, str]
    formula: str | None
    term: dict[str, str]
    shapes: dict[str, str] | None
    reference: str
    torch: str
    cheat: str
    forbidden: tuple[str, ...]
    shown: dict[str, str]  # what to call a forbidden pattern (``torch.optim``), where it is cryptic
    tolerance: dict[str, tuple[float, float]]
    dims: dict[str, int]
    driver: str | None
    outputs: tuple[str, ...]
    cases: tuple[Case, ...]
    mistakes: tuple[Mistake, ...]
    hints: tuple[dict[str, str], ...]
    path: Path

    def to_job(self) -> dict[str, Any]:
        """The plain data the check process needs (sent to it as JSON)."""
        return {
            "id": self.id,
            "function": self.function,
            "reference": self.reference,
            "torch": self.torch,
            "cheat": self.cheat,
            "forbidden": list(self.forbidden),
            "shown": self.shown,
            "tolerance": {k: list(v) for k, v in self.tolerance.items()},
            "dims": self.dims,
            "driver": self.driver,
            "outputs": list(self.outputs),
            "cases": [
                {
                    "name": c.name,
                    "args": c.args,
                    "grad": list(c.grad),
                    "dtypes": list(c.dtypes),
                    "dims": c.dims,
                }
                for c in self.cases
            ],
            "mistakes": [
                {"id": m.id, "code": m.code, "feedback": m.feedback} for m in self.mistakes
            ],
        }


class _Reader:
    """Field accessors that raise one-line errors naming file, line and field."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def fail(self, field_path: str, problem: str) -> DrillError:
        return DrillError(f"{self.doc.where(field_path)}: {field_path}: {problem}")

    def get(self, data: dict[str, Any], key: str, where: str) -> Any:
        return data.get(key) if isinstance(data, dict) else None

    def text(self, value: Any, where: str, allow_empty: bool = False) -> str:
        if not isinstance(value, str) or (not allow_empty and not value.strip()):
            raise self.fail(where, "must be a non-empty text")
        return value

    def bilingual(self, value: Any, where: str) -> dict[str, str]:
        if not isinstance(value, dict) or set(value) != {"en", "ko"}:
            raise self.fail(where, "must give the text in English and Korean (en: ..., ko: ...)")
        return {lang: self.text(value[lang], f"{where}.{lang}") for lang in ("en", "ko")}

    def code(self, value: Any, where: str) -> str:
        text = self.text(value, where)
        try:
            ast.parse(text)
        except SyntaxError as error:
            problem = f"Python syntax error on its line {error.lineno}: {error.msg}"
            raise self.fail(where, problem) from None
        return text

    def defines(self, code: str, name: str, where: str) -> None:
        tree = ast.parse(code)
        names = {
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
        }
        names |= {
            target.id
            for node in tree.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        if name not in names:
            raise self.fail(where, f"must define {name!r} at the top level")


def _identifier(value: Any) -> bool:
    return isinstance(value, str) and value.isidentifier() and not keyword.iskeyword(value)


def load_drill(path: Path) -> Drill:
    """Read and validate one drill file.

    Raises:
        DrillError: A one-line message naming the file, line and field.
    """
    try:
        doc = read_yaml(path)
    except YamlError as error:
        raise DrillError(str(error)) from None
    r = _Reader(doc)
    data = doc.data
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise r.fail(unknown[0], f"unknown field (known: {', '.join(sorted(_FIELDS))})")
    for key in _REQUIRED:
        if key not in data:
            raise DrillError(f"{path}:1: missing field {key!r}")
    drill_id = data["id"]
    if not isinstance(drill_id, str) or not _ID.fullmatch(drill_id):
        raise r.fail("id", "must be lower-case words joined by '-' (like 'log-softmax')")
    if drill_id != path.stem:
        raise r.fail("id", f"must match the file name ({path.stem!r})")
    topic = data["topic"]
    if topic not in topic_ids():
        raise r.fail("topic", f"unknown topic {topic!r} (known: {', '.join(topic_ids())})")
    if path.parent.name != topic:
        raise r.fail("topic", f"the file must be in a folder named {topic!r}")
    difficulty = data["difficulty"]
    if difficulty not in (1, 2, 3) or isinstance(difficulty, bool):
        raise r.fail("difficulty", "must be 1, 2 or 3")
    function = data["function"]
    if not _identifier(function):
        raise r.fail("function", "must be a Python name")
    stub = data.get("stub")
    signature = data.get("signature")
    if stub is None:
        signature = r.text(signature, "signature")
        try:
            ast.parse(f"def {function}{signature}:\n    pass\n")
        except SyntaxError:
            example = "'(x: torch.Tensor, dim: int) -> torch.Tensor'"
            raise r.fail("signature", f"must read like {example}") from None
    else:
        stub = r.code(stub, "stub")
        r.defines(stub, function, "stub")
        signature = signature if isinstance(signature, str) else ""
    reference = data["reference"]
    if isinstance(reference, str) and _DOTTED.fullmatch(reference.strip()):
        reference = reference.strip()
    else:
        reference = r.code(reference, "reference")
        r.defines(reference, function, "reference")
    oracle = r.code(data["torch"], "torch")
    r.defines(oracle, function, "torch")
    cheat = oracle if data.get("cheat") is None else r.code(data["cheat"], "cheat")
    r.defines(cheat, function, "cheat")
    driver = None if data.get("driver") is None else r.code(data["driver"], "driver")
    if driver is not None:
        r.defines(driver, "drive", "driver")
    forbidden, shown = _forbidden(r, data["forbidden"])
    dims = _dims(r, data.get("dims", {}), "dims")
    drill = Drill(
        id=drill_id,
        topic=topic,
        difficulty=difficulty,
        title=r.bilingual(data["title"], "title"),
        function=function,
        signature=signature,
        stub=stub,
        concept=r.bilingual(data["concept"], "concept"),
        formula=None if data.get("formula") is None else r.text(data["formula"], "formula"),
        term=r.bilingual(data["term"], "term"),
        shapes=None if data.get("shapes") is None else r.bilingual(data["shapes"], "shapes"),
        reference=reference,
        torch=oracle,
        cheat=cheat,
        forbidden=forbidden,
        shown=shown,
        tolerance=_tolerance(r, data.get("tolerance")),
        dims=dims,
        driver=driver,
        outputs=_outputs(r, data.get("outputs")),
        cases=_cases(r, data["cases"], dims),
        mistakes=_mistakes(r, data["mistakes"], function),
        hints=_hints(r, data.get("hints", [])),
        path=path,
    )
    return drill


def _forbidden(r: _Reader, value: Any) -> tuple[tuple[str, ...], dict[str, str]]:
    """Patterns, each a torch name or ``{op: pattern, shown: what students are told it is}``."""
    if not isinstance(value, list) or not value:
        raise r.fail("forbidden", "must list at least one torch operation (like torch.softmax)")
    patterns, shown = [], {}
    for i, item in enumerate(value):
        if isinstance(item, dict):
            if set(item) != {"op", "shown"} or not isinstance(item["shown"], str):
                raise r.fail(f"forbidden.{i}", "must be a torch name, or {op: ..., shown: ...}")
            shown[item["op"]] = item["shown"]
            item = item["op"]
        if not isinstance(item, str) or not _PATTERN.fullmatch(item):
            raise r.fail(f"forbidden.{i}", "must be a torch name like torch.nn.functional.softmax")
        patterns.append(item)
    return tuple(patterns), shown


def shown_forbidden(drill: Drill) -> list[str]:
    """The forbidden operations as students are told them, in order, each once."""
    names: list[str] = []
    for pattern in drill.forbidden:
        name = drill.shown.get(pattern, pattern)
        if name not in names:
            names.append(name)
    return names


def _dims(r: _Reader, value: Any, where: str) -> dict[str, int]:
    if not isinstance(value, dict):
        raise r.fail(where, "must map dimension names to sizes (like {N: 4, C: 3})")
    for name, size in value.items():
        if not _identifier(name):
            raise r.fail(f"{where}.{name}", "a dimension name must be a Python name")
        if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_DIM:
            raise r.fail(f"{where}.{name}", f"must be a whole number from 1 to {MAX_DIM}")
    return dict(value)


def _tolerance(r: _Reader, value: Any) -> dict[str, tuple[float, float]]:
    tolerance = dict(DEFAULT_TOLERANCE)
    if value is None:
        return tolerance
    if not isinstance(value, dict) or not set(value) <= set(DTYPES):
        raise r.fail("tolerance", "must map float32/float64 to {rtol: ..., atol: ...}")
    for dtype, pair in value.items():
        where = f"tolerance.{dtype}"
        if not isinstance(pair, dict) or set(pair) != {"rtol", "atol"}:
            raise r.fail(where, "must give rtol and atol")
        numbers = (pair["rtol"], pair["atol"])
        if not all(isinstance(x, int | float) and not isinstance(x, bool) for x in numbers):
            raise r.fail(where, "rtol and atol must be numbers")
        if not all(0 <= x <= 1 for x in numbers):
            raise r.fail(where, "rtol and atol must be from 0 to 1")
        tolerance[dtype] = (float(numbers[0]), float(numbers[1]))
    return tolerance


def _outputs(r: _Reader, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(_identifier(v) for v in value):
        raise r.fail("outputs", "must list a name for each part of the result (like [out, mean])")
    return tuple(value)


def _cases(r: _Reader, value: Any, dims: dict[str, int]) -> tuple[Case, ...]:
    if not isinstance(value, list) or not value:
        raise r.fail("cases", "must list at least one case")
    if len(value) > MAX_CASES:
        raise r.fail("cases", f"at most {MAX_CASES} cases")
    cases = []
    for i, raw in enumerate(value):
        where = f"cases.{i}"
        if not isinstance(raw, dict):
            raise r.fail(where, "must be a mapping with name and args")
        unknown = sorted(set(raw) - {"name", "args", "grad", "dtypes", "dims"})
        if unknown:
            raise r.fail(
                f"{where}.{unknown[0]}", "unknown field (known: name, args, grad, dtypes, dims)"
            )
        args = raw.get("args")
        if not isinstance(args, dict):
            raise r.fail(f"{where}.args", "must map each argument's name to its value")
        case_dims = {**dims, **_dims(r, raw.get("dims", {}), f"{where}.dims")}
        for name, arg in args.items():
            if not _identifier(name):
                raise r.fail(f"{where}.args.{name}", "an argument name must be a Python name")
            _check_arg(r, arg, f"{where}.args.{name}", case_dims)
        grad = raw.get("grad", [])
        if not isinstance(grad, list) or not all(
            g in args and _is_float_spec(args[g]) for g in grad
        ):
            raise r.fail(f"{where}.grad", "must list arguments that are float tensors")
        dtypes = raw.get("dtypes", list(DTYPES))
        if not isinstance(dtypes, list) or not dtypes or not set(dtypes) <= set(DTYPES):
            raise r.fail(f"{where}.dtypes", "must list float32 and/or float64")
        cases.append(
            Case(
                name=r.bilingual(raw.get("name"), f"{where}.name"),
                args=args,
                grad=tuple(grad),
                dtypes=tuple(dtypes),
                dims=case_dims,
            )
        )
    return tuple(cases)


def _is_float_spec(arg: Any) -> bool:
    return isinstance(arg, dict) and (
        "randn" in arg
        or "uniform" in arg
        or ("values" in arg and arg.get("dtype", "float") == "float")
    )


def _check_arg(r: _Reader, arg: Any, where: str, dims: dict[str, int]) -> None:
    """A plain YAML value, or a tensor spec: one of ``TENSOR_KINDS`` and its options."""
    if not isinstance(arg, dict):
        return
    kinds = [k for k in TENSOR_KINDS if k in arg]
    if len(kinds) != 1:
        raise r.fail(where, f"a tensor is given by exactly one of {', '.join(TENSOR_KINDS)}")
    kind = kinds[0]
    options = {
        "randn": {"scale", "shift"},
        "uniform": {"low", "high"},
        "randint": {"low", "high"},
        "values": {"dtype"},
    }[kind]
    unknown = sorted(set(arg) - options - {kind})
    if unknown:
        raise r.fail(
            f"{where}.{unknown[0]}",
            f"unknown option for {kind} (known: {', '.join(sorted(options))})",
        )
    for option in options & set(arg) - {"dtype"}:
        number = arg[option]
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise r.fail(f"{where}.{option}", "must be a number")
    if kind == "values":
        if arg.get("dtype", "float") not in ("float", "long", "bool"):
            raise r.fail(f"{where}.dtype", "must be float, long or bool")
        if not _numbers(arg["values"]):
            raise r.fail(
                f"{where}.values", 'must be numbers, nested lists of them, "nan", "inf" or "-inf"'
            )
        return
    shape = arg[kind]
    if not isinstance(shape, list):
        raise r.fail(f"{where}.{kind}", "must be a shape: a list of sizes or dimension names")
    for size in shape:
        if isinstance(size, str):
            if size not in dims:
                raise r.fail(f"{where}.{kind}", f"dimension {size!r} has no size in dims")
        elif isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= MAX_DIM:
            raise r.fail(f"{where}.{kind}", f"sizes must be names or whole numbers up to {MAX_DIM}")
    if kind == "randint" and not {"low", "high"} <= set(arg):
        raise r.fail(where, "randint needs low and high (high excluded)")


def _numbers(values: Any) -> bool:
    if isinstance(values, list):
        return all(_numbers(v) for v in values)
    if isinstance(values, str):
        return values in ("nan", "inf", "-inf")
    return isinstance(values, int | float)


def _mistakes(r: _Reader, value: Any, function: str) -> tuple[Mistake, ...]:
    if not isinstance(value, list) or len(value) < 2:
        raise r.fail("mistakes", "must list at least two mistakes")
    mistakes, seen = [], set()
    for i, raw in enumerate(value):
        where = f"mistakes.{i}"
        if not isinstance(raw, dict) or set(raw) != {"id", "code", "feedback"}:
            raise r.fail(where, "must give id, code and feedback")
        mistake_id = raw["id"]
        if not isinstance(mistake_id, str) or not _ID.fullmatch(mistake_id):
            raise r.fail(f"{where}.id", "must be lower-case words joined by '-'")
        if mistake_id in seen:
            raise r.fail(f"{where}.id", f"{mistake_id!r} appears twice")
        seen.add(mistake_id)
        code = r.code(raw["code"], f"{where}.code")
        r.defines(code, function, f"{where}.code")
        mistakes.append(
            Mistake(mistake_id, code, r.bilingual(raw["feedback"], f"{where}.feedback"))
        )
    return tuple(mistakes)


def _hints(r: _Reader, value: Any) -> tuple[dict[str, str], ...]:
    if not isinstance(value, list):
        raise r.fail("hints", "must be a list of hints (en: ..., ko: ...)")
    return tuple(r.bilingual(hint, f"hints.{i}") for i, hint in enumerate(value))


def scan_drills(root: Path) -> tuple[list[Drill], list[str]]:
    """Every drill under ``root`` (sorted by topic order, then id) and one error per bad file."""
    drills, errors = [], []
    for path, problem in bank_files(root):
        if problem is not None:
            errors.append(str(problem))
            continue
        try:
            drills.append(load_drill(path))
        except DrillError as error:
            errors.append(str(error))
    seen: dict[str, Path] = {}
    for drill in drills:
        if drill.id in seen:
            errors.append(f"{drill.path}:1: id: {drill.id!r} is also used by {seen[drill.id]}")
        seen[drill.id] = drill.path
    order = {topic: i for i, topic in enumerate(topic_ids())}
    drills.sort(key=lambda d: (order[d.topic], d.difficulty, d.id))
    return drills, errors
