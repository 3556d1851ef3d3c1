"""Real handwritten digits, offline: the threes and sevens of scikit-learn's ``load_digits``.

The notes train on MNIST (28×28 images, about 6,000 threes and 6,000 sevens), which cannot be
downloaded on a train ride or in CI. scikit-learn ships a small set of real scanned digits
with the library itself: 1,797 images of 8×8 pixels with 16 grey levels (from the UCI "Optical
Recognition of Handwritten Digits" data, E. Alpaydin and C. Kaynak, 1998), among them 183
threes and 179 sevens. The labs recompute the notes' experiments on these; the notes' MNIST
figures (0.9511, 0.968, 0.9828) are quoted, not reproduced.

`three_seven` returns them the way the notes hold MNIST: pixel values scaled to [0, 1], each
image flattened to a row of 64, label 1 for a three and 0 for a seven (the notes' ``y = 1`` for
3), split into training and validation sets by a seeded shuffle that keeps the classes'
proportions (stratified).
"""

from __future__ import annotations

from typing import NamedTuple

import torch

__all__ = ["DigitSplit", "three_seven"]

PIXELS = 64  # 8 × 8
SIDE = 8


class DigitSplit(NamedTuple):
    """Training and validation images (``(N, 64)``, float32 in [0, 1]) and labels (``(N, 1)``)."""

    train_x: torch.Tensor
    train_y: torch.Tensor
    valid_x: torch.Tensor
    valid_y: torch.Tensor


def _load() -> tuple[torch.Tensor, torch.Tensor]:
    try:
        from sklearn.datasets import load_digits  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - the labs extra is missing
        raise RuntimeError(
            "the labs need scikit-learn for their digits: pip install 'studykit[labs]'"
        ) from None
    digits = load_digits()
    images = torch.tensor(digits.images, dtype=torch.float32) / 16.0
    return images, torch.tensor(digits.target)


def three_seven(seed: int = 0, valid_fraction: float = 0.2, size: float = 1.0) -> DigitSplit:
    """The threes (label 1) and sevens (label 0), shuffled with ``seed`` and split per class.

    Args:
        seed: The shuffle's seed: the same seed gives the same split.
        valid_fraction: The share of each class kept for validation.
        size: The share of the data to use (tests run the labs on less).
    """
    images, labels = _load()
    generator = torch.Generator().manual_seed(seed)
    parts: dict[str, list[torch.Tensor]] = {"tx": [], "ty": [], "vx": [], "vy": []}
    for digit, label in ((3, 1.0), (7, 0.0)):
        chosen = images[labels == digit].reshape(-1, PIXELS)
        order = torch.randperm(len(chosen), generator=generator)
        chosen = chosen[order][: max(4, round(len(chosen) * size))]
        cut = max(1, round(len(chosen) * valid_fraction))
        parts["vx"].append(chosen[:cut])
        parts["tx"].append(chosen[cut:])
        parts["vy"].append(torch.full((cut, 1), label))
        parts["ty"].append(torch.full((len(chosen) - cut, 1), label))
    return DigitSplit(*(torch.cat(parts[k]) for k in ("tx", "ty", "vx", "vy")))
