r"""Models (모델): from one artificial neuron to a two-layer network, and how to tell if it works.

**The perceptron (퍼셉트론, 인공 뉴런)** multiplies each input by a weight (가중치), adds a bias
(편향) and passes the sum through an activation function (활성화 함수) \(h\):

$$\hat y = h(\mathbf{x} \cdot \mathbf{w} + b) .$$

Stack a mini-batch of \(N\) inputs as the rows of \(X \in \mathbb{R}^{N \times d}\) and the whole
batch is one matrix product, ``X @ w + b``: the notes call ``batch @ weights + bias`` the most
basic equation of every neural network. The choice of \(h\) (and of the loss) names the model:

| model | predicts | \(h\) | loss |
|---|---|---|---|
| linear regression (선형 회귀) | a number | identity | MSE |
| logistic regression (로지스틱 회귀) | the probability of class 1 | sigmoid | BCE |
| multinomial logistic regression (다항 로지스틱 회귀) | \(C\) class probabilities | softmax | CE |

(for \(C\) classes the weight becomes a matrix \(W \in \mathbb{R}^{d \times C}\), one score per
class, and softmax turns the \(C\) scores \(XW + b\) into probabilities).

``linear`` is this layer in torch's layout: the weight is stored as (out_features, in_features),
so it computes \(y = xW^\top + b\).

**A baseline first (기준선, baseline).** Before training anything, the notes tell MNIST 3s from 7s
with no learning at all: average every training 3 into one "ideal 3" (``mean_image``), do the same
for the 7s, and call a new image a 3 when it is closer to the ideal 3 (``pixel_distance``,
``predict_by_similarity``). With the L1 distance this pixel-similarity classifier (픽셀 유사도)
gets 91.68% of the validation 3s and 98.54% of the 7s right. The notes' 0.9511 is the mean of
those two class accuracies, \((0.9168 + 0.9854)/2\); counted over all 2,038 validation images
(1,010 threes, 1,028 sevens) it gets 1,939 right, an overall accuracy of about 0.9514. The two
numbers nearly agree only because the classes are almost equally large; with unbalanced classes
the mean of the per-class accuracies and the overall accuracy can differ a lot. A
baseline is the simple, easy-to-build yardstick that a real model has to beat: a trained model
that also reaches 95% has bought nothing with its extra complexity. It is only a baseline because
it cannot improve: it has no weights to adjust, so it cannot learn from its mistakes.

**Learning with SGD (확률적 경사 하강법).** Give every pixel a weight instead: flatten each image
to 784 numbers, draw ``weights`` (784, 1) and ``bias`` (1,) with ``init_params``, and predict with
``xb @ weights + bias``. Then repeat, for every mini-batch: predict, compute a loss, call
``backward()``, step every parameter against its gradient
\(\theta \leftarrow \theta - \eta\, \nabla_\theta L\), and reset the gradients to zero. In the notes
the validation accuracy of this linear model climbs from 0.46 at random weights to 0.968 after 21
epochs with learning rate 1 (one epoch to check that it improves, then a loop of twenty more).

**The validation set (검증 데이터셋).** Every accuracy above is measured on images the model never
trained on. Accuracy on the training images rewards memorizing them (과적합, overfitting); the
validation set tells us whether the model generalizes while we still tune it, and a separate test
set (테스트 데이터셋) gives the final, untouched verdict.

**Accuracy versus loss (정확도와 손실).** Accuracy (``accuracy``) is the metric (평가 지표) people
read; the loss is what the optimizer follows. Accuracy only changes when a prediction crosses the
threshold, so a small change of a weight almost never moves it: its gradient is zero almost
everywhere. Train on a smooth loss (``mnist_loss``, binary cross-entropy) and report accuracy.

**Adding a non-linearity: ``simple_net``.** Two linear layers are still one linear layer, so the
notes put a ReLU between them: 784 pixels → 30 hidden units (은닉층) → 1 score,

$$\hat y = \operatorname{relu}(X W_1 + b_1)\, W_2 + b_2 ,$$

which reaches 98.3% after 40 epochs. ``simple_net_forward`` and ``simple_net_backward`` write out
both directions of back-propagation (역전파) for exactly this network.

Common mistakes:
    - Judging a model without a baseline: 95% sounds good until the mean-image trick scores 95% too.
    - Measuring accuracy on the training set: it rises even while the model overfits.
    - Trying to train on accuracy: its gradient is zero, so the weights never move.
    - Mixing layouts: ``nn.Linear`` stores (out, in) and computes ``x @ W.T``; the notes' hand-made
      ``weights`` are (in, out) and computed with ``x @ w``. Transpose when you copy between them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import torch

from studykit._checks import check_floating, check_non_negative, check_tensor
from studykit.activations import relu
from studykit.losses.regression import _safe_sqrt
from studykit.tensors import broadcast_shapes

__all__ = [
    "SimpleNetCache",
    "SimpleNetGrads",
    "accuracy",
    "init_params",
    "linear",
    "mean_image",
    "pixel_distance",
    "predict_by_similarity",
    "simple_net_backward",
    "simple_net_forward",
]

METRICS: tuple[str, ...] = ("l1", "rmse")


def _check_same_dtype(name: str, value: torch.Tensor, reference: torch.Tensor) -> None:
    """Raise ``TypeError`` unless ``value`` has the dtype of ``reference`` (the input)."""
    if value.dtype != reference.dtype:
        raise TypeError(f"{name} dtype {value.dtype} must match input dtype {reference.dtype}")


def _broadcasts(a: Sequence[int], b: Sequence[int]) -> torch.Size | None:
    """The shape ``a`` and ``b`` broadcast to, or ``None`` if they do not broadcast."""
    try:
        return broadcast_shapes(a, b)
    except ValueError:
        return None


def linear(
    input: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None
) -> torch.Tensor:
    r"""A fully connected layer (선형 계층, 완전 연결 계층): \(y = xW^\top + b\).

    $$y_{\dots, j} = \sum_{k=1}^{d} x_{\dots, k}\, W_{jk} + b_j$$

    The weight is stored as (out_features, in_features), as in ``nn.Linear``, so row \(j\) of
    \(W\) holds the weights of output unit \(j\). Every leading dimension of ``input`` is a batch
    dimension: ``(N, d)``, ``(B, N, d)`` and a single ``(d,)`` vector all work. A 1-D weight
    ``(d,)`` is one output unit whose dimension is dropped, like ``x @ w``.

    Args:
        input: Inputs of shape ``(*, in_features)``, floating point.
        weight: ``(out_features, in_features)``, or ``(in_features,)`` for a single output.
        bias: Optional; ``(out_features,)`` or anything that broadcasts to the output shape
            without enlarging it.

    Returns:
        A tensor of shape ``(*, out_features)`` (``(*)`` for a 1-D weight).

    Raises:
        TypeError: If an argument is not a floating-point tensor or the dtypes differ.
        ValueError: If ``input`` is 0-D, ``weight`` is not 1-D or 2-D, the feature sizes
            disagree, or ``bias`` does not broadcast to the output.

    Examples:
        >>> x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> w = torch.tensor([[1.0, 0.0], [1.0, -1.0], [0.5, 0.5]])
        >>> linear(x, w, torch.tensor([0.0, 0.0, 1.0]))
        tensor([[ 1.0000, -1.0000,  2.5000],
                [ 3.0000, -1.0000,  4.5000]])

    Torch counterpart:
        ``torch.nn.functional.linear`` (also ``torch.nn.Linear``).

    Common mistakes:
        - Writing ``x @ W``: with torch's (out, in) layout the weight must be transposed; for a
          square \(W\) the wrong product even runs without an error.
        - A bias of shape ``(N, out)`` (one per example) instead of ``(out,)``: every example
          should share the same bias, which is what lets the layer generalize.
    """
    x = check_floating("input", input)
    w = check_floating("weight", weight)
    _check_same_dtype("weight", w, x)
    if x.ndim == 0:
        raise ValueError("input must be at least 1-D, shape (*, in_features), got a 0-D tensor")
    if w.ndim not in (1, 2):
        raise ValueError(
            "weight must be (out_features, in_features) or (in_features,), "
            f"got shape {tuple(w.shape)}"
        )
    if x.shape[-1] != w.shape[-1]:
        raise ValueError(
            f"input has {x.shape[-1]} features (its last dim) but weight of shape "
            f"{tuple(w.shape)} expects {w.shape[-1]}"
        )
    out = x @ (w.T if w.ndim == 2 else w)
    if bias is None:
        return out
    b = check_floating("bias", bias)
    _check_same_dtype("bias", b, x)
    if _broadcasts(b.shape, out.shape) != out.shape:
        raise ValueError(
            f"bias shape {tuple(b.shape)} must broadcast to the output shape {tuple(out.shape)}"
        )
    return out + b


def init_params(
    size: int | Sequence[int],
    std: float = 1.0,
    generator: torch.Generator | None = None,
    *,
    dtype: torch.dtype | None = None,
    device: torch.device | str | None = None,
) -> torch.Tensor:
    r"""Random starting parameters that record their gradient (파라미터 초기화): ``init_params``.

    $$\theta_i \sim \mathcal{N}(0, \sigma^2), \qquad \sigma = \texttt{std}$$

    The tensor is a leaf with ``requires_grad=True``, so after ``loss.backward()`` its ``.grad``
    holds \(\partial L / \partial \theta\), ready for an SGD step.

    Args:
        size: The shape, e.g. ``(28 * 28, 1)`` for the notes' linear model, or ``30`` for a bias.
        std: The standard deviation \(\sigma \ge 0\).
        generator: An optional ``torch.Generator`` for reproducible draws.
        dtype: The floating-point dtype (default: torch's default, float32).
        device: Where to create the tensor (must match the generator's device).

    Returns:
        A new leaf tensor of shape ``size`` with ``requires_grad=True``.

    Raises:
        TypeError: If ``std`` is not a number.
        ValueError: If ``std`` is negative or not finite.

    Examples:
        >>> w = init_params((784, 30), std=0.1, generator=torch.Generator().manual_seed(0))
        >>> w.shape, w.requires_grad, w.is_leaf
        (torch.Size([784, 30]), True, True)

    Torch counterpart:
        ``torch.nn.init.normal_(torch.empty(size), std=std).requires_grad_()``; ``nn.Linear``
        uses a uniform Kaiming initialization instead.

    Common mistakes:
        - ``torch.randn(size).requires_grad_() * std``: the product is not a leaf, so its
          ``.grad`` stays ``None`` after ``backward()``. Scale first, then ``requires_grad_()``.
        - ``std=1.0`` for a layer with many inputs: 784 inputs of size about 1 give outputs of
          size about \(\sqrt{784} = 28\), where a sigmoid is flat and learning stalls.
    """
    scale = check_non_negative("std", std)
    shape = (size,) if isinstance(size, int) else tuple(size)
    values = torch.randn(shape, generator=generator, dtype=dtype, device=device)
    return values.mul_(scale).requires_grad_()


def mean_image(images: torch.Tensor) -> torch.Tensor:
    r"""The pixel-wise mean of a stack of images (평균 이미지): the notes' "ideal 3".

    $$\bar{I}_{hw} = \frac{1}{N} \sum_{n=1}^{N} I_{n,hw}$$

    Dimension 0 indexes the images, so averaging over it gives one image whose every pixel is the
    average of that pixel over the stack (``stacked_threes.mean(0)`` in the notes).

    Args:
        images: A floating-point stack ``(N, H, W)`` or ``(N, C, H, W)`` with \(N \ge 1\).

    Returns:
        One image, the shape of ``images[0]``.

    Raises:
        TypeError: If ``images`` is not a floating-point tensor (scale pixels first).
        ValueError: If ``images`` has fewer than 3 dimensions or holds no image.

    Examples:
        >>> images = torch.tensor([[[0.0, 1.0], [1.0, 1.0]], [[0.0, 0.0], [1.0, 1.0]]])
        >>> mean_image(images)
        tensor([[0.0000, 0.5000],
                [1.0000, 1.0000]])

    Torch counterpart:
        ``images.mean(0)``.

    Common mistakes:
        - Averaging raw ``uint8`` pixels: torch refuses; convert with ``images.float() / 255``.
        - Averaging over the wrong dimension: ``mean(1)`` averages the rows of every image.
    """
    x = check_tensor("images", images)
    if not x.is_floating_point():
        raise TypeError(
            f"images must be a floating-point tensor, got dtype {x.dtype}; "
            "scale the pixels first, e.g. images.float() / 255"
        )
    if x.ndim < 3:
        raise ValueError(
            f"images must be a stack (N, H, W) or (N, C, H, W), got shape {tuple(x.shape)}"
        )
    if x.shape[0] == 0:
        raise ValueError("images holds no image (N = 0): the mean of nothing is undefined")
    return x.mean(0)


def _distance(
    first: tuple[str, torch.Tensor], second: tuple[str, torch.Tensor], metric: str
) -> torch.Tensor:
    """``pixel_distance`` with the caller's argument names in its error messages."""
    (name_a, a), (name_b, b) = first, second
    x = check_floating(name_a, a)
    y = check_floating(name_b, b)
    if y.dtype != x.dtype:
        raise TypeError(f"{name_b} dtype {y.dtype} must match {name_a} dtype {x.dtype}")
    for name, t in ((name_a, x), (name_b, y)):
        if t.ndim < 2:
            raise ValueError(
                f"{name} must have at least 2 dims (*, H, W), got shape {tuple(t.shape)}"
            )
    if _broadcasts(x.shape, y.shape) is None:
        raise ValueError(
            f"{name_a} shape {tuple(x.shape)} and {name_b} shape {tuple(y.shape)} do not broadcast"
        )
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS}, got {metric!r}")
    diff = x - y
    if metric == "l1":
        return diff.abs().mean((-1, -2))
    return _safe_sqrt((diff * diff).mean((-1, -2)))


def pixel_distance(a: torch.Tensor, b: torch.Tensor, metric: str = "l1") -> torch.Tensor:
    r"""The distance between images over their last two dimensions: the notes' ``mnist_distance``.

    $$d_{\mathrm{L1}}(A, B) = \frac{1}{HW} \sum_{h,w} \lvert A_{hw} - B_{hw} \rvert, \qquad
      d_{\mathrm{RMSE}}(A, B) = \sqrt{\frac{1}{HW} \sum_{h,w} (A_{hw} - B_{hw})^2}$$

    ``'l1'`` is the mean absolute difference (평균 절대 차, L1 노름) and ``'rmse'`` the root mean
    squared difference (평균 제곱근 오차, L2 노름). Taking the absolute value or the square first
    matters: plain differences of opposite sign would cancel. Leading dimensions broadcast, so a
    stack ``(N, 28, 28)`` against one mean image ``(28, 28)`` gives ``N`` distances at once. Where
    the RMSE distance is exactly 0 its gradient is taken as 0, not ``nan``.

    Args:
        a: Images ``(*, H, W)``, floating point.
        b: Images ``(*, H, W)`` whose shape broadcasts with ``a``'s.
        metric: ``'l1'`` or ``'rmse'``.

    Returns:
        The broadcast leading shape ``(*)``: one distance per pair of images.

    Raises:
        TypeError: If ``a`` or ``b`` is not a floating-point tensor or their dtypes differ.
        ValueError: If either has fewer than 2 dimensions, the shapes do not broadcast, or
            ``metric`` is unknown.

    Examples:
        >>> image, blank = torch.tensor([[0.0, 1.0], [1.0, 0.0]]), torch.zeros(2, 2)
        >>> pixel_distance(image, blank), pixel_distance(image, blank, metric="rmse")
        (tensor(0.5000), tensor(0.7071))

    Torch counterpart:
        None; it is ``(a - b).abs().mean((-1, -2))`` and ``((a - b) ** 2).mean((-1, -2)).sqrt()``.
        For one pair of images it equals ``F.l1_loss(a, b)`` and ``F.mse_loss(a, b).sqrt()``.

    Common mistakes:
        - Averaging over every dimension (``.mean()``): a stack of images then gives one number
          instead of one distance per image.
        - Expecting the two metrics to agree: RMSE punishes a few very different pixels harder,
          L1 many slightly different ones.
    """
    return _distance(("a", a), ("b", b), metric)


def predict_by_similarity(
    images: torch.Tensor, mean_a: torch.Tensor, mean_b: torch.Tensor, metric: str = "l1"
) -> torch.Tensor:
    r"""Classify images by which of two mean images they are closer to: the notes' ``is_3``.

    $$\hat y_n = \bigl[\, d(I_n, \bar A) < d(I_n, \bar B) \,\bigr]$$

    The pixel-similarity baseline (픽셀 유사도 기준선): no weights, no training, just "which ideal
    image does this look more like?". ``True`` means closer to ``mean_a``; a tie counts as
    ``False`` (the comparison is strict, as in the notes).

    Args:
        images: Images ``(*, H, W)``, floating point.
        mean_a: The ideal image of class A, ``(H, W)`` (e.g. ``mean_image`` of the 3s).
        mean_b: The ideal image of class B, the same shape as ``mean_a``.
        metric: ``'l1'`` or ``'rmse'`` (see ``pixel_distance``).

    Returns:
        A ``bool`` tensor of the leading shape ``(*)``: ``True`` where closer to ``mean_a``.

    Raises:
        TypeError: If an argument is not a floating-point tensor or the dtypes differ.
        ValueError: If ``mean_a`` and ``mean_b`` differ in shape, a shape does not broadcast, or
            ``metric`` is unknown.

    Examples:
        >>> mean_3 = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
        >>> mean_7 = torch.tensor([[0.0, 1.0], [1.0, 0.0]])
        >>> images = torch.tensor([[[0.9, 0.1], [0.2, 0.8]], [[0.1, 0.7], [0.9, 0.0]]])
        >>> predict_by_similarity(images, mean_3, mean_7)
        tensor([ True, False])

    Torch counterpart:
        None; it is ``pixel_distance(images, mean_a) < pixel_distance(images, mean_b)``.

    Common mistakes:
        - Computing the mean images from the validation set: then the baseline has seen the
          answers, and its accuracy is no longer an honest yardstick.
        - Reading ``False`` as "class B" for an image of neither class: the rule has only two
          answers, so a 5 is still called a 3 or a 7.
    """
    check_tensor("mean_a", mean_a)
    check_tensor("mean_b", mean_b)
    if mean_a.shape != mean_b.shape:
        raise ValueError(
            f"mean_b shape {tuple(mean_b.shape)} must match mean_a shape {tuple(mean_a.shape)}"
        )
    to_a = _distance(("images", images), ("mean_a", mean_a), metric)
    to_b = _distance(("images", images), ("mean_b", mean_b), metric)
    return to_a < to_b


def _check_binary(name: str, value: torch.Tensor) -> None:
    """Raise ``ValueError`` unless every element of ``value`` is 0 or 1 (``False``/``True``)."""
    if value.dtype != torch.bool and not bool(((value == 0) | (value == 1)).all()):
        raise ValueError(
            f"{name} must hold only 0 and 1 (binary labels) when comparing to a threshold"
        )


def _check_same_shape_for_accuracy(p: torch.Tensor, y: torch.Tensor) -> None:
    """Raise ``ValueError`` unless predictions and targets have the same shape."""
    if p.shape != y.shape:
        raise ValueError(
            f"targets shape {tuple(y.shape)} must match predictions shape {tuple(p.shape)}"
        )


def accuracy(
    predictions: torch.Tensor, targets: torch.Tensor, threshold: float | None = None
) -> torch.Tensor:
    r"""The fraction of predictions that are right (정확도, accuracy).

    $$\mathrm{acc} = \frac{1}{N} \sum_{n=1}^{N} \bigl[\, \hat y_n = y_n \,\bigr]$$

    How \(\hat y_n\) is read off ``predictions`` depends on what they are:

    - **Scores with a threshold** (``threshold`` given, floating point): binary predictions,
      \(\hat y_n = [p_n > t]\), compared with 0/1 ``targets`` of the same shape. Use
      ``threshold=0.5`` for probabilities and ``threshold=0.0`` for logits (raw scores), since
      \(\sigma(x) > 0.5 \iff x > 0\); this is the notes' ``batch_accuracy``.
    - **Class scores** (``threshold=None``, floating point, at least 2-D with \(C > 1\) classes
      in dimension 1): \(\hat y_n = \arg\max_c p_{n,c}\), compared with integer class indices
      ``targets`` of shape ``(N,)`` (or ``(N, d1, ...)``), as ``cross_entropy`` takes them.
    - **Labels** (``bool`` or integer ``predictions``, no threshold): compared element by element
      with ``targets`` of the same shape, e.g. the output of ``predict_by_similarity``.

    Args:
        predictions: Scores, probabilities or labels (see above).
        targets: The true labels (see above for the shape and dtype in each case).
        threshold: The cut-off for binary scores; ``None`` for class scores and labels.

    Returns:
        A scalar in \([0, 1]\), in ``predictions``' dtype if it is floating point (else the
        default dtype); ``nan`` for an empty batch, like the mean of nothing.

    Raises:
        TypeError: If an argument is not a tensor, ``threshold`` is not a number or is given for
            labels, or class-score ``targets`` are not integers.
        ValueError: If the shapes do not match, binary targets are not 0/1, class indices are out
            of range, or 1-D (or single-column) scores come without a ``threshold``.

    Examples:
        >>> accuracy(torch.tensor([0.9, 0.4, 0.2, 0.7]), torch.tensor([1, 0, 1, 1]), threshold=0.5)
        tensor(0.7500)
        >>> accuracy(torch.tensor([[2.0, 0.1, -1.0], [0.3, 0.2, 1.5]]), torch.tensor([0, 1]))
        tensor(0.5000)

    Torch counterpart:
        None in torch; it is ``((p > t) == y).float().mean()`` or
        ``(p.argmax(1) == y).float().mean()`` (``torchmetrics.functional.accuracy``, fastai's
        ``accuracy``).

    Common mistakes:
        - Thresholding logits at 0.5: a logit of 0.3 means \(p = 0.57\), a positive prediction,
          but ``0.3 > 0.5`` is false. Logits are cut at 0.
        - Predictions ``(N, 1)`` against targets ``(N,)``: compared by broadcasting this would be
          an \(N \times N\) table, which is why the shapes must match here.
        - Optimizing it: it is a step function of the weights, so its gradient is zero; train on a
          loss and report accuracy.
    """
    p = check_tensor("predictions", predictions)
    y = check_tensor("targets", targets)
    out_dtype = p.dtype if p.is_floating_point() else torch.get_default_dtype()
    if threshold is not None:
        if isinstance(threshold, bool) or not isinstance(threshold, int | float):
            raise TypeError(f"threshold must be a number or None, got {type(threshold).__name__}")
        if not p.is_floating_point():
            raise TypeError(
                f"threshold applies to floating-point scores, got predictions of dtype {p.dtype}"
            )
        _check_same_shape_for_accuracy(p, y)
        _check_binary("targets", y)
        correct = (p > threshold) == (y != 0)
    elif p.is_floating_point():
        if p.ndim < 2 or p.shape[1] < 2:
            raise ValueError(
                f"predictions of shape {tuple(p.shape)} are binary scores, not class scores "
                "(N, C) with C > 1: pass threshold (0.5 for probabilities, 0.0 for logits)"
            )
        expected = p.shape[:1] + p.shape[2:]
        if y.shape != expected:
            raise ValueError(
                f"targets shape {tuple(y.shape)} must be {tuple(expected)}: one class index per "
                f"row of predictions {tuple(p.shape)}"
            )
        if y.is_floating_point() or y.dtype == torch.bool or y.is_complex():
            raise TypeError(f"targets must be integer class indices, got dtype {y.dtype}")
        classes = p.shape[1]
        if y.numel() and not bool(((y >= 0) & (y < classes)).all()):
            raise ValueError(f"targets must be class indices in [0, {classes}), got values outside")
        correct = p.argmax(1) == y
    else:
        _check_same_shape_for_accuracy(p, y)
        if p.dtype == torch.bool:
            _check_binary("targets", y)
            correct = p == (y != 0)
        else:
            correct = p == y
    return correct.to(out_dtype).mean()


class SimpleNetCache(NamedTuple):
    r"""What ``simple_net_forward`` remembers for the backward pass (순전파 캐시).

    Back-propagation needs the values the forward pass computed: the input and weights (to
    multiply the incoming gradient by), the pre-activation \(Z = XW_1 + b_1\) (to know where the
    ReLU let the gradient through) and the hidden activation \(H = \operatorname{relu}(Z)\).
    They are stored detached: the backward pass here is computed by hand, not by autograd.

    Attributes:
        x: The input, ``(*, in_features)``.
        w1: The first weight, ``(in_features, hidden)``.
        w2: The second weight, ``(hidden, out_features)``.
        pre_activation: \(Z\), ``(*, hidden)``.
        hidden: \(H = \operatorname{relu}(Z)\), ``(*, hidden)``.
    """

    x: torch.Tensor
    w1: torch.Tensor
    w2: torch.Tensor
    pre_activation: torch.Tensor
    hidden: torch.Tensor


class SimpleNetGrads(NamedTuple):
    r"""The gradients ``simple_net_backward`` returns (기울기), one per input of the network.

    Each field has the shape of the tensor it belongs to, exactly as ``.grad`` would after
    ``backward()``: \(\partial L/\partial X\), \(\partial L/\partial W_1\),
    \(\partial L/\partial b_1\), \(\partial L/\partial W_2\) and \(\partial L/\partial b_2\), where
    \(L\) is whatever scalar the incoming gradient ``grad_output`` came from.

    Attributes:
        x: ``(*, in_features)``.
        w1: ``(in_features, hidden)``.
        b1: ``(hidden,)``.
        w2: ``(hidden, out_features)``.
        b2: ``(out_features,)``.
    """

    x: torch.Tensor
    w1: torch.Tensor
    b1: torch.Tensor
    w2: torch.Tensor
    b2: torch.Tensor


def _check_simple_net(
    x: torch.Tensor, w1: torch.Tensor, b1: torch.Tensor, w2: torch.Tensor, b2: torch.Tensor
) -> None:
    """Check the notes' layout: x (*, d), w1 (d, h), b1 (h,), w2 (h, o), b2 (o,)."""
    check_floating("x", x)
    for name, t in (("w1", w1), ("b1", b1), ("w2", w2), ("b2", b2)):
        check_floating(name, t)
        _check_same_dtype(name, t, x)
    if x.ndim == 0:
        raise ValueError("x must be at least 1-D, shape (*, in_features), got a 0-D tensor")
    if w1.ndim != 2 or w1.shape[0] != x.shape[-1]:
        raise ValueError(
            f"w1 must have shape (in_features, hidden) = ({x.shape[-1]}, hidden) for x of shape "
            f"{tuple(x.shape)}, got {tuple(w1.shape)}"
        )
    hidden = w1.shape[1]
    if b1.shape != (hidden,):
        raise ValueError(f"b1 must have shape ({hidden},), got {tuple(b1.shape)}")
    if w2.ndim != 2 or w2.shape[0] != hidden:
        raise ValueError(
            f"w2 must have shape (hidden, out_features) = ({hidden}, out), got {tuple(w2.shape)}"
        )
    if b2.shape != (w2.shape[1],):
        raise ValueError(f"b2 must have shape ({w2.shape[1]},), got {tuple(b2.shape)}")


def simple_net_forward(
    x: torch.Tensor, w1: torch.Tensor, b1: torch.Tensor, w2: torch.Tensor, b2: torch.Tensor
) -> tuple[torch.Tensor, SimpleNetCache]:
    r"""The notes' ``simple_net``, forward (순전파): linear, ReLU, linear.

    $$Z = X W_1 + b_1, \qquad H = \operatorname{relu}(Z), \qquad \hat Y = H W_2 + b_2$$

    The weights use the notes' (in, out) layout, ``x @ w``: for 28×28 images ``w1`` is
    (784, 30), ``b1`` (30,), ``w2`` (30, 1) and ``b2`` (1,), so each of the 30 hidden units
    (은닉 유닛) has one weight per pixel. Alongside the output it returns the cache that
    ``simple_net_backward`` needs.

    Args:
        x: Inputs ``(*, in_features)``, e.g. a mini-batch ``(N, 784)`` of flattened images.
        w1: ``(in_features, hidden)``.
        b1: ``(hidden,)``.
        w2: ``(hidden, out_features)``.
        b2: ``(out_features,)``.

    Returns:
        ``(output, cache)``: the output ``(*, out_features)`` and a ``SimpleNetCache``.

    Raises:
        TypeError: If an argument is not a floating-point tensor or the dtypes differ.
        ValueError: If the shapes do not follow the layout above.

    Examples:
        >>> x = torch.tensor([[1.0, -1.0]])
        >>> w1 = torch.tensor([[1.0, -1.0, 0.5], [2.0, 1.0, 0.0]])
        >>> b1 = torch.tensor([0.0, 1.0, 0.0])
        >>> w2, b2 = torch.tensor([[1.0], [2.0], [3.0]]), torch.tensor([0.5])
        >>> out, cache = simple_net_forward(x, w1, b1, w2, b2)
        >>> cache.pre_activation, cache.hidden, out
        (tensor([[-1.0000, -1.0000,  0.5000]]), tensor([[0.0000, 0.0000, 0.5000]]), tensor([[2.]]))

    Torch counterpart:
        ``nn.Sequential(nn.Linear(784, 30), nn.ReLU(), nn.Linear(30, 1))`` with
        ``weight = w.T`` for each linear layer.

    Common mistakes:
        - Dropping the ReLU: then \((XW_1 + b_1)W_2 + b_2 = X(W_1W_2) + (b_1W_2 + b_2)\) is one
          linear layer again, and the 30 hidden units add nothing.
        - Using ``nn.Linear``'s (out, in) weights here without transposing them.
    """
    _check_simple_net(x, w1, b1, w2, b2)
    z = x @ w1 + b1
    h = relu(z)
    out = h @ w2 + b2
    cache = SimpleNetCache(x.detach(), w1.detach(), w2.detach(), z.detach(), h.detach())
    return out, cache


def simple_net_backward(cache: SimpleNetCache, grad_output: torch.Tensor) -> SimpleNetGrads:
    r"""The notes' ``simple_net``, backward (역전파) by hand: the chain rule, one layer at a time.

    Given \(G = \partial L / \partial \hat Y\) (flatten any batch dimensions into rows first):

    $$\frac{\partial L}{\partial W_2} = H^\top G, \qquad
      \frac{\partial L}{\partial b_2} = \sum_n G_n, \qquad
      \frac{\partial L}{\partial H} = G W_2^\top,$$

    $$\frac{\partial L}{\partial Z} = \frac{\partial L}{\partial H} \odot [Z > 0], \qquad
      \frac{\partial L}{\partial W_1} = X^\top \frac{\partial L}{\partial Z}, \qquad
      \frac{\partial L}{\partial b_1} = \sum_n \Bigl(\frac{\partial L}{\partial Z}\Bigr)_n,
      \qquad \frac{\partial L}{\partial X} = \frac{\partial L}{\partial Z} W_1^\top .$$

    Each weight gradient is "input of the layer, transposed, times the gradient of its output";
    each bias was added to every row, so its gradient is the sum over rows; the ReLU passes the
    gradient where it was active (\(Z > 0\)) and blocks it elsewhere (at exactly 0 too, as torch
    does). No autograd is involved.

    Args:
        cache: The ``SimpleNetCache`` from ``simple_net_forward``.
        grad_output: \(\partial L / \partial \hat Y\), the shape of the forward output; for
            ``L = out.sum()`` it is all ones.

    Returns:
        A ``SimpleNetGrads`` ``(x, w1, b1, w2, b2)``, each shaped like its tensor.

    Raises:
        TypeError: If ``grad_output`` is not a floating-point tensor of the cache's dtype.
        ValueError: If ``grad_output`` does not have the forward output's shape.

    Examples:
        >>> x = torch.tensor([[1.0, -1.0]])
        >>> w1 = torch.tensor([[1.0, -1.0, 0.5], [2.0, 1.0, 0.0]])
        >>> b1 = torch.tensor([0.0, 1.0, 0.0])
        >>> w2, b2 = torch.tensor([[1.0], [2.0], [3.0]]), torch.tensor([0.5])
        >>> out, cache = simple_net_forward(x, w1, b1, w2, b2)
        >>> grads = simple_net_backward(cache, torch.ones_like(out))
        >>> grads.b1, grads.x
        (tensor([0., 0., 3.]), tensor([[1.5000, 0.0000]]))

    Torch counterpart:
        ``torch.autograd.grad(out, (x, w1, b1, w2, b2), grad_output)`` on the same network.

    Common mistakes:
        - Forgetting to sum the bias gradient over the batch: it must have the bias's shape.
        - Using \([H > 0]\) or \([Z \ge 0]\) for the ReLU mask: equal almost always, but at
          exactly 0 torch's derivative is 0.
        - Transposing on the wrong side: a gradient always has the shape of its tensor, which
          tells you the order (``(d, N) @ (N, h)`` for ``w1``).
    """
    x, w1, w2, z, h = cache
    g = check_floating("grad_output", grad_output)
    _check_same_dtype("grad_output", g, x)
    expected = (*h.shape[:-1], w2.shape[1])
    if g.shape != expected:
        raise ValueError(
            f"grad_output shape {tuple(g.shape)} must match the output shape {expected}"
        )
    # Every leading dimension is a batch dimension: treat them all as rows of a matrix.
    g_rows = g.reshape(-1, w2.shape[1])
    h_rows = h.reshape(-1, w2.shape[0])
    z_rows = z.reshape(-1, w1.shape[1])
    x_rows = x.reshape(-1, w1.shape[0])
    # Second linear layer: out = H W2 + b2.
    grad_w2 = h_rows.T @ g_rows
    grad_b2 = g_rows.sum(0)
    grad_h = g_rows @ w2.T
    # ReLU: the gradient passes where Z > 0 and is 0 elsewhere.
    grad_z = torch.where(z_rows > 0, grad_h, 0.0)
    # First linear layer: Z = X W1 + b1.
    grad_w1 = x_rows.T @ grad_z
    grad_b1 = grad_z.sum(0)
    grad_x = (grad_z @ w1.T).reshape(x.shape)
    return SimpleNetGrads(grad_x, grad_w1, grad_b1, grad_w2, grad_b2)
