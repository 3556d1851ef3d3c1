"""Every drill proven, as rustlings' ``dev check`` proves its exercises (`studykit.drills.verify`).

For each drill: the reference passes as a student's file, the untouched stub is not started,
torch's own function is refused, and every planted mistake fails and is diagnosed as itself.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from studykit.drills.commands import default_drills_dir
from studykit.drills.sandbox import Sandbox
from studykit.drills.spec import Drill, scan_drills
from studykit.drills.stub import render_stub
from studykit.drills.verify import verify_drill
from studykit.topics import topic_ids

DRILLS, ERRORS = scan_drills(default_drills_dir())


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as worker:
        yield worker


def test_every_drill_file_loads() -> None:
    assert ERRORS == []


def test_at_least_thirty_drills_over_every_topic_with_code() -> None:
    assert len(DRILLS) >= 30
    with_code = set(topic_ids()) - {"landscape"}
    assert {d.topic for d in DRILLS} == with_code


@pytest.mark.parametrize("drill", DRILLS, ids=lambda d: d.id)
def test_drill_is_proven(drill: Drill, sandbox: Sandbox) -> None:
    problems, _ = verify_drill(drill, sandbox)
    assert problems == []


@pytest.mark.parametrize("drill", DRILLS, ids=lambda d: d.id)
def test_stub_is_a_python_file_that_teaches(drill: Drill) -> None:
    for lang in ("en", "ko"):
        text = render_stub(drill, f"studykit drill check {drill.id}", lang)
        compile(text, f"{drill.id}.py", "exec")
        assert drill.term["ko"] in text and drill.term["en"] in text
        assert "raise NotImplementedError" in text
        assert f"studykit drill check {drill.id}" in text
        if drill.formula:
            assert drill.formula in text
