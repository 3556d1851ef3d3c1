"""studykit.conv against torch."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

from studykit.conv import conv_output_size


@given(
    st.integers(1, 20), st.integers(1, 5), st.integers(1, 4), st.integers(0, 3), st.integers(1, 3)
)
def test_conv_output_size_matches_a_real_convolution(
    size, kernel, stride, padding, dilation
) -> None:
    span = dilation * (kernel - 1) + 1
    if size + 2 * padding < span:
        with pytest.raises(ValueError, match="kernel spans"):
            conv_output_size(size, kernel, stride, padding, dilation)
        return
    x = torch.zeros(1, 1, size)
    w = torch.zeros(1, 1, kernel)
    expected = F.conv1d(x, w, stride=stride, padding=padding, dilation=dilation).shape[-1]
    assert conv_output_size(size, kernel, stride, padding, dilation) == expected


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"size": 5, "kernel_size": 0}, ValueError, "kernel_size must be >= 1"),
        ({"size": 5, "kernel_size": 3, "stride": 0}, ValueError, "stride must be >= 1"),
        ({"size": 5, "kernel_size": 3, "padding": -1}, ValueError, "padding must be >= 0"),
        ({"size": 5.0, "kernel_size": 3}, TypeError, "size must be an int"),
    ],
)
def test_conv_output_size_errors(kwargs, error, message) -> None:
    with pytest.raises(error, match=message):
        conv_output_size(**kwargs)
