r"""Worked examples for the notes pages, computed by the reference code when the site is built.

Every topic page of the study site (``docs/notes/<topic>.md``) includes a short worked example
with the line ``--8<-- "generated/examples/<topic>.md"``. The snippets are written here, before
``mkdocs build``, by ``studykit site-pages`` (``write_examples``). Each example runs studykit's
own implementations (``studykit.losses``, ``studykit.optim``, ``studykit.conv``, ...) on small
fixed inputs and prints what they return, so no result in an example is ever typed by hand: when
the reference code changes, the examples change with it, and ``tests/test_site_examples.py``
holds a few of them to an independent torch computation.

Numbers are printed with ``studykit.questions.render.fmt_num`` (4 significant digits) and
tensors with ``fmt_tensor``, the formatting of the quizzes. The snippets contain no headings,
so they sit under the page's own "Worked example" heading.

Examples:
    >>> from studykit.site.examples import EXAMPLES
    >>> "0.4333" in EXAMPLES["losses"]()  # the notes' mnist_loss of [0.9, 0.4, 0.2]
    True
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from pathlib import Path

import torch

from studykit.questions.render import denoise, fmt_num, fmt_shape, fmt_tensor

__all__ = ["EXAMPLES", "TOPIC_MODULES", "write_examples"]

F64 = torch.float64

TOPIC_MODULES: dict[str, tuple[str, ...]] = {
    "tensors": ("tensors",),
    "losses": ("losses",),
    "gradients": ("autograd", "symbolic"),
    "gradient-descent": ("optim", "losses"),
    "optimizers": ("optim",),
    "activations": ("activations",),
    "models": ("models",),
    "convolution": ("conv",),
    "regularization": ("regularization",),
    "normalization": ("normalization",),
    "preprocessing": ("preprocessing",),
    "data": ("data",),
    "sequences": ("rnn",),
    "landscape": ("landscape",),
}
"""The reference modules (``studykit.<name>``) behind each topic of the topic map."""


# --- formatting helpers ------------------------------------------------------------------------


def _n(value: float | int | torch.Tensor) -> str:
    """One number, 4 significant digits (a one-element tensor is read with ``item()``)."""
    if isinstance(value, torch.Tensor):
        value = value.item()
    return fmt_num(denoise(value))


def _t(value: torch.Tensor) -> str:
    """A tensor in torch's nested-list layout."""
    return fmt_tensor(denoise(value.detach().tolist()))


def _row(value: torch.Tensor) -> str:
    """A 1-D tensor on one line, for a table cell."""
    return "[" + ", ".join(_n(float(v)) for v in value.detach().reshape(-1).tolist()) + "]"


def _assign(name: str, text: str) -> str:
    """``name = text`` with the continuation lines of ``text`` lined up under its first one."""
    pad = " " * (len(name) + 3)
    return f"{name} = " + text.replace("\n", "\n" + pad)


def _code(*lines: str) -> str:
    """A fenced plain-text block."""
    return "```text\n" + "\n".join(lines) + "\n```"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _join(*parts: str) -> str:
    """Paragraphs separated by blank lines, ending with one newline."""
    return "\n\n".join(part.strip("\n") for part in parts) + "\n"


def _vec(*values: float) -> torch.Tensor:
    """A float64 vector from literal inputs."""
    return torch.tensor(values, dtype=F64)


# --- the examples ------------------------------------------------------------------------------


def tensors_example() -> str:
    """``cat`` versus ``stack``, matrix versus element-wise product, broadcasting, strides.

    Returns:
        The Markdown snippet.
    """
    from studykit import tensors

    a = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=F64)
    b = torch.tensor([[5.0, 6.0], [7.0, 8.0]], dtype=F64)
    joins = [
        ("cat, dim=0", tensors.cat([a, b], dim=0)),
        ("cat, dim=1", tensors.cat([a, b], dim=1)),
        ("stack, dim=0", tensors.stack([a, b], dim=0)),
        ("stack, dim=1", tensors.stack([a, b], dim=1)),
    ]
    join_rows = [[f"`{label}`", fmt_shape(out.shape)] for label, out in joins]

    product = tensors.matmul(a, b)
    elementwise = a * b

    shape_pairs = [((1010, 28, 28), (28, 28)), ((1, 4), (4, 1)), ((256, 5, 1), (7,))]
    broadcast_rows = [
        [fmt_shape(x), fmt_shape(y), fmt_shape(tensors.broadcast_shapes(x, y))]
        for x, y in shape_pairs
    ]

    grid = torch.arange(12).reshape(3, 4)
    strides = tensors.contiguous_strides(grid.shape)
    transposed = tuple(reversed(strides))
    at = tensors.storage_index((2, 1), strides)
    at_t = tensors.storage_index((2, 1), transposed)
    return _join(
        "Two 2×2 matrices from the notes, joined four ways (`studykit.tensors.cat` / `stack`):",
        _code(_assign("A", _t(a)), "", _assign("B", _t(b))),
        _table(["call", "result shape"], join_rows),
        "`cat` keeps the number of dimensions and grows one of them; `stack` adds a new "
        "dimension. The matrix product (`studykit.tensors.matmul`, `A @ B`) and the element-wise "
        "product (`A * B`) are different things:",
        _code(_assign("A @ B", _t(product)), "", _assign("A * B", _t(elementwise))),
        "Broadcasting (`studykit.tensors.broadcast_shapes`) lines shapes up from the right; a "
        "missing or size-1 dimension is stretched:",
        _table(["shape 1", "shape 2", "broadcast shape"], broadcast_rows),
        f"Strides: `torch.arange(12).reshape(3, 4)` has strides {fmt_shape(strides)}, so "
        f"element `[2, 1]` sits at storage position {at}. Its transpose shares the same "
        f"storage with strides {fmt_shape(transposed)}: element `[2, 1]` of the transpose "
        f"(which is `[1, 2]` of the original) sits at position {at_t}.",
    )


