r"""Multi-class losses (다중 분류 손실): cross-entropy over \(C\) classes.

A classifier outputs one raw score (logit, 로짓) per class, \(x \in \mathbb{R}^C\). Softmax turns
the scores into probabilities, and its logarithm is computed stably by subtracting the largest
score first (the result does not change, but ``exp`` can no longer overflow):

$$\log \operatorname{softmax}(x)_c = x_c - m - \log \sum_{j} e^{x_j - m},
  \qquad m = \max_j x_j .$$

**Negative log-likelihood (음의 로그 우도, NLL)** picks the log-probability of the true class
\(y\) and negates it: \(\ell = -\log p_y\). **Cross-entropy (교차 엔트로피)** is
``log_softmax`` followed by NLL, and simplifies to "log-sum-exp of all scores minus the true
class's score":

$$\ell = -\log \frac{e^{x_y}}{\sum_j e^{x_j}} = \log\sum_j e^{x_j} - x_y,
  \qquad \frac{\partial \ell}{\partial x_c} = \operatorname{softmax}(x)_c - [c = y].$$

More generally, for a target *distribution* \(q\) over the classes (one-hot, 원-핫, for a hard
label), \(H(q, p) = -\sum_c q_c \log p_c\). **Label smoothing (레이블 스무딩)** mixes the one-hot
target with the uniform distribution, \(q = (1 - \varepsilon)\,\text{onehot}(y) + \varepsilon / C\),
so the model is never pushed to infinite confidence.

Shapes follow torch: ``input`` is ``(N, C)``, or ``(C,)`` for one example, or
``(N, C, d_1, ..., d_K)`` for a prediction per pixel (segmentation); class-index targets drop
the class dimension (``(N,)``, ``()``, ``(N, d_1, ..., d_K)``), probability targets keep
``input``'s shape.

Common mistakes:
    - Applying ``softmax`` before ``cross_entropy``: it expects raw logits and applies
      ``log_softmax`` itself. ``nll_loss`` is the one that expects log-probabilities.
    - One-hot encoding class targets as ints: a target with ``input``'s shape is read as
      probabilities and must be float; otherwise pass class indices of dtype ``int64``.
    - Expecting the weighted ``'mean'`` to divide by the number of examples: it divides by the
      sum of the weights of the (non-ignored) targets.
"""

from __future__ import annotations

import torch

from studykit._checks import (
    check_floating,
    check_non_negative,
    check_reduction,
    check_tensor,
    reduce,
)
from studykit._exp import log_softmax_values, log_sum_exp

__all__ = ["cross_entropy", "nll_loss"]


def _log_softmax_at(input: torch.Tensor, target: torch.Tensor, dim: int) -> torch.Tensor:
    r"""``log_softmax(input, dim)`` read at the target class only, without building all of it.

    \(\log p_y = (x_y - m) - \log \sum_j e^{x_j - m}\): the max, the sum of exponentials and
    one gathered score per example, without writing out every class's log-probability.
    """
    index = target.unsqueeze(dim)
    peak, log_total = log_sum_exp(input, dim)
    return (input.gather(dim, index) - peak - log_total).squeeze(dim)


def _class_dim(input: torch.Tensor) -> int:
    """The class dimension: 0 for one unbatched example ``(C,)``, else 1."""
    return 0 if input.ndim == 1 else 1


def _check_input(input: torch.Tensor) -> int:
    """Check ``input`` and return the number of classes."""
    check_floating("input", input)
    if input.ndim == 0:
        raise ValueError("input must have a class dimension, shape (C,), (N, C) or (N, C, ...)")
    classes = input.shape[_class_dim(input)]
    if classes == 0:
        raise ValueError(f"input shape {tuple(input.shape)} has no classes (C = 0)")
    return classes


def _check_weight(weight: torch.Tensor | None, input: torch.Tensor, classes: int) -> None:
    """Raise unless ``weight`` is ``None`` or a tensor of ``input``'s dtype and shape ``(C,)``."""
    if weight is None:
        return
    check_floating("weight", weight)
    if weight.dtype != input.dtype:
        raise TypeError(f"weight dtype {weight.dtype} must match input dtype {input.dtype}")
    if weight.shape != (classes,):
        raise ValueError(f"weight shape {tuple(weight.shape)} must be ({classes},), one per class")


def _check_ignore_index(ignore_index: int) -> None:
    """Raise ``TypeError`` unless ``ignore_index`` is an int (``bool`` is not accepted)."""
    if isinstance(ignore_index, bool) or not isinstance(ignore_index, int):
        raise TypeError(f"ignore_index must be an int, got {type(ignore_index).__name__}")


