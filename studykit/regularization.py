r"""Regularization (규제): fighting overfitting so that a model generalizes (일반화).

A model is trained on one set of examples and judged on examples it has never seen. Two things
can go wrong:

- **Overfitting** (과대적합, the notes' 과적합): training loss keeps falling while validation loss
  rises. The model has memorized the training set, noise and all, instead of the pattern. It
  happens when the model is complex (many parameters, 매개변수) and the data are few.
- **Underfitting** (과소적합): both losses stay high. The model is too simple (or trained too
  briefly) to capture even the training data.

The remedies for overfitting in the notes, roughly from "change the data" to "change training":

1. **More data** (데이터의 양을 늘리기). With more examples, memorizing becomes harder than
   learning the general pattern. When collecting is impossible, **data augmentation**
   (데이터 증강) makes new examples from old ones: flips, crops and noise for images,
   back-translation (역번역) for text.
2. **A smaller model** (모델의 복잡도 줄이기): fewer layers or units lowers the model's capacity
   (수용력, the number of parameters it can tune).
3. **Weight regularization** (가중치 규제): add a penalty on the size of the weights to the loss,
   \(\mathcal{L}' = \mathcal{L} + \lambda\,\Omega(w)\), so that large weights must pay for
   themselves. The penalty is built from a **norm** (노름, the size of a vector):

   - L1 규제: the L1 norm \(\lVert w\rVert_1 = \sum_i \lvert w_i\rvert\), penalty
     \(\lambda\sum_i \lvert w_i\rvert\). It drives some weights to exactly 0, so it also
     selects features: a feature whose weight became 0 did not matter to the result.
   - L2 규제: the L2 norm \(\lVert w\rVert_2 = \sqrt{\sum_i w_i^2}\), penalty
     \(\lambda\sum_i w_i^2\) (the square, no root). It shrinks every weight towards 0 but
     rarely to exactly 0.

   In PyTorch the L2 penalty is usually applied through the optimizer's ``weight_decay``
   (가중치 감쇠); ``l2_penalty`` explains the exact correspondence.
4. **Dropout** (드롭아웃): during training, zero each activation with probability \(p\), so no
   unit can rely on one particular partner; at prediction time use every unit. It acts like
   averaging an ensemble of many thinned networks.
5. **Early stopping** (조기 종료): watch the validation loss and stop (keeping the best weights)
   once it has not improved for a few epochs (`EarlyStopping`, `early_stopping`).
6. **Cross-validation** (교차 검증): split the data into \(k\) folds, train on \(k-1\) and validate
   on the remaining one, \(k\) times. It does not regularize by itself, but it gives an honest
   estimate of generalization for choosing \(\lambda\), \(p\) or the model size
   (``studykit.data.k_fold_splits`` draws the folds).

Common mistakes:
    - Measuring overfitting on the training set: it is the gap between training and
      *validation* loss that shows it.
    - Leaving dropout on at prediction time (``model.eval()`` turns it off) or forgetting that
      the penalty term belongs to the training loss only, not to the reported metric.
    - Penalizing everything: biases and normalization scales usually are not decayed.
    - Tuning \(\lambda\) or \(p\) on the test set, which then stops being an unseen test.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any, Literal, cast

import torch

from studykit._checks import check_dim, check_floating, check_non_negative
from studykit._function import apply

__all__ = ["EarlyStopping", "dropout", "early_stopping", "l1_penalty", "l2_penalty", "lp_norm"]


class _L2Norm(torch.autograd.Function):
    """The L2 norm over ``dims``; its gradient is ``x / norm``, taken as 0 where the norm is 0."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, dims: tuple[int, ...], keepdim: bool) -> torch.Tensor:
        norm = x.square().sum(dims, keepdim=True).sqrt_()
        ctx.save_for_backward(x, norm)
        return norm if keepdim else norm.squeeze(dims)

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> tuple[torch.Tensor, None, None]:
        x, norm = ctx.saved_tensors
        # d||x|| / dx = x / ||x||. At x = 0 the norm has a corner; like torch, use 0 there
        # (the naive sqrt-of-sum chain rule would give 0 * inf = nan).
        ratio = (grad.reshape(norm.shape) / norm).masked_fill_(norm == 0, 0)
        return x * ratio, None, None


