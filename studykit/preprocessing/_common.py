"""What every preprocessing step shares: the table check and NaN-skipping column statistics.

Each statistic here skips NaN entries through a boolean mask ``valid`` (``~x.isnan()``), the
rule of pandas and scikit-learn; the public functions in the sibling modules build on them.
"""

from __future__ import annotations

import torch

from studykit._checks import check_floating


def _check_table(name: str, value: object) -> torch.Tensor:
    """Return ``value`` if it is a 2-D float tensor (rows = samples, columns = features)."""
    x = check_floating(name, value)
    if x.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (rows = samples, columns = features), got shape "
            f"{tuple(x.shape)}; use {name}.unsqueeze(1) for a single column"
        )
    return x


def _column_mean(x: torch.Tensor, valid: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Each column's mean over its non-NaN entries, and how many entries that was."""
    count = valid.sum(dim=0).to(x.dtype)
    total = torch.where(valid, x, 0.0).sum(dim=0)
    return total / count, count  # an all-NaN column gives 0 / 0 = NaN


def _column_std(
    x: torch.Tensor, valid: torch.Tensor, correction: float
) -> tuple[torch.Tensor, torch.Tensor]:
    """Each column's mean and standard deviation over its non-NaN entries.

    The divisor is ``max(0, n - correction)`` as in ``torch.std``: with too few entries the
    variance is ``0 / 0 = NaN`` (or ``inf``), never an error.
    """
    mean, count = _column_mean(x, valid)
    squares = torch.where(valid, (x - mean) ** 2, 0.0).sum(dim=0)
    divisor = (count - correction).clamp(min=0)
    return mean, (squares / divisor).sqrt()


def _column_min_max(x: torch.Tensor, valid: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Each column's smallest and largest non-NaN entry (``inf``/``-inf`` if there is none)."""
    inf = float("inf")
    low = torch.where(valid, x, inf).amin(dim=0) if x.shape[0] else x.new_full(x.shape[1:], inf)
    high = torch.where(valid, x, -inf).amax(dim=0) if x.shape[0] else -low
    return low, high


def _column_quantile(
    x: torch.Tensor, valid: torch.Tensor, q: float, interpolation: str
) -> torch.Tensor:
    r"""Each column's ``q``-quantile over its non-NaN entries (``torch.nanquantile`` semantics).

    Sort the column (NaN sorts last), then read position \(p = q\,(n-1)\) of the \(n\) valid
    entries: between the neighbours \(\lfloor p \rfloor\) and \(\lceil p \rceil\) by the chosen
    ``interpolation``.
    """
    if x.shape[0] == 0:
        return x.new_full(x.shape[1:], float("nan"))
    ordered = x.sort(dim=0).values
    count = valid.sum(dim=0).to(x.dtype)
    position = q * (count - 1)  # an all-NaN column gives -q: clamped, reads NaN
    if interpolation == "nearest":
        position = position.round()  # halves go to the even neighbour, as in torch
    below = position.floor().clamp(min=0).long()
    above = position.ceil().clamp(min=0).long()
    low = ordered.gather(0, below.unsqueeze(0)).squeeze(0)
    high = ordered.gather(0, above.unsqueeze(0)).squeeze(0)
    if interpolation in ("lower", "nearest"):
        return low
    if interpolation == "higher":
        return high
    if interpolation == "midpoint":
        return (low + high) / 2
    return low + (high - low) * (position - below)
