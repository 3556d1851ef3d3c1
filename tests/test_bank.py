"""The question bank: every template loads, and every key is proven against torch.

This is ``studykit verify`` run by pytest, one test per template, over 50 seeds each.
"""

from __future__ import annotations

import pytest

from studykit.questions.commands import default_questions_dir
from studykit.questions.template import load_bank
from studykit.questions.verify import verify_templates

BANK = load_bank(default_questions_dir())
SEEDS = range(50)


def test_every_template_loads() -> None:
    assert BANK.errors == []


def test_first_bank_size_and_coverage() -> None:
    templates = list(BANK.templates.values())
    assert len(templates) >= 15
    assert len({t.topic for t in templates}) >= 8
    assert sum(1 for t in templates if t.misconceptions) >= 5


@pytest.mark.parametrize("template_id", sorted(BANK.templates))
def test_template_verifies_over_50_seeds(template_id: str) -> None:
    report = verify_templates([BANK.templates[template_id]], SEEDS)
    assert report.variants == len(SEEDS)
    assert report.failures == []


def test_the_bank_meets_every_coverage_minimum() -> None:
    from studykit.questions.coverage import measure

    coverage = measure(BANK)
    assert coverage.shortfalls == []
    assert coverage.kinds.get("expression", 0) >= 2
    assert coverage.kinds.get("choice (auto)", 0) >= 2
