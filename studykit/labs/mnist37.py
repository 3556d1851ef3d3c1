r"""Telling 3s from 7s: the notes' MNIST pipeline, step by step, on real handwritten digits.

The notes' chapter 4 builds a digit classifier three times, each one a yardstick for the next:

1. **A baseline with no learning (기준선, baseline).** Average every training 3 into one "ideal
   3" (평균 이미지, mean image) and every 7 into an "ideal 7"; call a validation image a 3 when it
   is closer to the ideal 3. Closer by the L1 distance (평균 절대 차, the notes'
   ``mnist_distance``) or by the RMSE distance (평균 제곱근 오차); the lab reports both.
2. **A linear model trained with SGD (확률적 경사 하강법).** One weight per pixel and a bias,
   ``linear1(xb) = xb @ weights + bias``; the loss is ``mnist_loss`` on the sigmoid of the score;
   ``calc_grad`` back-propagates one mini-batch, ``train_epoch`` steps through every mini-batch
   with a ``BasicOptim``, ``validate_epoch`` averages ``batch_accuracy`` over the validation
   batches.
3. **``simple_net``**: a hidden layer of 30 ReLU units between two linear layers, trained the
   same way; its gradients come from ``studykit.models.simple_net_backward``, back-propagation
   (역전파) written out by hand.

**Overall accuracy versus the mean of per-class accuracies.** The notes print
``(tensor(0.9168), tensor(0.9854), tensor(0.9511))``: the accuracy on the 3s, on the 7s, and
their *average*. That 0.9511 is not the share of validation images classified right: with
1,010 threes and 1,028 sevens the overall accuracy is
\((0.9168 \cdot 1010 + 0.9854 \cdot 1028) / 2038 \approx 0.9514\). The two agree only when
the classes are equally large (or equally well classified); on an unbalanced set the mean of
per-class accuracies (균형 정확도, balanced accuracy) is the fairer number, because a model that
ignores the small class can still score a high overall accuracy. The lab reports both.

**What changes on the small set.** scikit-learn's digits (`studykit.labs.digits`) are 8×8
images with about 180 threes and 180 sevens, so the notes' 784 weights become 64 and the
notes' 784-30-1 ``simple_net`` becomes 64-30-1. The notes' recipe trained on about 12,000
images with a batch size of 256: about 48 SGD steps per epoch. Here a batch of 256 would hold
the whole training set (about 290 images), leaving one step per epoch, so the lab uses a batch
size of 32 (about 9 steps per epoch) and keeps the notes' learning rate of 1.0 for the linear
model and their one tenth of it (0.1) for ``simple_net``; ``--lr`` sets the first and the second
follows at a tenth. ``init_params`` draws with a standard deviation of 0.1 instead of the notes'
1.0: with a few hundred steps instead of a thousand, scores of size 4 or more put the sigmoid on
its flat tails from the start, where ``mnist_loss`` has almost no gradient, and a run can stall
at chance (try it: the lab's defaults are module constants). The validation set (about 72
images) fits in one validation batch of 256, so ``validate_epoch``'s mean of batch accuracies
is exactly the overall accuracy.

The notes' MNIST figures are quoted beside the results, not reproduced: the small set is easier
in some ways (centred, low-resolution digits) and harder in others (few examples), so expect the
same *story*, not the same numbers.

What to watch for:
    - The baseline is already far above chance (the share of the larger class): a trained model
      has to beat *it*, not chance, to have bought anything.
    - The training loss falls epoch by epoch, while the validation accuracy rises in steps: the
      loss moves whenever a prediction moves, the accuracy only when one crosses 0.5.
    - ``simple_net`` usually ends at or above the linear model; with 72 validation images one
      image is 1.4 percentage points, so small differences are noise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import torch

from studykit.activations import sigmoid
from studykit.labs.base import Lab, LabOptions, LabResult, Progress, Row
from studykit.labs.digits import SIDE, three_seven
from studykit.losses import mnist_loss
from studykit.models import (
    accuracy,
    init_params,
    mean_image,
    predict_by_similarity,
    simple_net_backward,
    simple_net_forward,
)
from studykit.optim import Optimizer
from studykit.optim.base import ParamGroup

__all__ = ["BATCH_SIZE", "LAB", "BasicOptim", "batch_accuracy", "run"]

BATCH_SIZE = 32  # the notes' 256 would be one step per epoch on ~290 training images
VALID_BATCH_SIZE = 256  # the notes' value: the whole validation set in one batch
HIDDEN = 30  # simple_net's hidden units, as in the notes
DEFAULT_EPOCHS = 20
DEFAULT_LR = 1.0
INIT_STD = 0.1  # not the notes' 1.0: see the module docstring
NET_LR_SCALE = 0.1  # simple_net's lr = lr / 10, the notes' 1.0 and 0.1

Model = Callable[[torch.Tensor], torch.Tensor]


class BasicOptim(Optimizer):
    r"""The notes' ``BasicOptim``: \(\theta \leftarrow \theta - \eta\, \nabla_\theta L\), no more.

    Written on `studykit.optim.Optimizer`, which supplies ``zero_grad`` and the loop over the
    parameters; this class only says how one parameter is updated.
    """

    def __init__(self, params: list[torch.Tensor], lr: float) -> None:
        super().__init__(params, {"lr": lr})

    def _update_param(
        self, param: torch.Tensor, grad: torch.Tensor, state: dict[str, Any], group: ParamGroup
    ) -> None:
        param.sub_(grad * group["lr"])


def batch_accuracy(xb: torch.Tensor, yb: torch.Tensor) -> torch.Tensor:
    """The notes' ``batch_accuracy``: the share of scores whose sigmoid is on the right of 0.5."""
    return accuracy(sigmoid(xb), yb, threshold=0.5)


