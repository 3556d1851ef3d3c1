r"""A convolution (합성곱) on a real handwritten digit: the kernels and the feature maps they make.

`feature_maps` takes one of the real 8×8 digits (`studykit.labs.digits.three_seven`, the first
training image) and convolves it with a few hand-written 3×3 kernels (커널, 필터), edge
detectors (경계 검출기), through studykit's own `studykit.conv.conv2d`, with zero padding 1 so
every feature map (특성 맵) is 8×8 like the input. What to watch for: a kernel that subtracts
the row above from the row below (``top edge``) lights up where ink begins going down the
image, positive on one side of a stroke and negative on the other; ``left edge`` does the same
across the columns; the same nine weights are used at every position (가중치 공유).
``feature_maps(language="ko")`` writes its titles in Korean (입력, 커널: 위쪽 경계, 특성 맵).
"""

from __future__ import annotations

import itertools
from typing import Any

import torch

from studykit.conv import conv2d
from studykit.plots.labels import label
from studykit.plots.style import INK, new_figure, y_label

__all__ = ["EDGE_KERNELS", "digit_image", "feature_maps"]

EDGE_KERNELS: dict[str, tuple[tuple[float, ...], ...]] = {
    "top edge": ((-1.0, -1.0, -1.0), (0.0, 0.0, 0.0), (1.0, 1.0, 1.0)),
    "left edge": ((-1.0, 1.0, 0.0), (-1.0, 1.0, 0.0), (-1.0, 1.0, 0.0)),
    "diagonal": ((0.0, -1.0, -1.0), (1.0, 0.0, -1.0), (1.0, 1.0, 0.0)),
}
"""Hand-written 3×3 edge detectors (the first two are the notes' ``top_edge`` and
``left_edge``), by their English names (`studykit.plots.labels.KOREAN` has the Korean)."""

_INPUT_MAP = "cividis"  # dark to light, readable for every colour vision
_SIGNED_MAP = "PuOr"  # diverging: negative orange, 0 pale, positive purple


def digit_image(seed: int = 0) -> torch.Tensor:
    """The first training image of `three_seven(seed)` as an ``(8, 8)`` tensor in [0, 1]."""
    from studykit.labs.digits import three_seven

    return three_seven(seed=seed).train_x[0].reshape(8, 8)


def _bare(axes: Any) -> None:
    axes.set_xticks([])
    axes.set_yticks([])
    axes.grid(False)
    for spine in axes.spines.values():
        spine.set_color(INK)


def feature_maps(image: torch.Tensor | None = None, language: str = "en") -> Any:
    """The input digit, each kernel with its weights, and each kernel's feature map.

    Args:
        image: An ``(H, W)`` image; by default the first training digit of `digit_image`.
        language: The language of the words (``"en"`` or ``"ko"``).
    """
    picture = digit_image() if image is None else image.detach().to(torch.float32).cpu()
    kernels = torch.tensor(list(EDGE_KERNELS.values()), dtype=torch.float32).unsqueeze(1)
    maps = conv2d(picture[None, None], kernels, padding=1)[0]
    count = len(EDGE_KERNELS)
    figure, axes = new_figure(2, count + 1, width=2.0 * (count + 1), height=4.4, language=language)
    shown = axes[0, 0].imshow(picture.numpy(), cmap=_INPUT_MAP, vmin=0.0, vmax=1.0)
    size = {"height": picture.shape[0], "width": picture.shape[1]}
    axes[0, 0].set_title(label("input {height}×{width}", language, **size))
    figure.colorbar(shown, ax=axes[1, 0], location="top", fraction=0.5, shrink=0.9)
    axes[1, 0].set_axis_off()
    limit = float(maps.abs().max().clamp_min(1e-6))
    for column, (name, kernel) in enumerate(zip(EDGE_KERNELS, kernels[:, 0], strict=True), start=1):
        top, bottom = axes[0, column], axes[1, column]
        top.imshow(kernel.numpy(), cmap=_SIGNED_MAP, vmin=-2.0, vmax=2.0)
        for row, col in itertools.product(range(kernel.shape[0]), range(kernel.shape[1])):
            weight = float(kernel[row, col])
            top.text(col, row, f"{weight:g}", ha="center", va="center", color="#333333")
        top.set_title(label("kernel: {name}", language, name=label(name, language)))
        signed = bottom.imshow(maps[column - 1].numpy(), cmap=_SIGNED_MAP, vmin=-limit, vmax=limit)
        bottom.set_title(label("feature map", language))
    bar = figure.colorbar(signed, ax=axes[1, 1:], location="right", shrink=0.9)
    y_label(bar.ax, label("response", language))
    for row in axes:
        for each in row:
            _bare(each)
    return figure