def losses_example() -> str:
    """ME, MAE, MSE and RMSE of a 3-element prediction; ``mnist_loss`` versus BCE; cross-entropy.

    Returns:
        The Markdown snippet.
    """
    from studykit import losses
    from studykit.models import accuracy

    pred, target = _vec(2.0, 4.5, 9.0), _vec(2.5, 4.0, 6.0)
    err = losses.mean_error(pred, target, reduction="none")
    absolute = losses.l1_loss(pred, target, reduction="none")
    square = losses.mse_loss(pred, target, reduction="none")
    rows = [
        [str(i + 1), _n(float(p)), _n(float(y)), _n(float(e)), _n(float(a)), _n(float(s))]
        for i, (p, y, e, a, s) in enumerate(zip(pred, target, err, absolute, square, strict=True))
    ]
    rows.append(
        [
            "**mean**",
            "",
            "",
            f"ME = {_n(losses.mean_error(pred, target))}",
            f"MAE = {_n(losses.l1_loss(pred, target))}",
            f"MSE = {_n(losses.mse_loss(pred, target))}",
        ]
    )
    rmse = losses.rmse_loss(pred, target)
    share = square.max() / square.sum()

    cancel_pred, cancel_target = _vec(7.0, 3.0), _vec(2.0, 8.0)

    probs, labels = _vec(0.9, 0.4, 0.2), torch.tensor([1.0, 0.0, 1.0], dtype=F64)
    mnist_terms = torch.where(labels == 1, 1 - probs, probs)
    bce_terms = losses.binary_cross_entropy(probs, labels, reduction="none")
    better = _vec(0.9, 0.4, 0.8)
    nudged = _vec(0.9, 0.4, 0.3)

    logits, cls = torch.tensor([[2.0, 1.0, 0.1]], dtype=F64), torch.tensor([0])
    return _join(
        "**Regression.** Three predictions \\(\\hat y\\) against their targets \\(y\\) "
        "(`studykit.losses`, `reduction='none'` for the per-element columns):",
        _table(["i", "\\(\\hat y\\)", "\\(y\\)", "error", "\\|error\\|", "error²"], rows),
        f"RMSE \\(= \\sqrt{{\\text{{MSE}}}}\\) = {_n(rmse)}. The one large error makes up "
        f"{_n(100 * share)}% of the squared errors: squaring lets a single outlier dominate.",
        "The mean error lets mistakes cancel: predictions "
        f"{_row(cancel_pred)} for targets {_row(cancel_target)} have "
        f"ME = {_n(losses.mean_error(cancel_pred, cancel_target))} but "
        f"MAE = {_n(losses.l1_loss(cancel_pred, cancel_target))}.",
        "**Classification.** The notes' three images with labels "
        f"{_row(labels)} and predicted probabilities {_row(probs)}:",
        _table(
            ["", "per image", "mean"],
            [
                ["mnist_loss", _row(mnist_terms), _n(losses.mnist_loss(probs, labels))],
                [
                    "binary cross-entropy",
                    _row(bce_terms),
                    _n(losses.binary_cross_entropy(probs, labels)),
                ],
            ],
        ),
        f"Moving the wrong prediction from {_n(float(probs[2]))} to {_n(float(better[2]))} "
        f"lowers `mnist_loss` to {_n(losses.mnist_loss(better, labels))}. Moving it only to "
        f"{_n(float(nudged[2]))} still lowers the loss, to "
        f"{_n(losses.mnist_loss(nudged, labels))}, while the accuracy stays at "
        f"{_n(accuracy(probs, labels, threshold=0.5))} before and "
        f"{_n(accuracy(nudged, labels, threshold=0.5))} after: the accuracy has no slope to "
        "follow, the loss has.",
        f"Cross-entropy of the logits {_row(logits[0])} when the true class is 0: "
        f"{_n(losses.cross_entropy(logits, cls))} (the minus log of the softmax probability of "
        "class 0).",
    )


