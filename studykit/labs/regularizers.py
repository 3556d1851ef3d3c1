r"""Dropout (드롭아웃) and batch normalization (배치 정규화) on one small net, side by side.

The notes list dropout among the remedies for overfitting (과대적합) and batch normalization as
the answer to internal covariate shift (내부 공변량 변화). This lab trains the same small network
four ways on the real handwritten threes and sevens (`studykit.labs.digits`) and shows what each
change did, on this data, for this seed:

| variant | hidden layer \(h\) |
|---|---|
| plain | \(\operatorname{ReLU}(x W_1^\top + b_1)\) |
| dropout | \(\operatorname{dropout}_{p=0.5}\) of the plain one, in training only |
| batch norm | \(\operatorname{ReLU}(\operatorname{BN}(x W_1^\top))\) |
| both | batch norm, then ReLU, then dropout |

(batch norm uses the batch's statistics in training and its running ones in evaluation)

To give it something to regularize, the training set is deliberately small: 20 threes and 20
sevens (the validation set keeps all of its images, about 70), trained for 60 epochs. The net is
64-32-1 (8×8 pixels, 32 hidden units, one logit, 로짓), trained with mini-batch SGD
(`studykit.optim.SGD`) on the binary cross-entropy of the logits
(`studykit.losses.binary_cross_entropy_with_logits`), which, unlike the notes' ``mnist_loss``,
keeps growing on confidently wrong answers, so the validation loss shows overfitting. Every
variant starts from the same weights and sees the batches in the same order; only dropout's
masks add randomness (from the lab's own generator). Dropout is `studykit.regularization.dropout`
and batch norm `studykit.normalization.batch_norm` with its running mean and variance.

The train and validation losses of each epoch are both measured in evaluation mode (dropout off,
batch norm on its running estimates), so their gap (일반화 격차) compares like with like.

**What to watch for.**

- The **gap** between the training and validation curves is what regularization is meant to
  shrink. On 8×8 digits of two classes every variant learns well above chance, and with so few
  validation images a difference of one or two images moves the accuracy by 1.5
  to 3 points: read the table as what happened for this seed, not as a law. Try other seeds.
- **Dropout** zeroes about half the hidden units on every training step and doubles the rest
  (inverted dropout), so the training loss measured *during* training is noisier and higher; at
  evaluation it is the identity. The figure ``dropout-mask`` shows one such mask on an image.
- **Batch norm** makes every hidden pre-activation have mean 0 and variance 1 over the batch
  before \(\gamma\) and \(\beta\) rescale it; the figure ``batchnorm-histograms`` shows the
  pre-activations of a few units before and after. It often lets a net train faster at the same
  learning rate; its regularizing effect (each example's output depends on its batch) is small.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import torch

from studykit.activations import relu
from studykit.labs.base import Lab, LabOptions, LabResult, Progress, Row
from studykit.labs.digits import SIDE, three_seven
from studykit.losses import binary_cross_entropy_with_logits
from studykit.models import accuracy, init_params, linear
from studykit.normalization import batch_norm
from studykit.optim import SGD
from studykit.regularization import dropout

__all__ = ["LAB", "VARIANTS", "run"]

HIDDEN = 32
P = 0.5  # the dropout probability
EPOCHS = 60
LR = 0.1
PER_CLASS = 20  # training images per class: few, so that the net can memorize them
BATCH = 16
VARIANTS = {  # name: (dropout, batch norm)
    "plain": (False, False),
    "dropout": (True, False),
    "batch norm": (False, True),
    "both": (True, True),
}
KOREAN = {"plain": "기본", "dropout": "드롭아웃", "batch norm": "배치 정규화", "both": "둘 다"}


@dataclass
class _Net:
    """The 64-32-1 net's tensors for one variant (batch norm ones only when it uses it)."""

    w1: torch.Tensor
    b1: torch.Tensor | None
    w2: torch.Tensor
    b2: torch.Tensor
    use_dropout: bool
    gamma: torch.Tensor | None = None
    beta: torch.Tensor | None = None
    running_mean: torch.Tensor | None = None
    running_var: torch.Tensor | None = None

    def parameters(self) -> list[torch.Tensor]:
        """The trainable tensors."""
        found = [self.w1, self.b1, self.w2, self.b2, self.gamma, self.beta]
        return [p for p in found if p is not None]

    def pre_activations(self, x: torch.Tensor) -> torch.Tensor:
        r"""The hidden layer before batch norm and ReLU: \(x W_1^\top (+ b_1)\)."""
        return linear(x, self.w1, self.b1)

    def __call__(
        self, x: torch.Tensor, training: bool, generator: torch.Generator | None = None
    ) -> torch.Tensor:
        """The logits, ``(N, 1)``."""
        hidden = self.pre_activations(x)
        if self.gamma is not None:
            hidden = batch_norm(
                hidden,
                self.running_mean,
                self.running_var,
                self.gamma,
                self.beta,
                training=training,
            )
        hidden = relu(hidden)
        if self.use_dropout:
            hidden = dropout(hidden, P, training=training, generator=generator)
        return linear(hidden, self.w2, self.b2)


