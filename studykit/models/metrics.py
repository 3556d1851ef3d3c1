r"""Accuracy (정확도): the fraction of predictions that are right.

$$\mathrm{acc} = \frac{1}{N} \sum_{n=1}^{N} \bigl[\, \hat y_n = y_n \,\bigr]$$

**Accuracy versus loss (정확도와 손실).** Accuracy (``accuracy``) is the metric (평가 지표) people
read; the loss is what the optimizer follows. Accuracy only changes when a prediction crosses the
threshold, so a small change of a weight almost never moves it: its gradient is zero almost
everywhere. Train on a smooth loss (``mnist_loss``, binary cross-entropy) and report accuracy.

    >>> accuracy(torch.tensor([True, False, True]), torch.tensor([True, True, True]))
    tensor(0.6667)

Torch counterpart: none in torch; ``(p.argmax(1) == y).float().mean()`` by hand, or
``torchmetrics.functional.accuracy``.

Common mistakes:
    - Trying to train on accuracy: its gradient is zero, so the weights never move.
"""

from __future__ import annotations

import torch

from studykit._checks import check_tensor

__all__ = ["accuracy"]


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
