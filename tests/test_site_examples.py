"""The notes' worked examples: one per topic, well-formed, and their numbers match torch.

The examples print what studykit computes; the checks at the bottom recompute a few of the shown
numbers with torch alone (``torch.nn.functional``, ``torch.optim``), on the same inputs, and
look for them in the snippet formatted the same way, so an example cannot drift from the truth.
Each example is computed once and written in English and in Korean: the Korean text has the
English one's numbers, formulas and code blocks, and is mostly Hangul.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from studykit.questions.render import fmt_num, fmt_tensor
from studykit.site import examples as examples_package
from studykit.site.examples import EXAMPLES, LANGUAGES, TOPIC_MODULES, Example, write_examples
from studykit.topics import topic_ids

F64 = torch.float64

FENCE = re.compile(r"^```[^\n]*\n.*?^```[ \t]*$", re.MULTILINE | re.DOTALL)
MATH = re.compile(r"\\\(.*?\\\)", re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]+`")
# A decimal; Hangul may follow it at once (0.25에서), so ASCII-only word boundaries.
DECIMAL = re.compile(r"(?<![0-9A-Za-z_.])(?:\d+(?:\.\d+)?e[-+]?\d+|\d+\.\d+)(?![0-9A-Za-z_]|\.\d)")
HANGUL = re.compile(r"[가-힣ㄱ-ㅎㅏ-ㅣ]")
LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture(scope="module")
def examples() -> dict[str, Example]:
    """Every example, run once for the module."""
    return {topic: example() for topic, example in EXAMPLES.items()}


@pytest.fixture(scope="module")
def snippets(examples: dict[str, Example]) -> dict[str, str]:
    """Every example's English text."""
    return {topic: example.en for topic, example in examples.items()}


def _table_row(text: str, first_cell: str) -> list[str]:
    """The cells of the Markdown table row whose first cell is ``first_cell``."""
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no table row starting with {first_cell!r}")


def _shown_tensor(text: str, label: str) -> list[float]:
    """The numbers of the tensor printed as ``label = [[...]]`` in a code block."""
    match = re.search(re.escape(label) + r" = (\[[^=`]*\])", text)
    assert match, f"no tensor labelled {label!r}"
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", match.group(1))]


def _squash(text: str) -> str:
    """The text without any whitespace, to find a multi-line tensor whatever its indentation."""
    return "".join(text.split())


def test_every_topic_has_an_example() -> None:
    assert list(EXAMPLES) == list(topic_ids())
    assert list(TOPIC_MODULES) == list(topic_ids())


def _shared(text: str) -> dict[str, object]:
    """What the two languages of an example must have in common."""
    outside_code = FENCE.sub("\n", text)
    return {
        "code blocks": FENCE.findall(text),
        "formulas": Counter(MATH.findall(outside_code)),
        "decimals": sorted(set(DECIMAL.findall(text))),
    }


def _hangul_share(text: str) -> float:
    """Hangul's share of the letters outside code blocks, formulas and inline code."""
    prose = INLINE_CODE.sub(" ", MATH.sub(" ", FENCE.sub("\n", text)))
    hangul, latin = len(HANGUL.findall(prose)), len(LATIN.findall(prose))
    return hangul / max(hangul + latin, 1)


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("topic", topic_ids())
def test_example_is_nonempty_markdown_with_numbers(
    examples: dict[str, Example], topic: str, language: str
) -> None:
    text = examples[topic].text(language)
    assert text.strip()
    assert re.search(r"\d", text)
    assert text.endswith("\n")
    assert "--8<--" not in text
    assert not [line for line in text.splitlines() if line.startswith("#")], "no headings"
    assert text.count("```") % 2 == 0, "unclosed code fence"
    assert text.count("\\(") == text.count("\\)"), "unbalanced inline math"
    shown_gaps = "[1, nan, 3, nan, nan, 9]"  # the preprocessing example's input column
    assert not re.search(r"\bnan\b|\binf\b", text.replace(shown_gaps, "")), "a NaN leaked out"


def test_examples_are_deterministic() -> None:
    for topic in ("gradient-descent", "models", "regularization", "data", "sequences"):
        first, second = EXAMPLES[topic](), EXAMPLES[topic]()
        assert first.en == second.en, topic
        assert first.ko == second.ko, topic