def _batches(
    x: torch.Tensor, y: torch.Tensor, size: int, generator: torch.Generator | None
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Mini-batches of ``size`` (shuffled with ``generator`` when given, like a DataLoader)."""
    order = (
        torch.arange(len(x)) if generator is None else torch.randperm(len(x), generator=generator)
    )
    order = order.to(x.device)
    for start in range(0, len(x), size):
        chosen = order[start : start + size]
        yield x[chosen], y[chosen]


def calc_grad(xb: torch.Tensor, yb: torch.Tensor, model: Model) -> float:
    """The notes' ``calc_grad``: predict, ``mnist_loss`` on the sigmoid, back-propagate."""
    loss = mnist_loss(sigmoid(model(xb)), yb)
    loss.backward()  # type: ignore[no-untyped-call]
    return float(loss.detach())


def _params(
    shapes: list[tuple[int, ...]], generator: torch.Generator, device: str
) -> list[torch.Tensor]:
    """``init_params`` for each shape (drawn on the CPU for the same numbers everywhere)."""
    made = [init_params(shape, std=INIT_STD, generator=generator) for shape in shapes]
    return [p.detach().to(device).requires_grad_() for p in made]


class _Trainer:
    """The notes' training loop for one model: ``train_epoch`` and ``validate_epoch``."""

    def __init__(self, data: Any, generator: torch.Generator) -> None:
        self.data = data
        self.generator = generator

    def train_epoch(
        self, step: Callable[[torch.Tensor, torch.Tensor], float], opt: Optimizer
    ) -> float:
        """One pass over the shuffled training batches; the mean training loss."""
        losses = []
        for xb, yb in _batches(self.data.train_x, self.data.train_y, BATCH_SIZE, self.generator):
            losses.append(step(xb, yb))
            opt.step()
            opt.zero_grad()
        return sum(losses) / len(losses)

    def validate_epoch(self, model: Model) -> float:
        """The mean of ``batch_accuracy`` over the validation batches."""
        with torch.no_grad():
            accs = [
                float(batch_accuracy(model(xb), yb))
                for xb, yb in _batches(self.data.valid_x, self.data.valid_y, VALID_BATCH_SIZE, None)
            ]
        return sum(accs) / len(accs)


def _baseline(data: Any, metric: str) -> tuple[float, float, float, float]:
    """Overall accuracy, mean of per-class accuracies, and the two per-class accuracies."""
    train = data.train_x.reshape(-1, SIDE, SIDE)
    labels = data.train_y.reshape(-1)
    mean3, mean7 = mean_image(train[labels == 1]), mean_image(train[labels == 0])
    valid = data.valid_x.reshape(-1, SIDE, SIDE)
    truth = data.valid_y.reshape(-1)
    is_3 = predict_by_similarity(valid, mean3, mean7, metric)
    overall = float(accuracy(is_3, truth))
    acc_3 = float(accuracy(is_3[truth == 1], truth[truth == 1]))
    acc_7 = float(accuracy(is_3[truth == 0], truth[truth == 0]))
    return overall, (acc_3 + acc_7) / 2, acc_3, acc_7


def _train_linear(
    trainer: _Trainer, epochs: int, lr: float, device: str, advance: Callable[[int], None]
) -> tuple[list[float], list[float]]:
    weights, bias = _params([(64, 1), (1,)], trainer.generator, device)

    def linear1(xb: torch.Tensor) -> torch.Tensor:
        return xb @ weights + bias

    opt = BasicOptim([weights, bias], lr)
    losses, accs = [], []
    for _ in range(epochs):
        losses.append(trainer.train_epoch(lambda xb, yb: calc_grad(xb, yb, linear1), opt))
        accs.append(trainer.validate_epoch(linear1))
        advance(1)
    return losses, accs


def _train_simple_net(
    trainer: _Trainer, epochs: int, lr: float, device: str, advance: Callable[[int], None]
) -> tuple[list[float], list[float]]:
    w1, b1, w2, b2 = _params(
        [(64, HIDDEN), (HIDDEN,), (HIDDEN, 1), (1,)], trainer.generator, device
    )
    params = [w1, b1, w2, b2]

    def simple_net(xb: torch.Tensor) -> torch.Tensor:
        return simple_net_forward(xb, w1, b1, w2, b2)[0]

    def step(xb: torch.Tensor, yb: torch.Tensor) -> float:
        # Forward and backward through the network by hand (simple_net_forward/backward);
        # autograd only differentiates the loss with respect to the network's output.
        with torch.no_grad():
            out, cache = simple_net_forward(xb, w1, b1, w2, b2)
        out.requires_grad_()
        loss = mnist_loss(sigmoid(out), yb)
        (grad_out,) = torch.autograd.grad(loss, out)
        grads = simple_net_backward(cache, grad_out)
        for p, g in zip(params, (grads.w1, grads.b1, grads.w2, grads.b2), strict=True):
            p.grad = g
        return float(loss.detach())

    opt = BasicOptim(params, lr * NET_LR_SCALE)
    losses, accs = [], []
    for _ in range(epochs):
        losses.append(trainer.train_epoch(step, opt))
        accs.append(trainer.validate_epoch(simple_net))
        advance(1)
    return losses, accs


def _row(en: str, ko: str, value: float, note_en: str = "", note_ko: str = "") -> Row:
    return Row({"en": en, "ko": ko}, round(value, 4), {"en": note_en, "ko": note_ko})


def _quoted(figure: str, en: str = "", ko: str = "") -> tuple[str, str]:
    """The notes' MNIST figure to print beside a result, with what it came from."""
    return f"notes (MNIST): {figure}{en}", f"노트(MNIST): {figure}{ko}"


def run(options: LabOptions, progress: Progress) -> LabResult:
    """Run the three classifiers on the threes and sevens and collect what they show."""
    epochs = options.epochs if options.epochs is not None else DEFAULT_EPOCHS
    lr = options.lr if options.lr is not None else DEFAULT_LR
    data = three_seven(options.seed, size=options.size)
    data = type(data)(*(t.to(options.device) for t in data))

    advance = progress.task("baseline", 1)
    l1 = _baseline(data, "l1")
    rmse = _baseline(data, "rmse")
    advance(1)

    trainer = _Trainer(data, torch.Generator().manual_seed(options.seed))
    linear_loss, linear_acc = _train_linear(
        trainer, epochs, lr, options.device, progress.task("linear model", epochs)
    )
    net_loss, net_acc = _train_simple_net(
        trainer, epochs, lr, options.device, progress.task("simple_net", epochs)
    )

    threes = float(data.valid_y.sum())
    chance = max(threes, len(data.valid_y) - threes) / len(data.valid_y)
    rows = [
        _row(
            "pixel similarity (L1): overall accuracy",
            "픽셀 유사도(L1): 전체 정확도",
            l1[0],
            *_quoted("0.9514", " (about)", " 정도"),
        ),
        _row(
            "pixel similarity (L1): mean of per-class accuracies",
            "픽셀 유사도(L1): 클래스별 정확도의 평균",
            l1[1],
            *_quoted("0.9511"),
        ),
        _row(
            "pixel similarity (L1): accuracy on the 3s",
            "픽셀 유사도(L1): 3의 정확도",
            l1[2],
            *_quoted("0.9168"),
        ),
        _row(
            "pixel similarity (L1): accuracy on the 7s",
            "픽셀 유사도(L1): 7의 정확도",
            l1[3],
            *_quoted("0.9854"),
        ),
        _row(
            "pixel similarity (RMSE): overall accuracy", "픽셀 유사도(RMSE): 전체 정확도", rmse[0]
        ),
        _row(
            "pixel similarity (RMSE): mean of per-class accuracies",
            "픽셀 유사도(RMSE): 클래스별 정확도의 평균",
            rmse[1],
        ),
        _row(
            "linear model: validation accuracy",
            "선형 모델: 검증 정확도",
            linear_acc[-1],
            *_quoted("0.968", " (1 + 20 epochs)", "(1 + 20 에포크)"),
        ),
        _row(
            "simple_net: validation accuracy",
            "simple_net: 검증 정확도",
            net_acc[-1],
            *_quoted("0.9828", " (40 epochs, lr 0.1)", "(40 에포크, 학습률 0.1)"),
        ),
        _row("chance (the larger class)", "우연 수준(더 큰 클래스의 비율)", chance),
    ]
    facts = {
        "baseline_accuracy": l1[0],
        "baseline_class_mean": l1[1],
        "baseline_rmse_accuracy": rmse[0],
        "baseline_rmse_class_mean": rmse[1],
        "linear_accuracy": linear_acc[-1],
        "simple_net_accuracy": net_acc[-1],
        "chance": chance,
        "linear_first_loss": linear_loss[0],
        "linear_last_loss": linear_loss[-1],
        "simple_net_first_loss": net_loss[0],
        "simple_net_last_loss": net_loss[-1],
    }
    curves = {
        "linear_loss": linear_loss,
        "linear_accuracy": linear_acc,
        "simple_net_loss": net_loss,
        "simple_net_accuracy": net_acc,
    }
    means = _mean_images(data)
    return LabResult(
        rows=rows,
        curves=curves,
        figures={
            "mean-images": lambda language="en": _draw_mean_images(*means, language),
            "training": lambda language="en": _draw_training(curves, l1[0], language),
        },
        facts=facts,
    )


def _mean_images(data: Any) -> tuple[list[list[float]], list[list[float]]]:
    train = data.train_x.reshape(-1, SIDE, SIDE)
    labels = data.train_y.reshape(-1)
    return (
        mean_image(train[labels == 1]).cpu().tolist(),
        mean_image(train[labels == 0]).cpu().tolist(),
    )


def _draw_mean_images(
    mean3: list[list[float]], mean7: list[list[float]], language: str = "en"
) -> Any:
    from studykit.plots.labels import label
    from studykit.plots.style import new_figure

    figure, axes = new_figure(1, 2, width=5.0, height=2.8, language=language)
    for ax, image, title in zip(axes, (mean3, mean7), ("mean 3", "mean 7"), strict=True):
        ax.imshow(image, cmap="gray", vmin=0.0, vmax=1.0)
        ax.set_title(label(title, language))
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    return figure


def _draw_training(curves: dict[str, list[float]], baseline: float, language: str = "en") -> Any:
    from studykit.plots.labels import label
    from studykit.plots.style import COLORS, new_figure

    figure, (loss_ax, acc_ax) = new_figure(1, 2, width=8.0, height=3.4, language=language)
    epochs = range(1, len(curves["linear_loss"]) + 1)
    for key, name, color in (
        ("linear", "linear model", COLORS[0]),
        ("simple_net", "simple_net", COLORS[1]),
    ):
        shown = label(name, language)
        loss_ax.plot(epochs, curves[f"{key}_loss"], label=shown, color=color)
        acc_ax.plot(epochs, curves[f"{key}_accuracy"], label=shown, color=color)
    baseline_label = label("pixel similarity (L1)", language)
    acc_ax.axhline(baseline, color=COLORS[2], linestyle="--", label=baseline_label)
    loss_ax.set_title(label("training loss (mnist_loss)", language))
    acc_ax.set_title(label("validation accuracy", language))
    for ax in (loss_ax, acc_ax):
        ax.set_xlabel(label("epoch", language))
        ax.legend()
    return figure


LAB = Lab(
    name="mnist37",
    topic="models",
    title={
        "en": "3s and 7s: baseline, linear model, simple_net",
        "ko": "3과 7: 기준선, 선형 모델, simple_net",
    },
    summary={
        "en": "The notes' MNIST pipeline on real 8×8 digits: mean images and the pixel-similarity "
        "baseline (overall and per-class-mean accuracy), then a linear model and simple_net "
        "trained with SGD.",
        "ko": "노트의 MNIST 실습을 실제 8×8 손글씨 숫자로 다시 계산합니다. "
        "평균 이미지와 픽셀 유사도 기준선(전체 정확도와 클래스별 정확도의 평균)을 구한 뒤 "
        "선형 모델과 simple_net을 SGD로 학습합니다.",
    },
    run=run,
    defaults={
        "epochs": DEFAULT_EPOCHS,
        "lr": DEFAULT_LR,
        "simple_net_lr": DEFAULT_LR * NET_LR_SCALE,
        "batch_size": BATCH_SIZE,
    },
)