def _class_targets(
    input: torch.Tensor, target: torch.Tensor, ignore_index: int
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """Check class-index targets; return them as int64, and the mask of ignored targets.

    Ignored targets are replaced by class 0 (any valid index would do) so that ``gather`` can
    read them; their loss is masked out afterwards. The mask is ``None`` when no target can be
    equal to ``ignore_index``, which saves the masking work in the common case.
    """
    check_tensor("target", target)
    _check_ignore_index(ignore_index)
    if target.dtype not in (torch.int64, torch.uint8):
        raise TypeError(
            f"target must hold class indices of dtype int64 (or uint8), got dtype {target.dtype}"
        )
    expected = input.shape[:1] + input.shape[2:] if input.ndim > 1 else torch.Size()
    if target.shape != expected:
        raise ValueError(
            f"target shape {tuple(target.shape)} must be {tuple(expected)} for input shape "
            f"{tuple(input.shape)} (one class index per example)"
        )
    target = target.long()
    if target.numel() == 0:
        return target, None
    low, high = (int(v) for v in torch.aminmax(target))
    ignored = None
    if low <= ignore_index <= high:
        ignored = target == ignore_index
        target = target.masked_fill(ignored, 0)
        low, high = (int(v) for v in torch.aminmax(target))
    classes = input.shape[_class_dim(input)]
    if low < 0 or high >= classes:
        raise ValueError(
            f"target contains class index {low if low < 0 else high}, outside "
            f"[0, {classes - 1}] (and not ignore_index={ignore_index})"
        )
    return target, ignored


def _weighted_nll(
    log_p_target: torch.Tensor,
    target: torch.Tensor,
    ignored: torch.Tensor | None,
    weight: torch.Tensor | None,
) -> tuple[torch.Tensor, torch.Tensor | None]:
    r"""Per-example loss \(-w_y \log p_y\) (0 where ignored) and its ``'mean'`` denominator.

    The denominator is \(\sum w_y\) over the targets that are not ignored, or their count when
    there is no ``weight``; ``None`` stands for "every target", so ``'mean'`` is a plain mean.
    """
    loss = -log_p_target
    denominator: torch.Tensor | None
    if weight is None:
        denominator = None if ignored is None else (~ignored).sum()
    else:
        target_weight = weight[target]
        if ignored is not None:
            target_weight = target_weight.masked_fill(ignored, 0)
        loss = loss * target_weight
        denominator = target_weight.sum()
    if ignored is not None:
        loss = loss.masked_fill(ignored, 0)
    return loss, denominator


def _reduce_by(
    loss: torch.Tensor, denominator: torch.Tensor | None, reduction: str
) -> torch.Tensor:
    """Like ``reduce``, but ``'mean'`` divides the sum by ``denominator`` (0/0 gives ``nan``)."""
    if reduction == "mean":
        return loss.mean() if denominator is None else loss.sum() / denominator
    if reduction == "sum":
        return loss.sum()
    return loss


def nll_loss(
    input: torch.Tensor,
    target: torch.Tensor,
    weight: torch.Tensor | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> torch.Tensor:
    r"""The negative log-likelihood loss (음의 로그 우도 손실, NLL) for class-index targets.

    With log-probabilities \(\log p\) in ``input``, class weights \(w\) and the set \(S\) of
    examples whose target is not ``ignore_index``:

    $$\ell_n = -w_{y_n} \log p_{n, y_n}, \qquad
      \text{'mean'} = \frac{\sum_{n \in S} \ell_n}{\sum_{n \in S} w_{y_n}} .$$

    Ignored examples contribute 0 to the loss *and* to the denominator. If every example is
    ignored, ``'mean'`` is \(0/0 =\) ``nan``, as in torch.

    Args:
        input: Log-probabilities, shape ``(N, C)``, ``(C,)`` or ``(N, C, d_1, ..., d_K)``.
        target: Class indices in ``[0, C)`` of dtype int64 (or uint8), shape ``(N,)``, ``()``
            or ``(N, d_1, ..., d_K)`` respectively.
        weight: Optional weight per class, a floating-point tensor of shape ``(C,)``.
        ignore_index: A target value that is skipped (no loss, no gradient, not counted).
        reduction: ``'mean'`` (weighted, see above), ``'sum'`` or ``'none'``.

    Returns:
        A scalar for ``'mean'``/``'sum'``, else a tensor shaped like ``target``.

    Raises:
        TypeError: If ``input`` or ``weight`` is not floating point, ``target`` is not int64
            or uint8, or ``ignore_index`` is not an int.
        ValueError: If the shapes do not fit, a target is outside ``[0, C)`` (and not
            ``ignore_index``), or ``reduction`` is unknown.

    Examples:
        >>> log_p = torch.tensor([[0.5, 0.5], [0.9, 0.1]]).log()
        >>> nll_loss(log_p, torch.tensor([0, 1]))
        tensor(1.4979)

    Torch counterpart:
        ``torch.nn.functional.nll_loss`` (also ``torch.nn.NLLLoss``).

    Common mistakes:
        - Passing logits or probabilities: it only negates and picks; apply ``log_softmax``
          first (or use ``cross_entropy``, which does both).
    """
    classes = _check_input(input)
    check_reduction(reduction)
    if weight is None and reduction != "none":  # the common case: negate one number, not N
        picked = _picked_unchecked(input, target, ignore_index, classes)
        if picked is not None:
            return -reduce(picked, reduction)
    target, ignored = _class_targets(input, target, ignore_index)
    _check_weight(weight, input, classes)
    log_p_target = _picked(input, target)
    if weight is None and ignored is None and reduction != "none":
        return -reduce(log_p_target, reduction)
    loss, denominator = _weighted_nll(log_p_target, target, ignored, weight)
    return _reduce_by(loss, denominator, reduction)


def _picked(input: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    r"""\(\log p_{n, y_n}\) for every example: the target's entry along the class dimension."""
    class_dim = _class_dim(input)
    return input.gather(class_dim, target.unsqueeze(class_dim)).squeeze(class_dim)


def _picked_unchecked(
    input: torch.Tensor, target: object, ignore_index: int, classes: int
) -> torch.Tensor | None:
    """`_picked` without reading the targets first, where ``gather`` checks them; else None.

    On the CPU, ``gather`` itself refuses an index outside ``[0, C)``. When ``ignore_index``
    is not a class, an ignored target is outside that range too, so targets that ``gather``
    accepts are all valid and none is ignored: the pass over the targets and the two reads
    back of `_class_targets` can be skipped. A target ``gather`` refuses returns None, and the
    caller takes the checked way, which ignores it or names it. On a GPU an index out of range
    stops the whole process (a device-side assert), so the targets are always checked there.
    """
    _check_ignore_index(ignore_index)
    if input.device.type != "cpu" or 0 <= ignore_index < classes:
        return None
    if not isinstance(target, torch.Tensor) or target.dtype != torch.int64:
        return None
    expected = input.shape[:1] + input.shape[2:] if input.ndim > 1 else torch.Size()
    if target.shape != expected or target.numel() == 0:
        return None
    try:
        return _picked(input, target)
    except (RuntimeError, IndexError):  # a target outside [0, C): checked and named next
        return None


def _check_label_smoothing(label_smoothing: float) -> float:
    """Return ``label_smoothing`` as a float if it is a number in ``[0, 1]``, else raise."""
    smoothing = check_non_negative("label_smoothing", label_smoothing)
    if smoothing > 1:
        raise ValueError(f"label_smoothing must be in [0, 1], got {label_smoothing}")
    return smoothing


def cross_entropy(
    input: torch.Tensor,
    target: torch.Tensor,
    weight: torch.Tensor | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> torch.Tensor:
    r"""Cross-entropy (교차 엔트로피) between logits and class indices or class probabilities.

    With \(\log p = \operatorname{log\_softmax}(x)\) over the class dimension and \(C\) classes:

    **Class-index targets** (``target`` has no class dimension) with smoothing \(\varepsilon\):

    $$\ell_n = (1 - \varepsilon)\big(-w_{y_n} \log p_{n, y_n}\big)
      + \frac{\varepsilon}{C} \Big(-\sum_c w_c \log p_{n, c}\Big),$$

    and ``'mean'`` divides the sum of both parts by \(\sum_{n \in S} w_{y_n}\), the weights of the
    non-ignored targets (their count without ``weight``), exactly like ``nll_loss``.

    **Probability targets** (``target`` has ``input``'s shape), smoothed as
    \(q = (1 - \varepsilon) q + \varepsilon / C\):

    $$\ell_n = -\sum_c w_c\, q_{n, c} \log p_{n, c},$$

    and ``'mean'`` divides by the number of examples \(N \cdot d_1 \cdots d_K\), whatever the
    weights (this differs from the class-index case, as it does in torch).

    Args:
        input: Logits (raw scores), shape ``(N, C)``, ``(C,)`` or ``(N, C, d_1, ..., d_K)``.
        target: Class indices (int64 or uint8, shape ``(N,)``, ``()`` or
            ``(N, d_1, ..., d_K)``), or class probabilities (floating point, ``input``'s shape).
        weight: Optional weight per class, a floating-point tensor of shape ``(C,)``.
        ignore_index: A class-index target value that is skipped; probability targets only
            allow a negative value (the default).
        reduction: ``'mean'``, ``'sum'`` or ``'none'`` (one loss per example).
        label_smoothing: \(\varepsilon \in [0, 1]\); 0 is plain cross-entropy.

    Returns:
        A scalar for ``'mean'``/``'sum'``, else a tensor shaped like ``input`` without its class
        dimension.

    Raises:
        TypeError: If ``input``, ``weight`` or a probability ``target`` is not floating point,
            a class-index ``target`` is not int64/uint8, or an argument is not a number/int.
        ValueError: If the shapes do not fit, a class index is out of range,
            ``label_smoothing`` is outside \([0, 1]\), ``ignore_index >= 0`` with probability
            targets, or ``reduction`` is unknown.

    Examples:
        >>> logits = torch.tensor([[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
        >>> cross_entropy(logits, torch.tensor([0, 2]))
        tensor(0.6691)

    Torch counterpart:
        ``torch.nn.functional.cross_entropy`` (also ``torch.nn.CrossEntropyLoss``).

    Common mistakes:
        - Applying softmax first: the loss already does, and a double softmax squashes the
          scores so the gradient almost vanishes.
        - Passing one-hot targets as int64: a target with ``input``'s shape means
          probabilities, so it must be float (or pass the class indices instead).
        - Putting the classes last for images: the class dimension is 1, ``(N, C, H, W)``.
    """
    classes = _check_input(input)
    check_tensor("target", target)
    check_reduction(reduction)
    smoothing = _check_label_smoothing(label_smoothing)

    if target.shape == input.shape:
        return _cross_entropy_probabilities(
            input, target, weight, ignore_index, reduction, smoothing
        )

    target, ignored = _class_targets(input, target, ignore_index)
    _check_weight(weight, input, classes)
    class_dim = _class_dim(input)
    if smoothing == 0:
        log_p_target = _log_softmax_at(input, target, class_dim)
        loss, denominator = _weighted_nll(log_p_target, target, ignored, weight)
        return _reduce_by(loss, denominator, reduction)

    log_probs = log_softmax_values(input, class_dim)
    log_p_target = log_probs.gather(class_dim, target.unsqueeze(class_dim)).squeeze(class_dim)
    loss, denominator = _weighted_nll(log_p_target, target, ignored, weight)
    # The uniform part of the smoothed target: -sum_c w_c log p_c for every example.
    if weight is None:
        uniform = -log_probs.sum(class_dim)
    else:
        uniform = -(log_probs.movedim(class_dim, -1) @ weight)
    if ignored is not None:
        uniform = uniform.masked_fill(ignored, 0)
    nll = _reduce_by(loss, denominator, reduction)
    smooth = _reduce_by(uniform, denominator, reduction)  # same denominator, as in torch
    return (1 - smoothing) * nll + (smoothing / classes) * smooth


def _cross_entropy_probabilities(
    input: torch.Tensor,
    target: torch.Tensor,
    weight: torch.Tensor | None,
    ignore_index: int,
    reduction: str,
    smoothing: float,
) -> torch.Tensor:
    """``cross_entropy`` for a target of class probabilities (the same shape as ``input``)."""
    if not target.is_floating_point():
        raise TypeError(
            f"target of input's shape {tuple(input.shape)} holds class probabilities and "
            f"must be floating point, got dtype {target.dtype}"
        )
    _check_ignore_index(ignore_index)
    if ignore_index >= 0:
        raise ValueError(
            f"ignore_index must be negative for probability targets, got {ignore_index}"
        )
    class_dim = _class_dim(input)
    classes = input.shape[class_dim]
    _check_weight(weight, input, classes)
    if smoothing > 0:
        target = target * (1 - smoothing) + smoothing / classes
    if weight is not None:
        target = target * weight.view([classes if d == class_dim else 1 for d in range(input.ndim)])
    loss = log_softmax_values(input, class_dim).mul_(target).sum(class_dim).neg_()
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / loss.numel()
