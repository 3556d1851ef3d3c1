r"""The exponential as the activations and losses compute it: \(e^x = 2^{x \log_2 e}\).

Sigmoid, softmax, log-softmax and cross-entropy spend most of their time in \(e^x\). On the CPU,
torch's vectorized ``exp2`` is two to three times faster than its ``exp`` (measured on AVX2 and
AVX-512 builds), so on the CPU these functions scale by \(\log_2 e\) and raise 2 to the result:
the same number, mathematically. torch's own fused kernels (``torch.sigmoid``, ``softmax``) use
a faster, slightly less accurate exponential inside for the same reason.

Accuracy: rounding \(x \log_2 e\) to the nearest float adds a relative error of about
\(\lvert x\rvert \cdot 2^{-24}\) (float32) to the result: \(6 \cdot 10^{-7}\) at \(x = -10\),
where \(e^{x} \approx 4.5 \cdot 10^{-5}\). Softmax and log-softmax only exponentiate
\(x - \max x \le 0\), so the large entries, which carry the result, are the accurate ones.
Half-precision types and other devices use ``exp`` itself.
"""

from __future__ import annotations

import math

import torch

__all__ = ["exp_", "log_softmax_values", "log_sum_exp"]

_LOG2_E = math.log2(math.e)
_VIA_EXP2 = (torch.float32, torch.float64)
# exp2 beats exp on the vectorised CPU kernels (AVX2, AVX-512); under ATEN_CPU_CAPABILITY=default
# it is the slower of the two (measured by `python -m benchmarks.run --all-isas`).
_EXP2_IS_FASTER = torch.backends.cpu.get_cpu_capability() != "DEFAULT"


def exp_(x: torch.Tensor) -> torch.Tensor:
    r"""``x`` \(\leftarrow e^{x}\) in place (``x`` must be a fresh tensor of the caller's)."""
    if _EXP2_IS_FASTER and x.dtype in _VIA_EXP2 and x.device.type == "cpu":
        return x.mul_(_LOG2_E).exp2_()
    return x.exp_()


def log_sum_exp(x: torch.Tensor, dim: int) -> tuple[torch.Tensor, torch.Tensor]:
    r"""\(\log \sum_j e^{x_j}\) along ``dim`` as two parts, \(m\) and \(\log \sum_j e^{x_j - m}\).

    With \(m = \max_j x_j\) every exponent is \(\le 0\), so nothing overflows and the largest
    term is exactly 1. Both parts keep ``dim`` as a size-1 dimension. They are returned apart so
    that a caller computes \((x - m) - \log\sum\) rather than \(x - (m + \log\sum)\): for
    logits near \(10^4\), \(m + \log\sum\) rounds to the spacing of floats there.

    The max is detached: it cancels in the result, so a gradient through it would only add
    terms that sum to zero. The one full-size temporary (the exponentials) is freed before this
    returns, so a caller that then builds its output reuses that memory instead of asking the
    system for more (two large tensors alive at once cost page faults on every call).
    """
    peak = x.amax(dim, keepdim=True).detach()
    return peak, exp_(x - peak).sum(dim, keepdim=True).log()


def log_softmax_values(x: torch.Tensor, dim: int) -> torch.Tensor:
    r"""\(\log \operatorname{softmax}(x) = (x - m) - \log \sum_j e^{x_j - m}\) along ``dim``.

    Plain tensor operations, so autograd can differentiate it (cross-entropy relies on that);
    ``activations.log_softmax`` wraps the same values in its hand-written backward.
    """
    peak, log_total = log_sum_exp(x, dim)
    return (x - peak).sub_(log_total)
