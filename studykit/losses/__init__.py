r"""Loss functions (손실 함수): one number that says how wrong the model is.

Training is minimization. A **loss function** (손실 함수) \(\ell(\hat y, y)\) scores one
prediction \(\hat y\) against its target \(y\); the **cost function** (비용 함수) \(J(\theta)\)
is the loss averaged over the training set (or a mini-batch) as a function of the parameters
\(\theta\), and gradient descent (경사 하강법) follows \(-\nabla_\theta J\). In practice the
words are used interchangeably; the objective function (목적 함수) is the general name for
whatever is being minimized or maximized.

A good loss is

- **small exactly when the model is right**, and never rewards cancelling mistakes (the mean
  error fails this: +5 and -5 average to 0);
- **smooth**, so that a small change in a weight gives a small, *informative* change in the loss.
  Accuracy (정확도) fails this: it is flat almost everywhere, so its gradient is zero. That is why
  we train on a loss and report a metric (평가 지표);
- **matched to the output**: squared or absolute error for numbers (regression, 회귀),
  cross-entropy for probabilities (classification, 분류).

The modules:

- ``regression``: ``mean_error``, ``l1_loss`` (MAE), ``mse_loss``, ``rmse_loss``,
  ``huber_loss``, ``smooth_l1_loss``;
- ``binary``: ``binary_cross_entropy``, ``binary_cross_entropy_with_logits``, ``mnist_loss``;
- ``categorical``: ``nll_loss``, ``cross_entropy``.

Every loss takes ``reduction``: ``'mean'`` (the default) averages the per-element losses,
``'sum'`` adds them and ``'none'`` returns them unreduced, e.g. to weight them yourself.

Common mistakes:
    - Switching ``'mean'`` to ``'sum'`` without lowering the learning rate: the gradient grows
      with the batch size.
    - Passing probabilities where logits are expected (``cross_entropy``,
      ``binary_cross_entropy_with_logits``) or the other way round.
    - Shapes that broadcast by accident, ``(N,)`` against ``(N, 1)``.
"""

from studykit.losses.binary import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    mnist_loss,
)
from studykit.losses.categorical import cross_entropy, nll_loss
from studykit.losses.regression import (
    huber_loss,
    l1_loss,
    mean_error,
    mse_loss,
    rmse_loss,
    smooth_l1_loss,
)

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "huber_loss",
    "l1_loss",
    "mean_error",
    "mnist_loss",
    "mse_loss",
    "nll_loss",
    "rmse_loss",
    "smooth_l1_loss",
]