def gradients_example() -> str:
    """A derivative by back-propagation and by finite differences; accumulation; vanishing.

    Returns:
        The Markdown snippet.
    """
    from studykit.autograd import Value, numerical_grad

    x = Value(2.0, label="x")
    y = x * x + 3 * x
    y.backward()
    slope = numerical_grad(lambda t: t * t + 3 * t, 2.0)

    a, b, c = Value(3.0), Value(4.0), Value(10.0)
    f = a * a + b * b + c * c
    f.backward()
    first = [a.grad, b.grad, c.grad]
    f.backward()
    second = [a.grad, b.grad, c.grad]
    f.zero_grad()
    cleared = [a.grad, b.grad, c.grad]

    depth = 10
    z = Value(0.0)
    h = z
    for _ in range(depth):
        h = h.sigmoid()
    h.backward()
    at_zero = Value(0.0)
    at_zero.sigmoid().backward()
    max_slope = at_zero.grad  # the sigmoid's largest slope, at 0
    bound = max_slope**depth

    def triple(values: list[float]) -> str:
        return ", ".join(_n(v) for v in values)

    return _join(
        "With `studykit.autograd.Value`, a scalar that records how it was computed:",
        _table(
            ["quantity", "value"],
            [
                ["\\(y = x^2 + 3x\\) at \\(x = 2\\)", _n(y.data)],
                ["\\(dy/dx\\) by back-propagation (`y.backward()`)", _n(x.grad)],
                ["\\(dy/dx\\) by central differences (`numerical_grad`)", _n(slope)],
            ],
        ),
        "The notes' vector example: \\(f = a^2 + b^2 + c^2\\) at \\((a, b, c) = (3, 4, 10)\\) "
        f"is {_n(f.data)}, a scalar, so it can be back-propagated.",
        _table(
            ["after", "grads of (a, b, c)"],
            [
                ["one `backward()`", triple(first)],
                ["a second `backward()`", triple(second)],
                ["`zero_grad()`", triple(cleared)],
            ],
        ),
        "Gradients **add up** in `.grad` until they are reset, which is why every training step "
        "starts with `zero_grad()`.",
        f"Vanishing gradients: {depth} sigmoids stacked on \\(x = 0\\) pass back a gradient of "
        f"{_n(z.grad)}, below the bound \\({_n(max_slope)}^{{{depth}}}\\) = {_n(bound)} "
        f"(each sigmoid multiplies by its slope, at most {_n(max_slope)}, at 0).",
    )


def gradient_descent_example() -> str:
    """The notes' quadratic speed model fitted by SGD with three learning rates.

    Returns:
        The Markdown snippet.
    """
    from studykit.losses import rmse_loss
    from studykit.optim import SGD, Adam

    gen = torch.Generator().manual_seed(42)
    time = torch.arange(20, dtype=F64)
    speed = torch.randn(20, generator=gen, dtype=F64) * 3 + 0.75 * (time - 9.5) ** 2 + 1
    start = _vec(-0.5, 1.0, 1.0)
    rates = (1e-5, 1e-3, 1e-2)
    steps = 20
    shown = (0, 1, 2, 3, 4, 5, 10, 20)

    def fit(
        opt_class: type[SGD] | type[Adam], lr: float, count: int
    ) -> tuple[list[float], torch.Tensor]:
        params = start.clone().requires_grad_()
        opt = opt_class([params], lr=lr)
        losses: list[float] = []
        for step in range(count + 1):
            a, b, c = params
            loss = rmse_loss(a * time**2 + b * time + c, speed)
            losses.append(loss.item())
            if step == count:
                break
            opt.zero_grad()
            (params.grad,) = torch.autograd.grad(loss, [params])  # what loss.backward() fills in
            opt.step()
        return losses, params.detach()

    runs = {lr: fit(SGD, lr, steps) for lr in rates}
    history = {lr: run[0] for lr, run in runs.items()}
    final = {lr: run[1] for lr, run in runs.items()}
    adam_lr, adam_steps = 0.1, 1000
    adam_loss = fit(Adam, adam_lr, adam_steps)[0][-1]

    rows = [[str(s)] + [_n(history[lr][s]) for lr in rates] for s in shown]

    design = torch.stack([time**2, time, torch.ones_like(time)], dim=1)
    best = torch.linalg.lstsq(design, speed[:, None]).solution[:, 0]
    best_rmse = rmse_loss(design @ best, speed)
    slow, good, big = rates
    return _join(
        "Twenty speed measurements \\(s(t) = 0.75\\,(t - 9.5)^2 + 1 + 3\\varepsilon\\) "
        "(noise from a fixed seed) are fitted with \\(\\hat s = a t^2 + b t + c\\), starting "
        f"from \\((a, b, c)\\) = {_row(start)} and "
        "minimizing the RMSE (`studykit.losses.rmse_loss`) with `studykit.optim.SGD`:",
        _table(["step"] + [f"loss, lr = {_n(lr)}" for lr in rates], rows),
        f"- lr = {_n(slow)}: every step is tiny; after {steps} steps the loss has only gone "
        f"from {_n(history[slow][0])} to {_n(history[slow][-1])}.\n"
        f"- lr = {_n(good)}: the loss falls fast and then flattens at {_n(history[good][-1])}, "
        f"with \\((a, b, c)\\) = {_row(final[good])}.\n"
        f"- lr = {_n(big)}: the steps overshoot; the loss jumps between "
        f"{_n(min(history[big][1:]))} and {_n(max(history[big][1:]))} instead of settling.",
        f"The flat {_n(history[good][-1])} is not the best quadratic: least squares gives "
        f"\\((a, b, c)\\) = {_row(best)} with RMSE {_n(best_rmse)}. The \\(t^2\\) column "
        f"(up to {_n((time**2).max())}) dwarfs the \\(t\\) and \\(1\\) columns, so one "
        "learning rate is too large for \\(a\\) before it is useful for \\(b\\) and "
        "\\(c\\). An optimizer that scales each parameter's step separately copes: "
        f"`studykit.optim.Adam` with lr = {_n(adam_lr)} from the same start reaches "
        f"{_n(adam_loss)} after {adam_steps} steps. Standardizing the features (see "
        "preprocessing) also helps plain SGD.",
    )


