"""Every row of the topic map keeps at least 4 templates over 3 distinct difficulties (#19).

The counts are taken from the YAML files themselves (``yaml.safe_load``), not from the loader or
from ``studykit coverage``, and then compared with what the loader made of them, so a template
that silently fails to load, or sits in the wrong folder, shows here too.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from studykit.questions.commands import default_questions_dir
from studykit.questions.template import load_bank
from studykit.topics import TOPICS, topic_ids

MIN_TEMPLATES = 4
DIFFICULTIES = {1, 2, 3}
ROOT = default_questions_dir()


def _raw_templates(root: Path) -> list[tuple[Path, dict[str, object]]]:
    files = sorted(root.glob("*/*.yaml"))
    return [(path, yaml.safe_load(path.read_text(encoding="utf-8"))) for path in files]


RAW = _raw_templates(ROOT)
BY_TOPIC: dict[str, list[int]] = defaultdict(list)
for _path, _data in RAW:
    BY_TOPIC[str(_data["topic"])].append(int(_data["difficulty"]))  # type: ignore[call-overload]


def test_the_topic_map_has_its_fourteen_rows() -> None:
    ids = topic_ids()
    assert len(ids) == len(set(ids)) == 14
    assert all(t.title and t.korean for t in TOPICS)


@pytest.mark.parametrize("topic", topic_ids())
def test_each_topic_has_four_templates_over_three_difficulties(topic: str) -> None:
    levels = BY_TOPIC.get(topic, [])
    assert len(levels) >= MIN_TEMPLATES, f"{topic}: {len(levels)} templates"
    assert set(levels) == DIFFICULTIES, f"{topic}: difficulties {sorted(set(levels))}"


def test_every_template_sits_in_its_topics_folder() -> None:
    for path, data in RAW:
        assert data["topic"] in topic_ids(), path
        assert path.parent.name == data["topic"], path
        assert str(data["id"]).startswith(f"{data['topic']}/"), path


def test_the_loader_keeps_every_template_it_was_given() -> None:
    bank = load_bank(ROOT)
    assert bank.errors == []
    loaded: dict[str, list[int]] = defaultdict(list)
    for template in bank.templates.values():
        loaded[template.topic].append(template.difficulty)
    assert {t: sorted(v) for t, v in loaded.items()} == {t: sorted(v) for t, v in BY_TOPIC.items()}


def test_a_topic_short_of_a_difficulty_is_caught(tmp_path: Path) -> None:
    """The check itself can fail: a folder with one level missing is reported."""
    (tmp_path / "losses").mkdir()
    for n, level in enumerate([1, 1, 2, 2]):
        text = f"id: losses/q{n}\ntopic: losses\ndifficulty: {level}\n"
        (tmp_path / "losses" / f"q{n}.yaml").write_text(text, encoding="utf-8")
    levels = [int(data["difficulty"]) for _, data in _raw_templates(tmp_path)]  # type: ignore[call-overload]
    assert len(levels) >= MIN_TEMPLATES and set(levels) != DIFFICULTIES
