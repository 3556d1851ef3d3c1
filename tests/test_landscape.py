"""studykit.landscape: the notes' tables are consistent, and the lookups behave."""

from __future__ import annotations

import pytest

from studykit import landscape
from studykit.landscape import ALGORITHMS, COMPONENTS, LEARNING_TYPES, TASKS

# The notes' two algorithm tables (seed 004), restated here by their Korean names:
# 알고리즘 -> (구분, 유형).
NOTES_ML_TABLE = {
    "k-최근접 이웃": ("supervised", "classification"),
    "서포트 벡터 머신": ("supervised", "classification"),
    "결정 트리": ("supervised", "classification"),
    "로지스틱 회귀": ("supervised", "classification"),
    "선형 회귀": ("supervised", "regression"),
    "k-평균 군집화": ("unsupervised", "clustering"),
    "밀도 기반 군집 분석": ("unsupervised", "clustering"),
    "주성분 분석": ("unsupervised", "dimensionality reduction"),
    "마르코프 결정 과정": ("reinforcement", "decision making"),
}
NOTES_DL_TABLE = {
    "CNN": ("supervised", "image classification"),
    "AlexNet": ("supervised", "image classification"),
    "ResNet": ("supervised", "image classification"),
    "RNN": ("supervised", "time-series analysis"),
    "LSTM": ("supervised", "time-series analysis"),
    "GMM": ("unsupervised", "clustering"),
    "SOM": ("unsupervised", "clustering"),
    "AutoEncoder": ("unsupervised", "dimensionality reduction"),
    "PCA": ("unsupervised", "dimensionality reduction"),
    "BERT": ("transfer", "transfer learning"),
    "MobileNetV2": ("transfer", "transfer learning"),
    "MDP": ("reinforcement", "decision making"),
}
THE_THREE = {"supervised", "unsupervised", "reinforcement"}


def test_the_machine_learning_types_are_the_notes_three() -> None:
    assert set(landscape.learning_types()) == THE_THREE
    assert set(landscape.learning_types("deep learning")) == THE_THREE | {"transfer"}


@pytest.mark.parametrize(("korean", "row"), NOTES_ML_TABLE.items())
def test_machine_learning_table_matches_the_notes(korean: str, row: tuple[str, str]) -> None:
    assert (landscape.learning_type(korean), landscape.task_type(korean)) == row
    assert row[0] in THE_THREE


@pytest.mark.parametrize(("name", "row"), NOTES_DL_TABLE.items())
def test_deep_learning_table_matches_the_notes(name: str, row: tuple[str, str]) -> None:
    assert (landscape.learning_type(name), landscape.task_type(name)) == row


def test_the_tables_hold_exactly_the_notes_rows() -> None:
    ml = [a for a in ALGORITHMS if a.table == "machine learning"]
    dl = [a for a in ALGORITHMS if a.table == "deep learning"]
    assert len(ml) == len(NOTES_ML_TABLE) and len(dl) == len(NOTES_DL_TABLE)
    assert {a.korean for a in ml} == set(NOTES_ML_TABLE)
    assert all(a.learning in THE_THREE for a in ml), "every ML algorithm has one of the three"


def test_every_algorithm_type_and_task_is_known_and_consistent() -> None:
    types = {t.name: t for t in LEARNING_TYPES}
    task_of = {t.name: t for t in TASKS}
    for a in ALGORITHMS:
        assert a.table in types[a.learning].tables, a
        assert a.task in task_of, a
        assert task_of[a.task].learning == a.learning, f"{a.name}: task and type disagree"
        assert a.table in task_of[a.task].tables, a


def test_algorithms_listed_in_both_tables_agree() -> None:
    rows: dict[str, set[tuple[str, str, str, str]]] = {}
    for a in ALGORITHMS:
        rows.setdefault(a.name, set()).add((a.korean, a.abbreviation, a.learning, a.task))
    assert all(len(r) == 1 for r in rows.values())
    both = {a.name for a in ALGORITHMS if a.table == "machine learning"} & {
        a.name for a in ALGORITHMS if a.table == "deep learning"
    }
    assert both == {"principal component analysis", "Markov decision process"}


def test_every_task_of_a_table_has_an_algorithm() -> None:
    for table in ("machine learning", "deep learning"):
        for task in landscape.tasks(table=table):
            assert landscape.algorithms(task=task, table=table), (table, task)


@pytest.mark.parametrize(
    "spelling",
    ["KNN", "knn", "k-nearest neighbors", "K-Nearest  Neighbors", " k-최근접 이웃 "],
)
def test_algorithm_lookup_is_case_and_space_insensitive(spelling: str) -> None:
    assert landscape.learning_type(spelling) == "supervised"
    assert landscape.task_type(spelling) == "classification"


def test_no_spelling_names_two_algorithms() -> None:
    seen: dict[str, str] = {}
    for a in ALGORITHMS:
        for spelling in (a.name, a.korean, a.abbreviation):
            if spelling:
                key = " ".join(spelling.split()).casefold()
                assert seen.setdefault(key, a.name) == a.name, spelling