def optimizers_example() -> str:
    """Two steps of five optimizers from the same gradients, and Adam's moments in detail.

    Returns:
        The Markdown snippet.
    """
    from studykit import optim

    start, grads, lr = 2.0, (4.0, 1.0), 0.1
    makers: list[tuple[str, Callable[[list[torch.Tensor]], optim.Optimizer]]] = [
        ("SGD", lambda p: optim.SGD(p, lr=lr)),
        ("SGD, momentum 0.9", lambda p: optim.SGD(p, lr=lr, momentum=0.9)),
        ("Adagrad", lambda p: optim.Adagrad(p, lr=lr)),
        ("RMSprop (α = 0.99)", lambda p: optim.RMSprop(p, lr=lr)),
        ("Adam (β = 0.9, 0.999)", lambda p: optim.Adam(p, lr=lr)),
    ]
    compare: list[list[str]] = []
    adam_rows: list[list[str]] = []
    for name, make in makers:
        w = torch.tensor([start], dtype=F64, requires_grad=True)
        opt = make([w])
        after: list[str] = []
        for step, g in enumerate(grads, start=1):
            before = w.item()
            w.grad = torch.tensor([g], dtype=F64)
            opt.step()
            after.append(_n(w.item()))
            if name.startswith("Adam"):
                state = opt.state[w]
                beta1, beta2 = opt.param_groups[0]["betas"]
                m, v = state["exp_avg"].item(), state["exp_avg_sq"].item()
                m_hat, v_hat = m / (1 - beta1**step), v / (1 - beta2**step)
                adam_rows.append(
                    [str(step), _n(g), _n(m), _n(v), _n(m_hat), _n(v_hat), _n(w.item() - before)]
                )
        compare.append([name, *after])
    return _join(
        f"One weight \\(w = {_n(start)}\\), learning rate \\(\\eta = {_n(lr)}\\), and the same "
        f"two gradients for everyone: \\(g_1 = {_n(grads[0])}\\), \\(g_2 = {_n(grads[1])}\\) "
        "(`studykit.optim`):",
        _table(["optimizer", "w after step 1", "w after step 2"], compare),
        "Adam's bookkeeping (`opt.state[w]` holds \\(m\\) and \\(v\\); "
        "\\(\\hat m = m / (1-\\beta_1^t)\\), \\(\\hat v = v / (1-\\beta_2^t)\\)):",
        _table(["t", "g", "m", "v", "\\(\\hat m\\)", "\\(\\hat v\\)", "change of w"], adam_rows),
        "Without the bias correction \\(m_1\\) would be a tenth of \\(g_1\\); with it, "
        "\\(\\hat m_1 = g_1\\) and \\(\\hat v_1 = g_1^2\\), so Adam's first step has size "
        "\\(\\eta\\) whatever the gradient's scale. RMSprop has no correction, so its first "
        "step divides by the root of a tiny \\(v\\) and is far larger than \\(\\eta\\).",
    )


def activations_example() -> str:
    """Sigmoid, tanh, ReLU and leaky ReLU on five inputs; softmax; why a non-linearity.

    Returns:
        The Markdown snippet.
    """
    from studykit import activations
    from studykit.models import linear

    x = _vec(-2.0, -0.5, 0.0, 0.5, 2.0).requires_grad_()
    sig = activations.sigmoid(x)
    (slope,) = torch.autograd.grad(sig.sum(), x)
    x = x.detach()
    columns = [
        sig.detach(),
        slope,
        activations.tanh(x),
        activations.relu(x),
        activations.leaky_relu(x, 0.1),
    ]
    rows = [[_n(float(x[i]))] + [_n(float(col[i])) for col in columns] for i in range(x.shape[0])]

    scores = _vec(2.0, 1.0, 0.1)
    probs = activations.softmax(scores, dim=0)
    shifted = activations.softmax(scores + 10, dim=0)

    inp = _vec(1.0, -1.0)
    w1 = torch.tensor([[1.0, 2.0], [-1.0, 1.0]], dtype=F64)  # (out, in), as nn.Linear stores it
    w2 = torch.tensor([[1.0, 1.0]], dtype=F64)
    two_linear = linear(linear(inp, w1), w2)
    one_linear = linear(inp, w2 @ w1)
    with_relu = linear(activations.relu(linear(inp, w1)), w2)
    return _join(
        "Five inputs through the activations of `studykit.activations` (the slope column "
        "\\(\\sigma'(x)\\) comes from back-propagating through `sigmoid`):",
        _table(
            ["x", "sigmoid", "sigmoid slope", "tanh", "relu", "leaky_relu (0.1)"],
            rows,
        ),
        f"The sigmoid's slope is largest at 0, where it is {_n(float(slope[2]))}.",
        f"Softmax of the scores {_row(scores)} gives the probabilities {_row(probs)} "
        f"(sum {_n(probs.sum())}). Adding 10 to every score changes nothing: {_row(shifted)}.",
        "Why a non-linearity: two linear layers \\(W_2(W_1 x)\\) on \\(x\\) = "
        f"{_row(inp)} give {_row(two_linear)}, exactly what the single layer "
        f"\\(W_2 W_1\\) gives ({_row(one_linear)}). With a ReLU in between the answer "
        f"becomes {_row(with_relu)}: only then is the second layer doing something new.",
    )


def _bar_images(vertical: bool, count: int, gen: torch.Generator) -> torch.Tensor:
    """``count`` noisy 4×4 images of a bar: column 1 (vertical) or row 2 (horizontal)."""
    from studykit.data import gaussian_noise

    clean = torch.zeros(4, 4, dtype=F64)
    if vertical:
        clean[:, 1] = 1.0
    else:
        clean[2, :] = 1.0
    stack = clean.expand(count, 4, 4).clone()
    return gaussian_noise(stack, std=0.6, clip=True, generator=gen)


