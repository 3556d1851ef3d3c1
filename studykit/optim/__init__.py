r"""Optimizers (옵티마이저): the update rules that turn gradients into better parameters.

| class | idea | state per parameter |
|---|---|---|
| `SGD` (확률적 경사 하강법) | \(\theta \leftarrow \theta - \eta g\) (+ momentum) | momentum |
| `Adagrad` | divide by \(\sqrt{\sum g^2}\): a learning rate per parameter | sum of \(g^2\) |
| `RMSprop` | divide by \(\sqrt{\text{avg}(g^2)}\) that forgets old gradients | average of \(g^2\) |
| `Adam` | momentum + RMSprop + bias correction (편향 보정) | \(m\), \(v\) |
| `AdamW` | Adam with decoupled weight decay | \(m\), \(v\) |

Every class mirrors its ``torch.optim`` counterpart (same arguments, defaults and results) and
derives from `Optimizer`, which owns parameter groups, ``state``, ``step`` and ``zero_grad``.
The training loop is the same for all of them:

```python
opt = Adam(model.parameters(), lr=1e-3)
for x, y in batches:
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
```

Common mistakes:
    - Leaving out ``opt.zero_grad()``: ``backward()`` adds to ``.grad``, so gradients pile up
      from one batch to the next.
    - A learning rate (학습률) that is too large makes the loss jump around or grow (발산,
      divergence); one that is too small makes it crawl. Try a few values a factor of 10 apart.
    - Reusing one optimizer's learning rate for another: SGD often wants ``0.1``, Adam ``1e-3``.
"""

from studykit.optim.adagrad import Adagrad
from studykit.optim.adam import Adam, AdamW
from studykit.optim.base import Optimizer
from studykit.optim.rmsprop import RMSprop
from studykit.optim.sgd import SGD

__all__ = ["SGD", "Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop"]