def _leaf(value: torch.Tensor, device: str) -> torch.Tensor:
    return value.detach().clone().to(device).requires_grad_()


def _make_net(start: dict[str, torch.Tensor], device: str, use_dropout: bool, norm: bool) -> _Net:
    """A fresh copy of the shared starting weights (batch norm replaces ``b1``)."""
    net = _Net(
        w1=_leaf(start["w1"], device),
        b1=None if norm else _leaf(start["b1"], device),
        w2=_leaf(start["w2"], device),
        b2=_leaf(start["b2"], device),
        use_dropout=use_dropout,
    )
    if norm:
        net.gamma = _leaf(torch.ones(HIDDEN), device)
        net.beta = _leaf(torch.zeros(HIDDEN), device)
        net.running_mean = torch.zeros(HIDDEN, device=device)
        net.running_var = torch.ones(HIDDEN, device=device)
    return net


def _evaluate(net: _Net, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """Loss and accuracy in evaluation mode (no dropout, running batch-norm statistics)."""
    with torch.no_grad():
        logits = net(x, training=False)
        loss = binary_cross_entropy_with_logits(logits, y).item()
        return loss, accuracy(logits, y, threshold=0.0).item()


def run(options: LabOptions, progress: Progress) -> LabResult:
    """Train the 64-32-1 net plain, with dropout, with batch norm and with both."""
    device = options.device
    data = three_seven(options.seed, size=options.size)
    few = torch.cat([torch.nonzero(data.train_y[:, 0] == c)[:PER_CLASS, 0] for c in (1.0, 0.0)])
    train_x, train_y = data.train_x[few].to(device), data.train_y[few].to(device)
    valid_x, valid_y = data.valid_x.to(device), data.valid_y.to(device)
    epochs = EPOCHS if options.epochs is None else options.epochs
    lr = LR if options.lr is None else options.lr

    generator = torch.Generator().manual_seed(options.seed)
    start = {
        "w1": init_params((HIDDEN, 64), std=1 / 8, generator=generator),
        "b1": torch.zeros(HIDDEN),
        "w2": init_params((1, HIDDEN), std=1 / math.sqrt(HIDDEN), generator=generator),
        "b2": torch.zeros(1),
    }
    orders = [torch.randperm(len(train_x), generator=generator) for _ in range(epochs)]

    curves: dict[str, list[float]] = {}
    facts: dict[str, float] = {}
    rows: list[Row] = []
    nets: dict[str, _Net] = {}
    for name, (use_dropout, norm) in VARIANTS.items():
        advance = progress.task(name, epochs)
        net = _make_net(start, device, use_dropout, norm)
        masks = torch.Generator(device=device).manual_seed(options.seed + 1)
        optimizer = SGD(net.parameters(), lr=lr)
        train_curve: list[float] = []
        valid_curve: list[float] = []
        accuracy_curve: list[float] = []
        for order in orders:
            for batch in torch.split(order.to(device), BATCH):
                if len(batch) < 2 and norm:
                    continue  # batch norm needs more than one value per unit
                loss = binary_cross_entropy_with_logits(
                    net(train_x[batch], training=True, generator=masks), train_y[batch]
                )
                optimizer.zero_grad()
                loss.backward()  # type: ignore[no-untyped-call]
                optimizer.step()
            train_loss, _ = _evaluate(net, train_x, train_y)
            valid_loss, valid_accuracy = _evaluate(net, valid_x, valid_y)
            train_curve.append(train_loss)
            valid_curve.append(valid_loss)
            accuracy_curve.append(valid_accuracy)
            advance(1)
        nets[name] = net
        key = name.replace(" ", "_")
        curves[f"{name} train loss"] = train_curve
        curves[f"{name} valid loss"] = valid_curve
        curves[f"{name} valid accuracy"] = accuracy_curve
        gap = valid_curve[-1] - train_curve[-1]
        facts |= {
            f"train_loss_{key}": train_curve[-1],
            f"valid_loss_{key}": valid_curve[-1],
            f"valid_accuracy_{key}": accuracy_curve[-1],
            f"gap_{key}": gap,
            f"first_train_loss_{key}": train_curve[0],
        }
        rows.append(
            Row(
                {"en": f"{name}: train / valid loss", "ko": f"{KOREAN[name]}: 훈련 / 검증 손실"},
                f"{train_curve[-1]:.4f} / {valid_curve[-1]:.4f}",
                {"en": f"gap {gap:+.4f}", "ko": f"격차 {gap:+.4f}"},
            )
        )
        rows.append(
            Row(
                {"en": f"{name}: valid accuracy", "ko": f"{KOREAN[name]}: 검증 정확도"},
                round(accuracy_curve[-1], 4),
            )
        )

    # Batch norm's promise, checked on the trained net: per unit mean 0 and variance 1.
    bn_net = nets["batch norm"]
    with torch.no_grad():
        before = bn_net.pre_activations(train_x)
        after = batch_norm(before, None, None, training=True)
    facts["bn_max_abs_mean"] = after.mean(dim=0).abs().max().item()
    facts["bn_max_var_error"] = (after.var(dim=0, unbiased=False) - 1).abs().max().item()
    # Dropout: the identity in evaluation, and a mask keeps about 1 - p of the units.
    probe = torch.ones(4096, device=device)
    facts["dropout_eval_identity"] = float(torch.equal(dropout(probe, P, training=False), probe))
    mask_generator = torch.Generator(device=device).manual_seed(options.seed)
    kept = dropout(probe, P, generator=mask_generator) != 0
    facts["dropout_keep_fraction"] = kept.float().mean().item()
    rows.append(
        Row(
            {"en": "dropout: share of units kept", "ko": "드롭아웃: 남은 유닛의 비율"},
            round(facts["dropout_keep_fraction"], 4),
            {"en": f"expected 1 - p = {1 - P}", "ko": f"기댓값 1 - p = {1 - P}"},
        )
    )

    image = data.train_x[0]
    image_mask = dropout(
        torch.ones(SIDE * SIDE), P, generator=torch.Generator().manual_seed(options.seed)
    )
    before_cpu, after_cpu = before.cpu(), after.cpu()
    shown_units = sorted(range(HIDDEN), key=lambda j: before_cpu[:, j].mean().item())[::10][:4]

    def curves_figure(language: str = "en") -> Any:
        from studykit.plots.labels import label
        from studykit.plots.style import COLORS, new_figure, y_label

        figure, axes = new_figure(2, 2, width=8.0, height=5.6, language=language)
        for ax, colour, name in zip(axes.flat, COLORS, VARIANTS, strict=False):
            steps = list(range(1, epochs + 1))
            train, valid = label("train", language), label("valid", language)
            ax.plot(steps, curves[f"{name} train loss"], color=colour, label=train)
            ax.plot(steps, curves[f"{name} valid loss"], color=colour, linestyle="--", label=valid)
            ax.set_title(label(name, language))
            ax.set_xlabel(label("epoch", language))
            y_label(ax, label("BCE loss", language))
            ax.legend(fontsize="small")
        return figure

    def dropout_mask_figure(language: str = "en") -> Any:
        from studykit.plots.labels import label
        from studykit.plots.style import new_figure

        figure, axes = new_figure(1, 3, width=7.2, height=2.8, language=language)
        mask = label("mask (p = {p}), kept × {scale:g}", language, p=P, scale=1 / (1 - P))
        panels = (
            (image, label("a digit", language)),
            (image_mask, mask),
            (image * image_mask, label("the digit after dropout", language)),
        )
        for ax, (values, title) in zip(axes, panels, strict=True):
            ax.imshow(values.reshape(SIDE, SIDE).tolist(), cmap="Greys", vmin=0)
            ax.set_title(title, fontsize="small")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
        return figure

    def histograms_figure(language: str = "en") -> Any:
        from studykit.plots.labels import label
        from studykit.plots.style import COLORS, new_figure, y_label

        figure, (left, right) = new_figure(1, 2, width=8.4, height=3.4, language=language)
        for colour, unit in zip(COLORS, shown_units, strict=False):
            name = label("unit {unit}", language, unit=unit)
            left.hist(before_cpu[:, unit].tolist(), bins=25, alpha=0.6, color=colour, label=name)
            right.hist(after_cpu[:, unit].tolist(), bins=25, alpha=0.6, color=colour, label=name)
        left.set_title(label("pre-activations before batch norm", language))
        right.set_title(label("after batch norm (mean 0, variance 1)", language))
        for ax in (left, right):
            ax.set_xlabel(label("value", language))
            y_label(ax, label("images", language))
            ax.legend(fontsize="small")
        return figure

    return LabResult(
        rows=rows,
        curves=curves,
        figures={
            "curves": curves_figure,
            "dropout-mask": dropout_mask_figure,
            "batchnorm-histograms": histograms_figure,
        },
        facts=facts,
    )


LAB = Lab(
    name="dropout-batchnorm",
    topic="regularization",
    title={
        "en": "Dropout and batch norm on the same small net",
        "ko": "같은 작은 신경망에 적용한 드롭아웃과 배치 정규화",
    },
    summary={
        "en": (
            "Trains a 64-32-1 net on the real threes and sevens plain, with dropout, with batch "
            "norm and with both, and shows the train and validation losses, a dropout mask and "
            "the pre-activations before and after batch norm."
        ),
        "ko": (
            "실제 손글씨 3과 7로 64-32-1 신경망을 기본, 드롭아웃, 배치 정규화, 둘 다의 네 가지로 "
            "학습하고 훈련·검증 손실, 드롭아웃 마스크, 배치 정규화 전후의 활성화 전 값을 "
            "보여 줍니다."
        ),
    },
    run=run,
    defaults={"epochs": EPOCHS, "lr": LR},
)