def models_example() -> str:
    """A pixel-similarity baseline on tiny images, a perceptron, and ``simple_net``'s size.

    Returns:
        The Markdown snippet.
    """
    from studykit import models
    from studykit.activations import sigmoid

    gen = torch.Generator().manual_seed(3)
    train_v, train_h = _bar_images(True, 20, gen), _bar_images(False, 20, gen)
    valid_v, valid_h = _bar_images(True, 10, gen), _bar_images(False, 10, gen)
    mean_v, mean_h = models.mean_image(train_v), models.mean_image(train_h)

    probe = valid_v[0]
    dist_rows = [
        [
            metric,
            _n(models.pixel_distance(probe, mean_v, metric)),
            _n(models.pixel_distance(probe, mean_h, metric)),
        ]
        for metric in ("l1", "rmse")
    ]
    acc_rows = []
    for metric in ("l1", "rmse"):
        says_v = models.predict_by_similarity(valid_v, mean_v, mean_h, metric)
        says_h = models.predict_by_similarity(valid_h, mean_v, mean_h, metric)
        acc_v = models.accuracy(says_v, torch.ones_like(says_v))
        acc_h = models.accuracy(says_h, torch.zeros_like(says_h))
        acc_rows.append([metric, _n(acc_v), _n(acc_h), _n((acc_v + acc_h) / 2)])

    x = _vec(0.5, -1.0, 2.0)
    w = _vec(0.4, 0.3, -0.2)
    bias = _vec(0.1)
    score = x @ w + bias

    shapes = [(784, 30), (30,), (30, 1), (1,)]
    sizes = [models.init_params(s, generator=gen).numel() for s in shapes]
    linear_size = sum(models.init_params(s, generator=gen).numel() for s in [(784, 1), (1,)])
    return _join(
        "**Pixel similarity (픽셀 유사성), in miniature.** Instead of MNIST 3s and 7s: noisy 4×4 "
        "images of a vertical bar and of a horizontal bar, 20 of each for training and 10 of "
        "each for validation. The mean training images (`studykit.models.mean_image`) are the "
        '"ideal" bars:',
        _code(
            _assign("ideal vertical", fmt_tensor(denoise(mean_v.tolist()), 2)),
            "",
            _assign("ideal horizontal", fmt_tensor(denoise(mean_h.tolist()), 2)),
        ),
        "Distances of the first validation image (a vertical bar) to each ideal image "
        "(`pixel_distance`):",
        _table(["metric", "to ideal vertical", "to ideal horizontal"], dist_rows),
        "It is closer to the vertical ideal, so it is called vertical. Accuracy over the "
        "validation images (`predict_by_similarity`, then `accuracy`), with nothing learned:",
        _table(["metric", "vertical bars", "horizontal bars", "mean of the two"], acc_rows),
        f"**A perceptron (퍼셉트론)** with inputs {_row(x)}, weights {_row(w)} and bias "
        f"{_n(float(bias))} computes \\(x \\cdot w + b\\) = {_n(score)}; a sigmoid turns that "
        f"into the probability {_n(sigmoid(score))}.",
        f"**Size of `simple_net` (784-30-1).** The parameter shapes "
        f"{', '.join(fmt_shape(s) for s in shapes)} hold {' + '.join(str(n) for n in sizes)} "
        f"= {sum(sizes)} numbers, against {linear_size} for the single linear layer.",
    )


def convolution_example() -> str:
    """A 4×4 image and a 2×2 kernel with stride 1 and 2, padding, bias, pooling and sizes.

    Returns:
        The Markdown snippet.
    """
    from studykit import conv

    image = torch.tensor(
        [[1.0, 2.0, 0.0, 1.0], [0.0, 1.0, 3.0, 1.0], [2.0, 0.0, 1.0, 2.0], [1.0, 1.0, 0.0, 3.0]],
        dtype=F64,
    )
    kernel = torch.tensor([[1.0, 0.0], [-1.0, 2.0]], dtype=F64)
    bias = 0.5
    stride2 = conv.conv2d_naive(image, kernel, stride=2)
    stride1 = conv.conv2d_naive(image, kernel, stride=1)
    padded = conv.conv2d_naive(image, kernel, stride=1, padding=1)
    window = image[0:2, 0:2]
    products = (window * kernel).reshape(-1).tolist()
    pooled = conv.max_pool2d(image[None, None], 2)[0, 0]

    cases = [(4, 2, 2, 0), (4, 2, 1, 0), (4, 2, 1, 1), (28, 3, 1, 0), (28, 3, 1, 1), (28, 5, 2, 0)]
    size_rows = [
        [str(h), str(k), str(s), str(p), str(conv.conv_output_size(h, k, s, p))]
        for h, k, s, p in cases
    ]
    terms = " + ".join(f"({_n(v)})" if v < 0 else _n(v) for v in products)
    return _join(
        "A 4×4 image and a 2×2 kernel (`studykit.conv.conv2d_naive`, the loop of the notes):",
        _code(_assign("image", _t(image)), "", _assign("kernel", _t(kernel))),
        "With stride 2 the kernel visits four non-overlapping windows. The top-left one is "
        f"{_row(window.reshape(-1))} (row by row); multiplied element-wise by the kernel and "
        f"summed: {terms} = {_n(stride2[0, 0])}. The whole feature map (특성 맵):",
        _code(
            _assign("stride 2", _t(stride2)),
            "",
            _assign(f"stride 2, bias {_n(bias)}", _t(stride2 + bias)),
            "",
            _assign("stride 1", _t(stride1)),
        ),
        f"With zero padding 1 the map grows to {fmt_shape(padded.shape)}; "
        f"2×2 max pooling of the image (`max_pool2d`) gives {fmt_shape(pooled.shape)}:",
        _code(_assign("max pool 2×2", _t(pooled))),
        "Output sizes \\(\\lfloor (H + 2P - K) / S \\rfloor + 1\\) (`conv_output_size`):",
        _table(["H", "K", "S", "P", "output"], size_rows),
    )


