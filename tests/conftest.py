"""Fixtures every test shares: the devices present and the dtypes we verify on."""

from __future__ import annotations

import os

import pytest
import torch
from hypothesis import HealthCheck, settings

from tests.helpers import DEVICES, DTYPES

# Timing deadlines make tests flaky on a shared 2-core machine; CI also fixes the random seed so a
# failure there is reproducible with the same command.
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", parent=settings.get_profile("dev"), derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(params=DEVICES)
def device(request: pytest.FixtureRequest) -> torch.device:
    """Every device present: ``cpu`` always, ``cuda`` and ``mps`` when available."""
    return torch.device(request.param)


@pytest.fixture(params=DTYPES, ids=lambda d: str(d).removeprefix("torch."))
def dtype(request: pytest.FixtureRequest, device: torch.device) -> torch.dtype:
    """float32 and float64 (MPS has no float64, so that pair is skipped there)."""
    if device.type == "mps" and request.param == torch.float64:
        pytest.skip("MPS has no float64")
    return request.param


@pytest.fixture
def gen() -> torch.Generator:
    """A CPU generator with a fixed seed, so every test draws the same inputs each run."""
    return torch.Generator().manual_seed(0)