def test_write_examples_writes_both_languages_of_every_topic(
    tmp_path: Path, examples: dict[str, Example]
) -> None:
    out = tmp_path / "generated" / "examples"
    written = write_examples(out)
    names = [f"{t}{suffix}" for t in topic_ids() for suffix in (".md", ".ko.md")]
    assert [p.name for p in written] == names
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    for path in written:
        topic, _, suffix = path.name.partition(".")
        language = "ko" if suffix == "ko.md" else "en"
        assert path.read_text(encoding="utf-8") == examples[topic].text(language)


def test_write_examples_computes_each_example_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: Counter[str] = Counter()

    def counted(topic: str) -> Callable[[], Example]:
        def make() -> Example:
            calls[topic] += 1
            return Example(en=f"{topic} 0.25\n", ko=f"{topic} 0.25에서\n")

        return make

    for topic in topic_ids():
        monkeypatch.setitem(examples_package.EXAMPLES, topic, counted(topic))
    write_examples(tmp_path)
    assert calls == Counter(topic_ids())
    assert (tmp_path / "data.ko.md").read_text(encoding="utf-8") == "data 0.25에서\n"


def test_example_text_picks_a_language() -> None:
    example = Example(en="one\n", ko="하나\n")
    assert (example.text("en"), example.text("ko")) == ("one\n", "하나\n")
    with pytest.raises(ValueError, match="unknown language"):
        example.text("fr")


@pytest.mark.parametrize("topic", topic_ids())
def test_korean_example_shares_the_english_numbers_formulas_and_code(
    examples: dict[str, Example], topic: str
) -> None:
    english, korean = _shared(examples[topic].en), _shared(examples[topic].ko)
    for part, value in english.items():
        assert korean[part] == value, f"{topic}: {part} differ"


@pytest.mark.parametrize("topic", topic_ids())
def test_korean_example_is_mostly_hangul(examples: dict[str, Example], topic: str) -> None:
    share = _hangul_share(examples[topic].ko)
    assert share >= 0.6, f"{topic}: {share:.0%} of the Korean prose letters are Hangul"
    assert _hangul_share(examples[topic].en) < 0.2


@pytest.mark.parametrize("topic", topic_ids())
def test_korean_example_attaches_its_particles(examples: dict[str, Example], topic: str) -> None:
    text = FENCE.sub("\n", examples[topic].ko)
    particle = r"(?:은|는|이|가|을|를|의|에|와|과|로|으로|도)(?=[\s.,)])"
    detached = re.findall(rf"(?:`[^`\n]+`|\b\d+(?:\.\d+)?|\\\)|\])[ ]+{particle}", text)
    assert detached == [], f"{topic}: particles set apart: {detached[:5]}"
    assert not re.search(r"\d+ ?번째", text), f"{topic}: a 0-based position written as 번째"


def test_the_shared_parts_catch_a_drift() -> None:
    english = "A \\(x^2\\) at 0.25:\n\n```text\nw = 1.5\n```\n"
    korean = "0.25에서 \\(x^2\\)의 값입니다.\n\n```text\nw = 1.5\n```\n"
    assert _shared(english) == _shared(korean)
    for wrong, right in [("0.25에서", "0.5에서"), ("x^2", "x^3"), ("w = 1.5", "w = 1.25")]:
        assert _shared(korean.replace(wrong, right)) != _shared(english), right
    assert _hangul_share(korean) > 0.6


def test_losses_match_torch(snippets: dict[str, str]) -> None:
    text = snippets["losses"]
    pred, target = (
        torch.tensor([2.0, 4.5, 9.0], dtype=F64),
        torch.tensor([2.5, 4.0, 6.0], dtype=F64),
    )
    mean = _table_row(text, "**mean**")
    assert mean[4] == f"MAE = {fmt_num(F.l1_loss(pred, target).item())}"
    assert mean[5] == f"MSE = {fmt_num(F.mse_loss(pred, target).item())}"
    assert f"= {fmt_num(F.mse_loss(pred, target).sqrt().item())}." in text  # RMSE

    probs, labels = (
        torch.tensor([0.9, 0.4, 0.2], dtype=F64),
        torch.tensor([1.0, 0.0, 1.0], dtype=F64),
    )
    bce = _table_row(text, "binary cross-entropy")
    assert bce[2] == fmt_num(F.binary_cross_entropy(probs, labels).item())
    logits = torch.tensor([[2.0, 1.0, 0.1]], dtype=F64)
    ce = F.cross_entropy(logits, torch.tensor([0])).item()
    assert f"is 0: {fmt_num(ce)}" in text