def regularization_example() -> str:
    """L1 and L2 norms, penalties and their gradients; dropout in training and evaluation.

    Returns:
        The Markdown snippet.
    """
    from studykit import regularization as reg

    w = _vec(0.5, -1.5, 0.0, 2.0).requires_grad_()
    lam = 0.01
    l1 = reg.l1_penalty(w, lam)
    (g1,) = torch.autograd.grad(l1, w)
    l2 = reg.l2_penalty(w, lam)
    (g2,) = torch.autograd.grad(l2, w)
    rows = [
        ["L1 (lasso)", _n(reg.lp_norm(w.detach(), p=1)), _n(l1), _row(g1)],
        ["L2 (ridge)", _n(reg.lp_norm(w.detach(), p=2)), _n(l2), _row(g2)],
    ]

    ones = torch.ones(8, dtype=F64)
    train = reg.dropout(ones, p=0.5, generator=torch.Generator().manual_seed(0))
    evaluation = reg.dropout(ones, p=0.5, training=False)
    many = reg.dropout(
        torch.ones(100_000, dtype=F64), p=0.5, generator=torch.Generator().manual_seed(1)
    )
    return _join(
        f"Weights \\(w\\) = {_row(w)} and \\(\\lambda = {_n(lam)}\\) "
        "(`studykit.regularization`; the gradient column is what the penalty adds to "
        "\\(\\partial L / \\partial w\\)):",
        _table(["penalty", "norm of w", "penalty", "gradient of the penalty"], rows),
        "The L1 gradient is the same size for every non-zero weight, so small weights are "
        "pushed all the way to 0; the L2 gradient is proportional to the weight, so weights "
        "shrink but rarely reach 0.",
        "Dropout with \\(p = 0.5\\) on eight ones:",
        _code(
            _assign("training", _t(train)),
            _assign("evaluation", _t(evaluation)),
        ),
        "In training about half the values are zeroed and the survivors are doubled "
        "(divided by \\(1 - p\\)); in evaluation the layer does nothing. Over 100000 ones the "
        f"training output averages {_n(many.mean())}: the expected value is kept.",
    )


def normalization_example() -> str:
    """Batch normalization of a 4×2 batch in training and evaluation; running statistics.

    Returns:
        The Markdown snippet.
    """
    from studykit.normalization import batch_norm, layer_norm

    x = torch.tensor([[1.0, 10.0], [2.0, 30.0], [3.0, 20.0], [6.0, 60.0]], dtype=F64)
    n = x.shape[0]
    mean = x.mean(0)
    var = x.var(0, correction=0)
    running_mean, running_var = torch.zeros(2, dtype=F64), torch.ones(2, dtype=F64)
    train_out = batch_norm(x, running_mean, running_var, training=True, momentum=0.1)
    after_one = (running_mean.clone(), running_var.clone())
    eval_early = batch_norm(x, running_mean, running_var, training=False)
    for _ in range(49):
        batch_norm(x, running_mean, running_var, training=True, momentum=0.1)
    eval_late = batch_norm(x, running_mean, running_var, training=False)
    rows = [
        ["this batch (biased variance)", _row(mean), _row(var)],
        ["running, after 1 batch", _row(after_one[0]), _row(after_one[1])],
        ["running, after 50 batches", _row(running_mean), _row(running_var)],
    ]
    return _join(
        "A batch of \\(N = 4\\) examples with \\(C = 2\\) features on very different scales "
        "(`studykit.normalization.batch_norm`, \\(\\gamma = 1, \\beta = 0\\), momentum 0.1):",
        _code(_assign("x", _t(x))),
        _table(["statistics", "mean per feature", "variance per feature"], rows),
        "In training each feature is normalized with this batch's own statistics:",
        _code(_assign("training", _t(train_out))),
        "In evaluation the running statistics are used instead. After one batch they are still "
        "close to their start (mean 0, variance 1), so the output is far from normalized; "
        "after 50 batches they have caught up:",
        _code(
            _assign("eval, 1 batch seen", _t(eval_early)),
            "",
            _assign("eval, 50 batches seen", _t(eval_late)),
        ),
        "Even then evaluation and training differ a little: the running variance estimates "
        f"the unbiased variance, \\(n/(n-1)\\) = {_n(n / (n - 1))} times the batch's.",
        "Layer normalization (`layer_norm`) normalizes each example over its features instead, "
        "so it needs no batch and no running statistics:",
        _code(_assign("layer_norm", _t(layer_norm(x, 2)))),
    )


