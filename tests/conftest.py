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

# Under pytest-xdist every worker is its own process: one torch thread each keeps the workers
# from fighting over the same cores (tiny ops were 1000x slower when oversubscribed).
if os.environ.get("PYTEST_XDIST_WORKER"):
    torch.set_num_threads(1)


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


@pytest.fixture
def english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """An English locale, whatever the developer's: without ``--lang`` the commands follow it.

    Not autouse: the files that read the commands' English text ask for it
    (``pytest.mark.usefixtures("english_locale")``); hypothesis tests cannot take it.
    """
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The study site, built once per session (per xdist worker) into a temporary folder."""
    from tests.site_build import build_site

    return build_site(tmp_path_factory.mktemp("site"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Expose each phase's report on the test item (the browser fixture screenshots failures)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