def test_optimizers_match_torch_optim(snippets: dict[str, str]) -> None:
    text = snippets["optimizers"]
    makers: dict[str, Callable[[list[torch.Tensor]], torch.optim.Optimizer]] = {
        "SGD": lambda p: torch.optim.SGD(p, lr=0.1),
        "SGD, momentum 0.9": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9),
        "Adagrad": lambda p: torch.optim.Adagrad(p, lr=0.1),
        "RMSprop (α = 0.99)": lambda p: torch.optim.RMSprop(p, lr=0.1),
        "Adam (β = 0.9, 0.999)": lambda p: torch.optim.Adam(p, lr=0.1),
    }
    for name, make in makers.items():
        w = torch.tensor([2.0], dtype=F64, requires_grad=True)
        opt = make([w])
        expected = [name]
        for g in (4.0, 1.0):
            w.grad = torch.tensor([g], dtype=F64)
            opt.step()
            expected.append(fmt_num(w.item()))
        assert _table_row(text, name) == expected
    # Adam's second moment after two steps, as torch keeps it.
    assert _table_row(text, "2")[3] == fmt_num(opt.state[w]["exp_avg_sq"].item())


def test_convolution_matches_torch_conv2d(snippets: dict[str, str]) -> None:
    text = snippets["convolution"]
    image = torch.tensor(
        [[1.0, 2.0, 0.0, 1.0], [0.0, 1.0, 3.0, 1.0], [2.0, 0.0, 1.0, 2.0], [1.0, 1.0, 0.0, 3.0]],
        dtype=F64,
    )[None, None]
    kernel = torch.tensor([[1.0, 0.0], [-1.0, 2.0]], dtype=F64)[None, None]
    for label, stride in (("stride 2", 2), ("stride 1", 1)):
        expected = F.conv2d(image, kernel, stride=stride)[0, 0]
        assert _squash(f"{label} = {fmt_tensor(expected.tolist())}") in _squash(text)
    with_bias = F.conv2d(image, kernel, bias=torch.tensor([0.5], dtype=F64), stride=2)[0, 0]
    assert _squash(f"bias 0.5 = {fmt_tensor(with_bias.tolist())}") in _squash(text)
    padded = F.conv2d(image, kernel, padding=1)
    assert f"grows to {tuple(padded.shape[2:])}" in text
    pooled = F.max_pool2d(image, 2)[0, 0]
    assert _squash(f"max pool 2×2 = {fmt_tensor(pooled.tolist())}") in _squash(text)


def test_normalization_matches_torch_batch_norm(snippets: dict[str, str]) -> None:
    text = snippets["normalization"]
    x = torch.tensor([[1.0, 10.0], [2.0, 30.0], [3.0, 20.0], [6.0, 60.0]], dtype=F64)
    mean, var = torch.zeros(2, dtype=F64), torch.ones(2, dtype=F64)
    out = F.batch_norm(x, mean, var, training=True, momentum=0.1)
    # 4 significant digits, and torch's rounding noise (1e-16) is shown as 0.
    shown = _shown_tensor(text, "training")
    assert shown == pytest.approx(out.reshape(-1).tolist(), rel=1e-3, abs=1e-9)
    row = _table_row(text, "running, after 1 batch")
    assert row[1] == "[" + ", ".join(fmt_num(v) for v in mean.tolist()) + "]"
    assert row[2] == "[" + ", ".join(fmt_num(v) for v in var.tolist()) + "]"


def test_gradient_descent_matches_a_torch_training_loop(snippets: dict[str, str]) -> None:
    text = snippets["gradient-descent"]
    gen = torch.Generator().manual_seed(42)
    time = torch.arange(20, dtype=F64)
    speed = torch.randn(20, generator=gen, dtype=F64) * 3 + 0.75 * (time - 9.5) ** 2 + 1
    expected = ["20"]
    for lr in (1e-5, 1e-3, 1e-2):
        params = torch.tensor([-0.5, 1.0, 1.0], dtype=F64, requires_grad=True)
        opt = torch.optim.SGD([params], lr=lr)
        for _ in range(20):
            a, b, c = params
            loss = F.mse_loss(a * time**2 + b * time + c, speed).sqrt()
            opt.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            opt.step()
        a, b, c = params.detach()
        expected.append(fmt_num(F.mse_loss(a * time**2 + b * time + c, speed).sqrt().item()))
    assert _table_row(text, "20") == expected