def preprocessing_example() -> str:
    """Missing values, outlier clipping, feature engineering and scaling on tiny columns.

    Returns:
        The Markdown snippet.
    """
    from studykit import preprocessing as pre

    nan = float("nan")
    gaps = torch.tensor([[1.0], [nan], [3.0], [nan], [nan], [9.0]], dtype=F64)
    kept = gaps[~gaps.isnan().any(1)]
    missing_rows = [
        ["original", _row(gaps)],
        ["drop the rows", _row(kept)],
        ["fill with the mean (`fill_mean`)", _row(pre.fill_mean(gaps))],
        ["linear interpolation (`interpolate_linear`)", _row(pre.interpolate_linear(gaps))],
    ]

    col = torch.tensor([[10.0], [12.0], [11.0], [13.0], [12.0], [95.0]], dtype=F64)
    values = col[:, 0]
    std = values.std()
    low_std, high_std = values.mean() - 2 * std, values.mean() + 2 * std
    q1, q3 = torch.quantile(values, 0.25), torch.quantile(values, 0.75)
    iqr = q3 - q1
    outlier_rows = [
        [
            "mean ± 2·std (`clip_outliers_std`)",
            f"[{_n(low_std)}, {_n(high_std)}]",
            _row(pre.clip_outliers_std(col)),
        ],
        [
            "Q1 − 1.5·IQR, Q3 + 1.5·IQR (`clip_outliers_iqr`)",
            f"[{_n(q1 - 1.5 * iqr)}, {_n(q3 + 1.5 * iqr)}]",
            _row(pre.clip_outliers_iqr(col)),
        ],
    ]

    pair = torch.tensor([[2.0, 3.0]], dtype=F64)
    scale = torch.tensor([[50.0], [60.0], [70.0], [80.0], [100.0]], dtype=F64)
    return _join(
        "**Missing values (결측치)** in one column (`studykit.preprocessing`):",
        _table(["method", "column"], missing_rows),
        "**Outliers (이상치).** The column "
        f"{_row(col)} has one wild value. Mean {_n(values.mean())}, sample standard "
        f"deviation {_n(std)}; quartiles Q1 = {_n(q1)}, Q3 = {_n(q3)}, IQR = {_n(iqr)}:",
        _table(["rule", "allowed range", "after clipping"], outlier_rows),
        "The outlier inflates the standard deviation it is measured with, so the mean ± 2·std "
        "range is wide and hardly clips it; the quartiles barely notice the outlier, so the "
        "IQR rule does.",
        f"**New features (특성 공학)** from \\((x_1, x_2)\\) = {_row(pair[0])}: degree-2 "
        f"polynomial features \\([x_1, x_2, x_1^2, x_1x_2, x_2^2]\\) = "
        f"{_row(pre.polynomial_features(pair)[0])}, interaction feature \\(x_1x_2\\) = "
        f"{_row(pre.interaction_features(pair)[0])}.",
        f"**Scaling (스케일링)** of {_row(scale)}:",
        _table(
            ["method", "result"],
            [
                ["standardization (`standardize`)", _row(pre.standardize(scale))],
                ["min-max to [0, 1] (`min_max_scale`)", _row(pre.min_max_scale(scale))],
            ],
        ),
    )


def data_example() -> str:
    """Mini-batches with and without shuffling, batch counts, and a train/val/test split.

    Returns:
        The Markdown snippet.
    """
    from studykit import data

    x = torch.arange(10)
    plain = [b.tolist() for b in data.batches(x, 4)]
    dropped = [b.tolist() for b in data.batches(x, 4, drop_last=True)]
    gen = torch.Generator().manual_seed(0)
    epoch1 = [b.tolist() for b in data.batches(x, 4, shuffle=True, generator=gen)]
    epoch2 = [b.tolist() for b in data.batches(x, 4, shuffle=True, generator=gen)]
    rows = [
        ["in order", str(plain)],
        ["`drop_last=True`", str(dropped)],
        ["shuffled, epoch 1", str(epoch1)],
        ["shuffled, epoch 2", str(epoch2)],
    ]
    mnist = 12396
    count_rows = [
        [
            str(mnist),
            str(bs),
            str(data.num_batches(mnist, bs)),
            str(data.num_batches(mnist, bs, True)),
        ]
        for bs in (64, 256, 1000)
    ]
    split = data.train_val_test_split(
        10, (0.6, 0.2, 0.2), generator=torch.Generator().manual_seed(0)
    )
    split_rows = [
        [name, str(part.tolist())]
        for name, part in zip(("train", "validation", "test"), split, strict=True)
    ]
    return _join(
        "Ten samples `0 … 9` in batches of 4 (`studykit.data.batches`, the logic of `DataLoader`):",
        _table(["batches", "sample indices"], rows),
        "Every sample appears exactly once per epoch; shuffling draws a new order each epoch.",
        "Batches per epoch (`num_batches`) for the notes' 12396 training images of 3s and 7s:",
        _table(["samples", "batch size", "batches", "batches with drop_last"], count_rows),
        "A 60/20/20 split of the ten indices (`train_val_test_split`):",
        _table(["part", "indices"], split_rows),
    )