@pytest.mark.parametrize(
    "function", [landscape.learning_type, landscape.task_type, landscape.component_role]
)
def test_unknown_names_raise_a_clear_value_error(function) -> None:
    with pytest.raises(ValueError, match=r"unknown .* 'k-medoids' \(known: "):
        function("k-medoids")
    with pytest.raises(ValueError, match="non-empty"):
        function("  ")
    with pytest.raises(TypeError, match="must be a string, got int"):
        function(3)


def test_algorithm_filters() -> None:
    everything = landscape.algorithms()
    assert len(everything) == len(set(everything)) == len({a.name for a in ALGORITHMS})
    by_type = [landscape.algorithms(learning=t) for t in landscape.learning_types("deep learning")]
    assert sorted(n for names in by_type for n in names) == sorted(everything)
    assert landscape.algorithms("supervised", "regression") == ("linear regression",)
    assert landscape.algorithms(learning="SUPERVISED", task="Regression") == ("linear regression",)
    assert landscape.algorithms(table="deep learning")[-1] == "Markov decision process"
    with pytest.raises(ValueError, match="unknown learning type 'semi-supervised'"):
        landscape.algorithms("semi-supervised")
    with pytest.raises(ValueError, match="unknown table"):
        landscape.algorithms(table="statistics")


def test_task_filters() -> None:
    assert landscape.tasks("reinforcement") == ("decision making",)
    assert landscape.tasks("transfer") == ("transfer learning",)
    assert set(landscape.tasks(table="machine learning")) == {
        "classification",
        "regression",
        "clustering",
        "dimensionality reduction",
        "decision making",
    }
    with pytest.raises(ValueError, match="unknown learning type"):
        landscape.tasks("self-taught")


def test_every_example_belongs_to_exactly_its_task() -> None:
    texts = [text for t in TASKS for pair in t.examples for text in pair]
    assert len(texts) == len(set(texts))
    for task in TASKS:
        for en, ko in task.examples:
            assert landscape.example_task(en) == landscape.example_task(ko) == task.name
            assert landscape.example_task(en.upper()) == task.name
    # every machine-learning task has examples (the quiz draws from them)
    for task in landscape.tasks(table="machine learning"):
        assert len(next(t for t in TASKS if t.name == task).examples) >= 2
    with pytest.raises(ValueError, match="unknown example"):
        landscape.example_task("predict the weather")


# The notes' PyTorch architecture: API packages, engine (C++) and the C/CUDA layer.
NOTES_LAYERS = {
    "torch": "API",
    "torch.autograd": "API",
    "torch.nn": "API",
    "torch.multiprocessing": "API",
    "torch.utils": "API",
    "Autograd C++": "engine",
    "Aten C++": "engine",
    "JIT C++": "engine",
    "CUDA": "computation",
}


@pytest.mark.parametrize(("name", "layer"), NOTES_LAYERS.items())
def test_components_are_in_the_notes_layers(name: str, layer: str) -> None:
    assert landscape.component_layer(name) == layer


def test_components_roles_are_complete_and_distinct() -> None:
    assert landscape.components() == tuple(c.name for c in COMPONENTS)
    assert sum(len(landscape.components(layer)) for layer in ("API", "engine", "computation")) == (
        len(COMPONENTS)
    )
    for lang in ("en", "ko"):
        roles = [landscape.component_role(c.name, lang) for c in COMPONENTS]
        assert all(roles) and len(set(roles)) == len(roles)
    assert (
        landscape.component_role("autograd", "ko")
        == "연산 그래프를 추적하고 역전파에 필요한 기울기 계산"
    )
    assert landscape.component_role("torch.autograd", "ko") == "자동 미분"


def test_component_lookup_aliases_and_errors() -> None:
    assert landscape.component_role("torch.utils.data") == landscape.component_role("torch.utils")
    assert "DataLoader" in landscape.component_role("TORCH.UTILS")
    assert landscape.component_layer("aten") == landscape.component_layer("ATen C++") == "engine"
    assert "gradients" in landscape.component_role("Autograd")
    assert "gradients" not in landscape.component_role("torch.nn")
    with pytest.raises(ValueError, match="unknown lang 'fr'"):
        landscape.component_role("torch.nn", "fr")
    with pytest.raises(ValueError, match="unknown layer 'frontend'"):
        landscape.components("frontend")


def test_korean_terms_are_the_notes_words() -> None:
    notes = {
        "supervised": "지도 학습",
        "Unsupervised": "비지도 학습",
        "reinforcement": "강화 학습",
        "transfer": "전이 학습",
        "classification": "분류",
        "regression": "회귀",
        "dimensionality reduction": "차원 축소",
        "SVM": "서포트 벡터 머신",
        "k-means": "k-평균 군집화",
        "LSTM": "장단기 메모리",
    }
    for term, word in notes.items():
        assert landscape.korean(term) == word
        assert landscape.korean(word) == word
    for name, _ in NOTES_DL_TABLE.items():
        assert landscape.korean(name)
    with pytest.raises(ValueError, match="unknown term 'boosting'"):
        landscape.korean("boosting")
