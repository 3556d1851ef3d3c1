r"""The pixel-similarity baseline (픽셀 유사도 기준선): the notes' MNIST 3s and 7s without learning.

**A baseline first (기준선, baseline).** Before training anything, the notes tell MNIST 3s from 7s
with no learning at all: average every training 3 into one "ideal 3" (``mean_image``), do the same
for the 7s, and call a new image a 3 when it is closer to the ideal 3 (``pixel_distance``,
``predict_by_similarity``):

$$\hat y = \bigl[\, d(I, \bar I_3) < d(I, \bar I_7) \,\bigr], \qquad
  d_{\mathrm{L1}}(A, B) = \frac{1}{HW} \sum_{h,w} \lvert A_{hw} - B_{hw} \rvert$$

With the L1 distance this pixel-similarity classifier (픽셀 유사도)
gets 91.68% of the validation 3s and 98.54% of the 7s right. The notes' 0.9511 is the mean of
those two class accuracies, \((0.9168 + 0.9854)/2\); counted over all 2,038 validation images
(1,010 threes, 1,028 sevens) it gets 1,939 right, an overall accuracy of about 0.9514. The two
numbers nearly agree only because the classes are almost equally large; with unbalanced classes
the mean of the per-class accuracies and the overall accuracy can differ a lot. A
baseline is the simple, easy-to-build yardstick that a real model has to beat: a trained model
that also reaches 95% has bought nothing with its extra complexity. It is only a baseline because
it cannot improve: it has no weights to adjust, so it cannot learn from its mistakes.

    >>> ideal = mean_image(torch.tensor([[[1.0, 0.0]], [[0.0, 0.0]]]))  # two 1×2 images
    >>> ideal
    tensor([[0.5000, 0.0000]])
    >>> pixel_distance(torch.tensor([[1.0, 1.0]]), ideal)  # (0.5 + 1) / 2
    tensor(0.7500)

Torch counterpart: ``images.mean(0)`` and ``(a - b).abs().mean((-1, -2))``, or
``F.l1_loss(a, b)`` for one pair.

Common mistakes:
    - Judging a model without a baseline: 95% sounds good until the mean-image trick scores 95% too.
"""

from __future__ import annotations

import torch

from studykit._checks import check_floating, check_tensor
from studykit.losses.regression import _safe_sqrt
from studykit.models._common import _broadcasts

__all__ = ["mean_image", "pixel_distance", "predict_by_similarity"]

METRICS: tuple[str, ...] = ("l1", "rmse")


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