def sequences_example() -> str:
    """A plain RNN over three steps, and one LSTM cell step with its gates spelled out.

    Returns:
        The Markdown snippet.
    """
    from studykit.activations import sigmoid, tanh
    from studykit.rnn import lstm_cell, rnn_cell

    sequence = _vec(1.0, 0.5, -1.0)
    w_ih = torch.tensor([[0.5], [-1.0]], dtype=F64)
    w_hh = torch.tensor([[0.8, 0.0], [0.3, 0.5]], dtype=F64)
    h: torch.Tensor | None = None
    rnn_rows = []
    for t, value in enumerate(sequence.tolist(), start=1):
        h = rnn_cell(_vec(value), h, w_ih, w_hh)
        rnn_rows.append([str(t), _n(value), _row(h)])

    # One hidden unit: the stacked weights are the gate blocks in torch's order i, f, g, o.
    lw_ih = torch.tensor([[1.0], [0.5], [2.0], [1.0]], dtype=F64)
    lw_hh = torch.tensor([[0.5], [0.5], [1.0], [0.5]], dtype=F64)
    lb_ih = _vec(0.0, 1.0, 0.0, 0.0)  # forget-gate bias 1: remember by default
    state = (_vec(0.0), _vec(0.0))
    lstm_rows = []
    for t, value in enumerate((1.0, -1.0), start=1):
        inp = _vec(value)
        pre = inp @ lw_ih.T + lb_ih + state[0] @ lw_hh.T
        i, f, o = sigmoid(pre[0:1]), sigmoid(pre[1:2]), sigmoid(pre[3:4])
        g = tanh(pre[2:3])
        c_new = f * state[1] + i * g
        h_new = o * tanh(c_new)
        state = lstm_cell(inp, state, lw_ih, lw_hh, lb_ih)
        if not (torch.allclose(state[1], c_new) and torch.allclose(state[0], h_new)):
            raise RuntimeError("the hand-computed LSTM gates disagree with studykit.rnn.lstm_cell")
        lstm_rows.append(
            [str(t), _n(value)] + [_n(float(v)) for v in (i, f, g, o, state[1], state[0])]
        )

    words = ["king", "queen", "apple"]
    vectors = torch.tensor([[0.9, 0.8, 0.1], [0.85, 0.9, 0.15], [0.1, 0.2, 0.95]], dtype=F64)
    unit = vectors / vectors.norm(dim=1, keepdim=True)
    cosine = unit @ unit.T
    return _join(
        "**A plain RNN (순환 신경망)** with one input and two hidden units "
        "(`studykit.rnn.rnn_cell`, \\(h_t = \\tanh(W_{ih} x_t + W_{hh} h_{t-1})\\), "
        "\\(h_0 = 0\\)) reads the sequence "
        f"{_row(sequence)}; the same weights are used at every step:",
        _table(["t", "\\(x_t\\)", "\\(h_t\\)"], rnn_rows),
        "**One LSTM cell**, one hidden unit, forget-gate bias 1 (`lstm_cell`; the gates are "
        "recomputed by hand and checked against it):",
        _table(
            ["t", "\\(x_t\\)", "input i", "forget f", "candidate g", "output o", "cell c", "h"],
            lstm_rows,
        ),
        "The cell state is changed only by forgetting (\\(f \\odot c\\)) and adding "
        "(\\(i \\odot g\\)), and \\(h\\) is what the cell shows.",
        "**Word embeddings (워드 임베딩)**: made-up 3-d vectors for "
        f"{', '.join(words)}; cosine similarities:",
        _table(
            ["", *words],
            [[word] + [_n(float(v)) for v in cosine[k]] for k, word in enumerate(words)],
        ),
    )


def landscape_example() -> str:
    """Where each topic of the map lives in studykit, and what torch package it mirrors.

    Returns:
        The Markdown snippet.
    """
    from studykit.catalog import CONCEPTS
    from studykit.topics import TOPICS

    torch_side = {
        "tensors": "torch (ATen operations)",
        "losses": "torch.nn.functional",
        "autograd": "torch.autograd",
        "optim": "torch.optim",
        "activations": "torch.nn.functional",
        "models": "torch.nn",
        "conv": "torch.nn.functional",
        "regularization": "torch.nn.functional",
        "normalization": "torch.nn.functional",
        "preprocessing": "(pandas, scikit-learn)",
        "data": "torch.utils.data",
        "rnn": "torch.nn",
        "symbolic": "(sympy; torch.autograd evaluates it)",
        "landscape": "(the notes' tables)",
    }
    rows = []
    for topic in TOPICS:
        modules = TOPIC_MODULES[topic.id]
        rows.append(
            [
                f"{topic.title} ({topic.korean})",
                ", ".join(f"`studykit.{m}`" for m in modules) or "this page",
                ", ".join(dict.fromkeys(torch_side[m] for m in modules)) or "—",
            ]
        )
    names = sorted({m for ms in TOPIC_MODULES.values() for m in ms})
    counts = [len(importlib.import_module(f"studykit.{m}").__all__) for m in names]
    return _join(
        f"The topic map has {len(TOPICS)} rows. Where each one is implemented in studykit, and "
        "which part of PyTorch the reference code mirrors:",
        _table(["topic", "studykit module", "PyTorch counterpart"], rows),
        f"Together the {len(names)} reference modules export {sum(counts)} public names "
        f"(from {min(counts)} to {max(counts)} per module); `studykit concepts` lists "
        f"{len(CONCEPTS)} catalogued concepts with their torch counterparts.",
    )


EXAMPLES: dict[str, Callable[[], str]] = {
    "tensors": tensors_example,
    "losses": losses_example,
    "gradients": gradients_example,
    "gradient-descent": gradient_descent_example,
    "optimizers": optimizers_example,
    "activations": activations_example,
    "models": models_example,
    "convolution": convolution_example,
    "regularization": regularization_example,
    "normalization": normalization_example,
    "preprocessing": preprocessing_example,
    "data": data_example,
    "sequences": sequences_example,
    "landscape": landscape_example,
}
"""One worked-example function per topic id of ``studykit.topics``, returning Markdown."""


def write_examples(out_dir: Path) -> list[Path]:
    """Write every topic's worked example to ``out_dir/<topic>.md``.

    Args:
        out_dir: The folder to write into (``docs/generated/examples``); created if missing.

    Returns:
        The written paths, in the order of the topic map.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for topic, example in EXAMPLES.items():
        path = out_dir / f"{topic}.md"
        path.write_text(example(), encoding="utf-8")
        written.append(path)
    return written