def _norm_dims(dim: int | tuple[int, ...] | list[int] | None, ndim: int) -> tuple[int, ...]:
    """The dimensions to reduce, each in ``[0, ndim)``; ``None`` or ``()`` means all of them."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, int):
        return (check_dim("dim", dim, ndim),)
    if not isinstance(dim, tuple | list):
        raise TypeError(f"dim must be None, an int or a tuple of ints, got {type(dim).__name__}")
    dims = tuple(check_dim("dim", d, ndim) for d in dim)
    if len(set(dims)) != len(dims):
        raise ValueError(f"dim must not repeat a dimension, got {dim!r}")
    return dims or tuple(range(ndim))


def lp_norm(
    x: torch.Tensor,
    p: float = 2,
    dim: int | tuple[int, ...] | None = None,
    keepdim: bool = False,
) -> torch.Tensor:
    r"""The L1 or L2 norm (L1/L2 노름) of a tensor: the size of its entries taken as one vector.

    $$\lVert x\rVert_1 = \sum_i \lvert x_i\rvert, \qquad
      \lVert x\rVert_2 = \sqrt{\sum_i x_i^2}$$

    This is the notes' ``norm(A, order)``. With ``dim=None`` every element counts (a matrix is
    flattened, as in the notes); with ``dim`` the norm is taken along those dimensions only.
    The gradients are \(\operatorname{sign}(x)\) for L1 and \(x / \lVert x\rVert_2\) for L2,
    both taken as 0 at \(x = 0\), as torch does.

    Args:
        x: A floating-point tensor.
        p: The order, ``1`` or ``2``.
        dim: ``None`` (all elements), one dimension, or a tuple of dimensions to reduce.
        keepdim: Keep the reduced dimensions with size 1.

    Returns:
        The norm: a 0-d tensor for ``dim=None``, else ``x``'s shape without (or, with
        ``keepdim``, with size 1 at) the reduced dimensions.

    Raises:
        TypeError: If ``x`` is not a floating-point tensor or ``p``/``dim`` has the wrong type.
        ValueError: If ``p`` is not 1 or 2, or ``dim`` is out of range or repeated.

    Examples:
        >>> w = torch.tensor([[3.0, -4.0], [0.0, 0.0]])
        >>> lp_norm(w, 1), lp_norm(w, 2)
        (tensor(7.), tensor(5.))
        >>> lp_norm(w, 2, dim=1)
        tensor([5., 0.])

    Torch counterpart:
        ``torch.linalg.vector_norm(x, ord=p, dim=dim, keepdim=keepdim)`` (which also allows
        other orders and ``dtype``). Not ``torch.linalg.norm`` of a 2-D tensor without ``dim``,
        which is the Frobenius norm (the same as L2 here) but the *induced* norm for ``ord=1``.

    Common mistakes:
        - Mixing up the L2 norm and its square: the L2 *penalty* uses \(\sum w_i^2\) with no
          square root.
        - Expecting float32 to survive huge values: \((10^{20})^2\) overflows to ``inf``
          (torch's ``vector_norm`` gives ``inf`` as well).
    """
    t = check_floating("x", x)
    if isinstance(p, bool) or not isinstance(p, int | float):
        raise TypeError(f"p must be 1 or 2, got {type(p).__name__}")
    if p not in (1, 2):
        raise ValueError(f"p must be 1 or 2, got {p}")
    if not isinstance(keepdim, bool):
        raise TypeError(f"keepdim must be a bool, got {type(keepdim).__name__}")
    dims = _norm_dims(dim, t.ndim)
    if p == 1:
        return t.abs().sum(dims, keepdim=keepdim)
    return cast(torch.Tensor, apply(_L2Norm, t, dims, keepdim))


def _parameter_list(params: torch.Tensor | Iterable[torch.Tensor]) -> list[torch.Tensor]:
    """A list of the floating-point tensors in ``params`` (one tensor counts as a list of one)."""
    if isinstance(params, torch.Tensor):
        return [check_floating("params", params)]
    if not isinstance(params, Iterable):
        raise TypeError(
            f"params must be a tensor or an iterable of tensors, got {type(params).__name__}"
        )
    tensors = [check_floating(f"params[{i}]", w) for i, w in enumerate(params)]
    if not tensors:
        raise ValueError("params must contain at least one tensor, got an empty iterable")
    return tensors


def _penalty(
    params: torch.Tensor | Iterable[torch.Tensor],
    lam: float,
    size: Callable[[torch.Tensor], torch.Tensor],
) -> torch.Tensor:
    """``lam`` times the sum of ``size(w)`` over every tensor ``w`` in ``params``."""
    strength = check_non_negative("lam", lam)
    sizes = [size(w) for w in _parameter_list(params)]
    return sum(sizes[1:], start=sizes[0]) * strength


def l1_penalty(params: torch.Tensor | Iterable[torch.Tensor], lam: float) -> torch.Tensor:
    r"""The L1 penalty (L1 규제, lasso): \(\lambda\) times the sum of absolute weights.

    $$\Omega_1(w) = \lambda \sum_{W \in \text{params}} \sum_i \lvert W_i\rvert
      = \lambda \sum_W \lVert W\rVert_1, \qquad
      \frac{\partial \Omega_1}{\partial W_i} = \lambda \operatorname{sign}(W_i)$$

    Add it to the loss before ``backward()``. Its gradient has the same size \(\lambda\) however
    small a weight is, so it pushes small, useless weights all the way to 0 (a sparse model that
    keeps only the useful features). At exactly 0 the gradient is taken as 0.

    Args:
        params: One tensor or an iterable of tensors, e.g. ``model.parameters()``.
        lam: The strength \(\lambda \ge 0\).

    Returns:
        A 0-d tensor (differentiable with respect to every tensor in ``params``).

    Raises:
        TypeError: If ``params`` holds something other than floating-point tensors, or ``lam``
            is not a number.
        ValueError: If ``params`` is empty or ``lam`` is negative or infinite.

    Examples:
        >>> w = torch.tensor([1.0, -2.0, 0.5])
        >>> b = torch.tensor([-1.0])
        >>> l1_penalty([w, b], lam=0.1)
        tensor(0.4500)

    Torch counterpart:
        None as a function; written by hand as
        ``lam * sum(p.abs().sum() for p in model.parameters())``. No built-in optimizer option
        applies it.

    Common mistakes:
        - Passing ``model.parameters()`` twice in one step: it is a generator and is empty the
          second time (this function raises rather than returning 0).
        - Penalizing biases along with weights; pass only the tensors you mean to shrink.
    """
    return _penalty(params, lam, lambda w: w.abs().sum())


def l2_penalty(params: torch.Tensor | Iterable[torch.Tensor], lam: float) -> torch.Tensor:
    r"""The L2 penalty (L2 규제, ridge): \(\lambda\) times the sum of squared weights.

    $$\Omega_2(w) = \lambda \sum_{W \in \text{params}} \sum_i W_i^2
      = \lambda \sum_W \lVert W\rVert_2^2, \qquad
      \frac{\partial \Omega_2}{\partial W_i} = 2\lambda W_i$$

    Its gradient is proportional to the weight, so large weights shrink fast and small ones
    slowly: weights get small but rarely exactly 0.

    **Relation to** ``weight_decay`` (가중치 감쇠). ``torch.optim.SGD(..., weight_decay=wd)`` adds
    \(wd \cdot W\) to each gradient. Because \(\nabla(\lambda\sum W^2) = 2\lambda W\),

    $$\text{SGD with weight\_decay} = wd \text{ on } \mathcal{L}
      \;\equiv\; \text{SGD on } \mathcal{L} + \lambda \textstyle\sum W^2
      \text{ with } \lambda = wd/2,$$

    step for step, with or without momentum (many texts write the penalty as
    \(\tfrac{\lambda}{2}\sum W^2\) precisely so that \(\lambda = wd\)). The same holds for
    ``Adam(weight_decay=wd)``, whose decay also goes through the gradient. It does **not** hold
    for ``AdamW``: its decoupled decay shrinks the weights directly,
    \(W \leftarrow W - \eta\, wd\, W\), outside Adam's per-parameter scaling, so it is not the
    gradient of any penalty added to the loss.

    Args:
        params: One tensor or an iterable of tensors, e.g. ``model.parameters()``.
        lam: The strength \(\lambda \ge 0\).

    Returns:
        A 0-d tensor (differentiable with respect to every tensor in ``params``).

    Raises:
        TypeError: If ``params`` holds something other than floating-point tensors, or ``lam``
            is not a number.
        ValueError: If ``params`` is empty or ``lam`` is negative or infinite.

    Examples:
        >>> w = torch.tensor([1.0, -2.0, 0.5])
        >>> b = torch.tensor([-1.0])
        >>> l2_penalty([w, b], lam=0.1)
        tensor(0.6250)

    Torch counterpart:
        ``weight_decay=2 * lam`` in ``torch.optim.SGD`` / ``torch.optim.Adam`` (applied to every
        parameter of the group); by hand, ``lam * sum(p.pow(2).sum() for p in params)``.

    Common mistakes:
        - Using ``lam = wd``: that decays twice as hard as ``weight_decay=wd``.
        - Taking the L2 *norm* (with the square root) instead of its square.
        - Expecting ``AdamW(weight_decay=wd)`` to equal this penalty.
    """
    return _penalty(params, lam, lambda w: w.square().sum())


def _check_generator(generator: torch.Generator | None, device: torch.device) -> None:
    """Raise unless ``generator`` is ``None`` or a generator on the same device as the input."""
    if generator is None:
        return
    if not isinstance(generator, torch.Generator):
        raise TypeError(f"generator must be a torch.Generator, got {type(generator).__name__}")
    here, there = generator.device, device
    if here.type != there.type or (here.index or 0) != (there.index or 0):
        raise ValueError(
            f"generator must be on the input's device {there}, got a generator on {here}"
        )


def dropout(
    input: torch.Tensor,
    p: float = 0.5,
    training: bool = True,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    r"""Inverted dropout (드롭아웃): zero each element with probability \(p\), rescale the rest.

    $$m_i \sim \operatorname{Bernoulli}(1 - p), \qquad
      y_i = \frac{m_i\, x_i}{1 - p}, \qquad
      \frac{\partial y_i}{\partial x_i} = \frac{m_i}{1 - p}$$

    Dividing the kept values by \(1 - p\) keeps the expected value unchanged,
    \(\mathbb{E}[y_i] = x_i\), so at prediction time (``training=False``) the layer is simply the
    identity: nothing needs rescaling after training. That is the "inverted" in the name.

    Args:
        input: A floating-point tensor of any shape.
        p: The probability of zeroing an element, in \([0, 1]\).
        training: Apply dropout only when ``True`` (training); ``False`` returns ``input``.
        generator: The random generator for the mask (on ``input``'s device), for a
            reproducible mask; ``None`` uses torch's global generator.

    Returns:
        A tensor of the same shape. It *is* ``input`` when ``training`` is ``False`` or
        ``p == 0`` (as in torch), and all zeros when ``p == 1``.

    Raises:
        TypeError: If ``input`` is not floating point, ``p`` is not a number, ``training`` is not
            a bool or ``generator`` is not a ``torch.Generator``.
        ValueError: If ``p`` is outside \([0, 1]\) or ``generator`` is on another device.

    Examples:
        >>> x = torch.ones(8)
        >>> dropout(x, p=0.5, generator=torch.Generator().manual_seed(0))
        tensor([0., 0., 2., 0., 0., 0., 2., 2.])
        >>> dropout(x, p=0.5, training=False)
        tensor([1., 1., 1., 1., 1., 1., 1., 1.])

    Torch counterpart:
        ``torch.nn.functional.dropout(input, p, training)`` (also ``torch.nn.Dropout``, which
        reads ``training`` from ``model.train()``/``model.eval()``). torch has no ``generator``
        argument (it uses the global generator) and an ``inplace`` flag that this version omits.
        On the CPU, with the same global seed, the masks are the same as torch's.

    Common mistakes:
        - Calling it with the default ``training=True`` at test time: predictions become random.
          ``nn.Dropout`` follows ``model.eval()``; the functional form does not.
        - Reading ``p`` as the probability to *keep* (Keras and torch: ``p`` is the drop rate).
        - Forgetting the \(1/(1-p)\) rescaling, which shrinks activations by \(1-p\) in
          training and makes evaluation inconsistent.
    """
    x = check_floating("input", input)
    if isinstance(p, bool) or not isinstance(p, int | float):
        raise TypeError(f"p must be a number in [0, 1], got {type(p).__name__}")
    if not 0 <= p <= 1:
        raise ValueError(f"p must be in [0, 1] (the probability of dropping), got {p}")
    if not isinstance(training, bool):
        raise TypeError(f"training must be a bool, got {type(training).__name__}")
    _check_generator(generator, x.device)
    if not training or p == 0 or x.numel() == 0:
        return x
    if p == 1:
        return x * torch.zeros((), dtype=x.dtype, device=x.device)
    # The mask: 1 with probability 1 - p, 0 otherwise; then the kept entries become 1 / (1 - p).
    # (Drawn as torch does on the CPU, in the input's memory layout, so that the same seed
    # gives the same mask.)
    mask = torch.empty_like(x)
    mask.bernoulli_(1 - p, generator=generator).div_(1 - p)
    return x * mask


Mode = Literal["min", "max"]


def _metric_value(value: object) -> float:
    """A monitored value as a float: a number, or a tensor holding exactly one number."""
    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            raise ValueError(
                f"value must hold one number, got a tensor of shape {tuple(value.shape)}"
            )
        return float(value.item())
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(
            f"value must be a number or a one-element tensor, got {type(value).__name__}"
        )
    return float(value)


class EarlyStopping:
    r"""Early stopping (조기 종료): stop once the validation metric stops improving.

    Call `step` once per epoch with that epoch's validation loss (or accuracy, with
    ``mode="max"``). A value is an **improvement** (개선) when it beats the best value so far
    by *more than* ``min_delta``:

    $$\text{improved}_t = \begin{cases} v_t < v^\ast - \delta & \texttt{mode="min"} \\
      v_t > v^\ast + \delta & \texttt{mode="max"} \end{cases}$$

    where \(v^\ast\) is the best value so far (\(+\infty\), or \(-\infty\) for ``"max"``,
    before the first epoch). An improvement makes \(v_t\) the new best, remembers its epoch and
    resets the count of epochs without improvement (``wait``) to 0; otherwise ``wait`` grows by
    1. Training should stop at the first epoch where ``wait`` reaches ``patience`` (인내심) (at
    least one epoch without improvement, so ``patience=0`` stops at the first epoch that does
    not improve). Keep the weights of ``best_epoch``: save them whenever ``improved`` is true.
    A NaN value is never an improvement (a diverging run stops after ``patience`` epochs).

    These are the semantics of ``keras.callbacks.EarlyStopping(monitor, min_delta, patience,
    mode)`` and of PyTorch Lightning's ``EarlyStopping`` callback: strict inequality, an
    absolute ``min_delta``, and stop after ``patience`` epochs in a row without improvement.

    Attributes:
        patience: Epochs without improvement to tolerate before stopping.
        min_delta: The smallest change that counts as an improvement, \(\delta \ge 0\).
        mode: ``"min"`` (a loss) or ``"max"`` (an accuracy).
        best: The best value so far (\(\pm\infty\) before the first improvement).
        best_epoch: The 0-based epoch of ``best`` (``-1`` before the first improvement).
        wait: Epochs since the last improvement.
        epoch: How many values `step` has seen.
        improved: Whether the last value was an improvement.
        should_stop: Whether training should stop now.
        stopped_epoch: The 0-based epoch at which ``should_stop`` first became true, or
            ``None``.

    Args:
        patience: An int \(\ge 0\) (Keras' default 0).
        min_delta: A number \(\ge 0\).
        mode: ``"min"`` or ``"max"``.

    Raises:
        TypeError: If ``patience`` is not an int or ``min_delta`` is not a number.
        ValueError: If ``patience`` or ``min_delta`` is negative or ``mode`` is unknown.

    Examples:
        >>> stopper = EarlyStopping(patience=2)
        >>> [stopper.step(v) for v in [0.9, 0.7, 0.72, 0.71, 0.65]]
        [False, False, False, True, False]
        >>> stopper.stopped_epoch, stopper.best_epoch, stopper.best
        (3, 4, 0.65)

    Torch counterpart:
        None in torch (its training loop is your own code); ``keras.callbacks.EarlyStopping``
        and ``lightning.pytorch.callbacks.EarlyStopping`` implement the same rule.
        ``restore_best_weights``, ``baseline`` and ``start_from_epoch`` are not implemented.

    Common mistakes:
        - Monitoring the *training* loss: it keeps falling while the model overfits; early
          stopping watches the validation loss.
        - Keeping the weights of the last epoch instead of ``best_epoch``: by the time it stops,
          the model has had ``patience`` epochs to get worse.
        - Forgetting ``mode="max"`` for an accuracy: every rise then looks like a failure.
        - Reading ``min_delta`` as relative: it is an absolute change in the metric's units.
    """

    def __init__(self, patience: int = 0, min_delta: float = 0.0, mode: Mode = "min") -> None:
        if isinstance(patience, bool) or not isinstance(patience, int):
            raise TypeError(f"patience must be an int, got {type(patience).__name__}")
        if patience < 0:
            raise ValueError(f"patience must be >= 0, got {patience}")
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        self.patience = patience
        self.min_delta = check_non_negative("min_delta", min_delta)
        self.mode: Mode = mode
        self.best = math.inf if mode == "min" else -math.inf
        self.best_epoch = -1
        self.wait = 0
        self.epoch = 0
        self.improved = False
        self.should_stop = False
        self.stopped_epoch: int | None = None

    def is_improvement(self, value: float) -> bool:
        """Whether ``value`` beats ``best`` by more than ``min_delta`` (NaN never does)."""
        # Written as Keras writes it (the delta moves the new value, not the best one), so that
        # the two agree to the last bit of rounding.
        if self.mode == "min":
            return value + self.min_delta < self.best
        return value - self.min_delta > self.best

    def step(self, value: float | torch.Tensor) -> bool:
        """Record one epoch's monitored value; return whether training should stop now.

        Args:
            value: The epoch's validation metric: a number or a one-element tensor.

        Returns:
            Whether training should stop now (``should_stop`` after this epoch).
        """
        current = _metric_value(value)
        self.improved = self.is_improvement(current)
        if self.improved:
            self.best, self.best_epoch, self.wait = current, self.epoch, 0
        else:
            self.wait += 1
        self.should_stop = self.wait >= max(self.patience, 1)
        if self.should_stop and self.stopped_epoch is None:
            self.stopped_epoch = self.epoch
        self.epoch += 1
        return self.should_stop

    def __repr__(self) -> str:
        return (
            f"EarlyStopping(patience={self.patience}, min_delta={self.min_delta}, "
            f"mode={self.mode!r}, best={self.best}, best_epoch={self.best_epoch}, "
            f"wait={self.wait}, should_stop={self.should_stop})"
        )


def early_stopping(
    history: Iterable[float | torch.Tensor],
    patience: int = 0,
    min_delta: float = 0.0,
    mode: Mode = "min",
) -> EarlyStopping:
    r"""Replay a validation curve through `EarlyStopping` and stop where training would stop.

    The values are fed to `EarlyStopping.step` one epoch at a time until it says stop (the
    epochs after that were never trained); the returned stopper tells where
    (``stopped_epoch``, ``None`` if the run never stopped), which epoch's weights to keep
    (``best_epoch``) and their value (``best``). The rule:

    $$t_{\text{stop}} = \min\{\, t : \text{no improvement of more than } \delta
      \text{ in epochs } t - p' + 1, \dots, t \,\}, \qquad p' = \max(p, 1)$$

    Args:
        history: The monitored value of each epoch, in order (numbers or one-element tensors).
        patience: Epochs without improvement to tolerate, an int \(\ge 0\).
        min_delta: The smallest change that counts as an improvement, \(\ge 0\).
        mode: ``"min"`` for a loss, ``"max"`` for an accuracy.

    Returns:
        The `EarlyStopping` object after the last epoch it saw.

    Raises:
        TypeError: If a value is not a number or a one-element tensor, or an argument has the
            wrong type.
        ValueError: If ``patience`` or ``min_delta`` is negative or ``mode`` is unknown.

    Examples:
        >>> losses = [0.50, 0.40, 0.38, 0.39, 0.385, 0.37, 0.36]
        >>> s = early_stopping(losses, patience=2)
        >>> s.stopped_epoch, s.best_epoch, s.best
        (4, 2, 0.38)
        >>> early_stopping(losses, patience=3).stopped_epoch is None  # 0.37 came in time
        True

    Torch counterpart:
        None in torch; ``keras.callbacks.EarlyStopping`` in a Keras ``fit`` loop.

    Common mistakes:
        - Counting ``patience`` from the first epoch rather than from the last improvement.
        - Treating a tiny improvement as progress: with ``min_delta=0.01`` a fall from 0.380
          to 0.375 does not reset the count.
    """
    stopper = EarlyStopping(patience, min_delta, mode)
    if isinstance(history, torch.Tensor):
        history = list(history.reshape(-1))
    for value in history:
        if stopper.step(value):
            break
    return stopper
