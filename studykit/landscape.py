r"""The landscape of machine learning (머신러닝 개관): learning types, algorithms, PyTorch.

The notes open with a map before any formula: what kinds of learning there are, which classic
algorithm belongs where, and how PyTorch is built. This module keeps that map as data (the
notes' tables, row by row) with small lookups, so a quiz can ask "which learning type is
k-means?" and compute the answer instead of typing it.

**Three ways to learn (머신 러닝 학습 방법).** They differ in the signal the model learns from:

| type | 한국어 | learns from | goal |
|---|---|---|---|
| supervised | 지도 학습 | labelled pairs \((x_i, y_i)\) (정답) | \(f(x) \approx y\) for new \(x\) |
| unsupervised | 비지도 학습 | inputs \(x_i\) only | groups (군집), fewer dimensions |
| reinforcement | 강화 학습 | rewards \(r_t\) (보상) | actions with a large \(\sum_t r_t\) |

**The machine-learning algorithms table (머신 러닝 알고리즘).** 구분 (learning type), 유형 (task)
and 알고리즘 (algorithm), as the notes print it:

| learning type | task | algorithms |
|---|---|---|
| supervised (지도 학습) | classification (분류) | KNN, SVM, decision tree, logistic regression |
| supervised (지도 학습) | regression (회귀) | linear regression |
| unsupervised (비지도 학습) | clustering (군집화) | k-means clustering, DBSCAN |
| unsupervised (비지도 학습) | dimensionality reduction (차원 축소) | PCA |
| reinforcement (강화 학습) | decision making (의사결정) | MDP |

(KNN: k-nearest neighbors, k-최근접 이웃; SVM: support vector machine, 서포트 벡터 머신; DBSCAN:
밀도 기반 군집 분석; PCA: principal component analysis, 주성분 분석; MDP: Markov decision process,
마르코프 결정 과정.)

The table lists each algorithm under one task, the one the notes teach it for; that is what
``task_type`` returns and what the quizzes ask ("where does the notes' table put it?"). Some
also do another task: KNN, SVM and decision trees have regression versions (KNN regression,
support vector regression, regression trees), and a self-organizing map also reduces the
dimensions of its data. The MDP sits in the algorithm column, but it is not itself an
algorithm: it is the framework (states, actions, rewards) a reinforcement-learning problem is
stated in, which algorithms such as Q-learning solve.

**The deep-learning table (딥러닝 학습 알고리즘)** adds transfer learning (전이 학습): reuse a
network pre-trained on one problem for a related one.

| learning type | task | algorithms |
|---|---|---|
| supervised | image classification (이미지 분류) | CNN, AlexNet, ResNet |
| supervised | time-series analysis (시계열 데이터 분석) | RNN, LSTM |
| unsupervised | clustering (군집) | Gaussian mixture model (GMM), self-organizing map (SOM) |
| unsupervised | dimensionality reduction (차원 축소) | autoencoder, PCA |
| transfer | transfer learning (전이 학습) | BERT, MobileNetV2 |
| reinforcement | decision making | MDP |

**PyTorch's architecture (파이토치의 아키텍처)** has three layers. The **API** (파이토치 API) is
what you call from Python; it computes nothing itself and hands the work to the **engine**
(파이토치 엔진, C++), whose kernels run in the lowest **computation** layer (C, CUDA):

| layer | component | what it does |
|---|---|---|
| API | ``torch`` | tensors that compute fast on the CPU and the GPU |
| API | ``torch.autograd`` | automatic differentiation (자동 미분) |
| API | ``torch.nn`` | building and training neural networks (신경망 구축 및 훈련) |
| API | ``torch.multiprocessing`` | sharing tensor memory between processes |
| API | ``torch.utils`` | utilities: ``DataLoader`` (``torch.utils.data``), bottleneck, checkpoint |
| engine | Autograd (C++) | tracks the computation graph, computes gradients for backpropagation |
| engine | ATen (C++) | the backend library that actually runs tensor operations |
| engine | JIT (C++) | a just-in-time compiler that optimizes the computation |
| computation | C/CUDA | the lowest layer, which performs almost all the computation |

Names are looked up case-insensitively by English name, abbreviation or Korean name, so
``learning_type("KNN")``, ``learning_type("k-nearest neighbors")`` and
``learning_type("k-최근접 이웃")`` agree; an unknown name raises a ``ValueError`` listing the
known ones.

Common mistakes:
    - k-nearest neighbors (KNN) and k-means are different animals: KNN classifies with labelled
      neighbours (supervised), k-means groups unlabelled points around \(k\) centres
      (unsupervised).
    - Logistic regression is a classification algorithm despite its name: it outputs the
      probability of a class through a sigmoid.
    - Calling reinforcement learning "unsupervised" because it has no labels: it learns from a
      reward for its actions, which is a third kind of signal.
    - Thinking ``torch.nn`` computes gradients: ``torch.autograd`` (and the C++ autograd engine
      under it) does; ``torch.nn`` provides layers, losses and modules built on top.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ALGORITHMS",
    "COMPONENTS",
    "LEARNING_TYPES",
    "TASKS",
    "Algorithm",
    "Component",
    "LearningType",
    "Task",
    "algorithms",
    "component_layer",
    "component_role",
    "components",
    "example_task",
    "korean",
    "learning_type",
    "learning_types",
    "task_type",
    "tasks",
]

ML, DL = "machine learning", "deep learning"
TABLES: tuple[str, ...] = (ML, DL)
LAYERS: tuple[str, ...] = ("API", "engine", "computation")
LANGUAGES: tuple[str, ...] = ("en", "ko")


@dataclass(frozen=True)
class LearningType:
    """One way a model can learn (학습 방법), told apart by the signal it learns from.

    Attributes:
        name: The identifier used by the lookups: ``"supervised"``, ``"unsupervised"``,
            ``"reinforcement"`` or ``"transfer"``.
        korean: The notes' term (지도 학습, 비지도 학습, 강화 학습, 전이 학습).
        signal: What the model learns from, in English.
        korean_signal: The same in Korean.
        tables: The tables whose 구분 column lists it (transfer learning: deep learning only).
    """

    name: str
    korean: str
    signal: str
    korean_signal: str
    tables: tuple[str, ...]


@dataclass(frozen=True)
class Task:
    """One kind of problem (유형) in the notes' tables, with everyday examples of it.

    Attributes:
        name: The identifier used by the lookups, e.g. ``"classification"``.
        korean: The notes' term, e.g. 분류.
        learning: The learning type that solves it (a ``LearningType.name``).
        tables: The tables that list it.
        examples: Example problems as ``(English, Korean)`` pairs; ``example_task`` finds the
            task of one. A problem belongs to exactly one task.
    """

    name: str
    korean: str
    learning: str
    tables: tuple[str, ...]
    examples: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Algorithm:
    """One row entry of an algorithms table: an algorithm with its learning type and task.

    Attributes:
        name: The English name, e.g. ``"k-nearest neighbors"``.
        korean: The notes' Korean name, e.g. k-최근접 이웃.
        abbreviation: The short name (``"KNN"``), or ``""``.
        learning: Its learning type (구분), a ``LearningType.name``.
        task: Its task (유형), a ``Task.name``.
        table: The table it is listed in (PCA and MDP are listed in both).
    """

    name: str
    korean: str
    abbreviation: str
    learning: str
    task: str
    table: str


@dataclass(frozen=True)
class Component:
    """One part of PyTorch's architecture (파이토치의 아키텍처) and what it does.

    Attributes:
        name: The name the notes use, e.g. ``"torch.nn"`` or ``"ATen"``.
        layer: ``"API"`` (파이토치 API), ``"engine"`` (파이토치 엔진) or ``"computation"``
            (연산 처리: C, CUDA).
        role: What it does, one English phrase.
        korean_role: What it does, one Korean phrase (the notes' wording).
        aliases: Other names it is looked up by (``"ATen C++"``, ``"torch.utils.data"``).
    """

    name: str
    layer: str
    role: str
    korean_role: str
    aliases: tuple[str, ...] = ()


LEARNING_TYPES: tuple[LearningType, ...] = (
    LearningType(
        "supervised",
        "지도 학습",
        "inputs paired with the right answer (a label)",
        "정답(레이블)이 있는 데이터",
        (ML, DL),
    ),
    LearningType(
        "unsupervised",
        "비지도 학습",
        "inputs only, with no labels",
        "정답(레이블)이 없는 데이터",
        (ML, DL),
    ),
    LearningType(
        "transfer",
        "전이 학습",
        "a model pre-trained on a related problem, reused",
        "다른 관련 문제로 사전 학습된 모델",
        (DL,),
    ),
    LearningType(
        "reinforcement",
        "강화 학습",
        "rewards an agent receives for its actions",
        "에이전트가 행동에 대해 받는 보상",
        (ML, DL),
    ),
)

TASKS: tuple[Task, ...] = (
    Task(
        "classification",
        "분류",
        "supervised",
        (ML,),
        (
            (
                "flag new emails as spam, learning from emails labelled spam or not spam",
                "스팸/정상 레이블이 붙은 메일로 학습해 새 메일이 스팸인지 판정하기",
            ),
            (
                "recognize handwritten digits 0-9, learning from labelled MNIST images",
                "레이블이 달린 MNIST 손글씨 이미지로 학습해 숫자 0~9 알아보기",
            ),
        ),
    ),
    Task(
        "regression",
        "회귀",
        "supervised",
        (ML,),
        (
            (
                "predict a house's price from its size, learning from past sale prices",
                "과거 거래 가격으로 학습해 집 면적에서 집값 예측하기",
            ),
            (
                "predict a car's speed at time t, learning from measured speeds",
                "측정한 속도 데이터로 학습해 시각 t의 자동차 속도 예측하기",
            ),
        ),
    ),
    Task(
        "clustering",
        "군집화",
        "unsupervised",
        (ML, DL),
        (
            (
                "group customers with similar purchase histories, with no labels given",
                "레이블 없이 구매 이력이 비슷한 고객끼리 묶기",
            ),
            (
                "sort news articles into groups of similar topics, with no labels given",
                "레이블 없이 비슷한 주제의 뉴스 기사끼리 묶기",
            ),
        ),
    ),
    Task(
        "dimensionality reduction",
        "차원 축소",
        "unsupervised",
        (ML, DL),
        (
            (
                "compress each image's 784 pixel features to 2 numbers to plot the dataset",
                "이미지마다 784개의 픽셀 특성을 2개의 값으로 줄여 데이터셋을 평면에 그리기",
            ),
            (
                "replace 50 correlated sensor readings by 5 summary features, with no labels",
                "레이블 없이 서로 상관된 센서 값 50개를 요약 특성 5개로 줄이기",
            ),
        ),
    ),
    Task(
        "decision making",
        "의사결정",
        "reinforcement",
        (ML, DL),
        (
            (
                "an agent learns to play a game from the score it earns",
                "에이전트가 게임에서 얻는 점수(보상)로 플레이 방법 배우기",
            ),
            (
                "a robot learns to walk, rewarded for every step forward",
                "로봇이 앞으로 나아갈 때마다 보상을 받으며 걷는 법 배우기",
            ),
        ),
    ),
    Task("image classification", "이미지 분류", "supervised", (DL,)),
    Task("time-series analysis", "시계열 데이터 분석", "supervised", (DL,)),
    Task("transfer learning", "전이 학습", "transfer", (DL,)),
)

ALGORITHMS: tuple[Algorithm, ...] = (
    # 머신 러닝 알고리즘 (the notes' first table)
    Algorithm("k-nearest neighbors", "k-최근접 이웃", "KNN", "supervised", "classification", ML),
    Algorithm(
        "support vector machine", "서포트 벡터 머신", "SVM", "supervised", "classification", ML
    ),
    Algorithm("decision tree", "결정 트리", "", "supervised", "classification", ML),
    Algorithm("logistic regression", "로지스틱 회귀", "", "supervised", "classification", ML),
    Algorithm("linear regression", "선형 회귀", "", "supervised", "regression", ML),
    Algorithm("k-means clustering", "k-평균 군집화", "k-means", "unsupervised", "clustering", ML),
    Algorithm("DBSCAN", "밀도 기반 군집 분석", "", "unsupervised", "clustering", ML),
    Algorithm(
        "principal component analysis",
        "주성분 분석",
        "PCA",
        "unsupervised",
        "dimensionality reduction",
        ML,
    ),
    Algorithm(
        "Markov decision process",
        "마르코프 결정 과정",
        "MDP",
        "reinforcement",
        "decision making",
        ML,
    ),
    # 딥러닝 학습 알고리즘 (the notes' second table)
    Algorithm(
        "convolutional neural network",
        "합성곱 신경망",
        "CNN",
        "supervised",
        "image classification",
        DL,
    ),
    Algorithm("AlexNet", "알렉스넷", "", "supervised", "image classification", DL),
    Algorithm("ResNet", "레즈넷", "", "supervised", "image classification", DL),
    Algorithm(
        "recurrent neural network", "순환 신경망", "RNN", "supervised", "time-series analysis", DL
    ),
    Algorithm(
        "long short-term memory", "장단기 메모리", "LSTM", "supervised", "time-series analysis", DL
    ),
    Algorithm(
        "Gaussian mixture model", "가우시안 혼합 모델", "GMM", "unsupervised", "clustering", DL
    ),
    Algorithm("self-organizing map", "자기 조직화 지도", "SOM", "unsupervised", "clustering", DL),
    Algorithm("autoencoder", "오토인코더", "", "unsupervised", "dimensionality reduction", DL),
    Algorithm(
        "principal component analysis",
        "주성분 분석",
        "PCA",
        "unsupervised",
        "dimensionality reduction",
        DL,
    ),
    Algorithm("BERT", "버트", "", "transfer", "transfer learning", DL),
    Algorithm("MobileNetV2", "모바일넷V2", "", "transfer", "transfer learning", DL),
    Algorithm(
        "Markov decision process",
        "마르코프 결정 과정",
        "MDP",
        "reinforcement",
        "decision making",
        DL,
    ),
)

COMPONENTS: tuple[Component, ...] = (
    Component(
        "torch",
        "API",
        "tensors that compute fast on the CPU and the GPU",
        "GPU를 지원하는 텐서 패키지",
    ),
    Component(
        "torch.autograd",
        "API",
        "automatic differentiation",
        "자동 미분",
    ),
    Component(
        "torch.nn",
        "API",
        "building and training neural networks",
        "신경망 구축 및 훈련",
    ),
    Component(
        "torch.multiprocessing",
        "API",
        "sharing tensor memory between processes",
        "프로세스 간 텐서 메모리 공유",
    ),
    Component(
        "torch.utils",
        "API",
        "utilities such as DataLoader, bottleneck and checkpoint",
        "DataLoader, bottleneck, checkpoint 같은 유틸리티 모음",
        ("torch.utils.data",),
    ),
    Component(
        "Autograd",
        "engine",
        "tracking the computation graph and computing gradients for backpropagation",
        "연산 그래프를 추적하고 역전파에 필요한 기울기 계산",
        ("Autograd C++", "autograd engine"),
    ),
    Component(
        "ATen",
        "engine",
        "the backend library that actually runs tensor operations",
        "텐서 연산을 실제로 수행하는 백엔드 라이브러리",
        ("ATen C++",),
    ),
    Component(
        "JIT",
        "engine",
        "a just-in-time compiler that optimizes the computation",
        "계산을 최적화하는 JIT(Just-In-Time) 컴파일러",
        ("JIT C++", "just-in-time compiler"),
    ),
    Component(
        "C/CUDA",
        "computation",
        "the lowest layer, which performs almost all the computation",
        "상위 API가 맡긴 거의 모든 계산을 수행하는 가장 아래 계층",
        ("C", "CUDA"),
    ),
)


def _key(text: str) -> str:
    """The lookup form of a name: case-folded, with runs of whitespace made one space."""
    return " ".join(text.split()).casefold()


def _check_name(what: str, value: object) -> str:
    """Return ``value`` if it is a non-empty string, else raise ``TypeError``/``ValueError``."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a string, got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{what} must be a non-empty string")
    return value


def _index(entries: list[tuple[tuple[str, ...], str]]) -> dict[str, str]:
    """Map every spelling of every entry to its canonical name; two meanings are a bug."""
    found: dict[str, str] = {}
    for spellings, canonical in entries:
        for spelling in spellings:
            if spelling and found.setdefault(_key(spelling), canonical) != canonical:
                raise AssertionError(f"{spelling!r} names two entries")
    return found


_ALGORITHM_NAMES = _index([((a.name, a.korean, a.abbreviation), a.name) for a in ALGORITHMS])
_COMPONENT_NAMES = _index([((c.name, *c.aliases), c.name) for c in COMPONENTS])
_EXAMPLES = _index([(pair, t.name) for t in TASKS for pair in t.examples])
_KOREAN = _index(
    [((t.name, t.korean), t.korean) for t in LEARNING_TYPES]
    + [((t.name, t.korean), t.korean) for t in TASKS]
    + [((a.name, a.korean, a.abbreviation), a.korean) for a in ALGORITHMS]
)


def _unknown(what: str, value: str, known: tuple[str, ...]) -> ValueError:
    return ValueError(f"unknown {what} {value!r} (known: {', '.join(known)})")


def _algorithm(name: object) -> Algorithm:
    """The first table row of the algorithm ``name`` (any spelling)."""
    text = _check_name("algorithm", name)
    canonical = _ALGORITHM_NAMES.get(_key(text))
    if canonical is None:
        raise _unknown("algorithm", text, algorithms())
    return next(a for a in ALGORITHMS if a.name == canonical)


def _component(name: object) -> Component:
    text = _check_name("component", name)
    canonical = _COMPONENT_NAMES.get(_key(text))
    if canonical is None:
        raise _unknown("component", text, components())
    return next(c for c in COMPONENTS if c.name == canonical)


def _check_choice(what: str, value: object, known: tuple[str, ...]) -> str:
    """``value`` if it is one of ``known`` (case-insensitively): the known spelling."""
    text = _check_name(what, value)
    for option in known:
        if _key(option) == _key(text):
            return option
    raise _unknown(what, text, known)


def learning_types(table: str = ML) -> tuple[str, ...]:
    r"""The learning types (학습 방법) a table's 구분 column uses, in the notes' order.

    The machine-learning table has three: supervised (지도 학습, learns from pairs
    \((x_i, y_i)\)), unsupervised (비지도 학습, learns from \(x_i\) alone) and reinforcement
    (강화 학습, learns from rewards \(r_t\)). The deep-learning table adds transfer learning
    (전이 학습).

    Args:
        table: ``"machine learning"`` (the default) or ``"deep learning"``.

    Returns:
        The learning-type names.

    Raises:
        TypeError: If ``table`` is not a string.
        ValueError: If ``table`` is not one of the two tables.

    Examples:
        >>> learning_types()
        ('supervised', 'unsupervised', 'reinforcement')
        >>> learning_types("deep learning")
        ('supervised', 'unsupervised', 'transfer', 'reinforcement')

    Torch counterpart:
        None: this is the notes' map, not a computation.

    Common mistakes:
        - Counting transfer learning as a fourth kind of signal: it reuses a pre-trained model,
          which itself was trained in one of the other ways.
    """
    name = _check_choice("table", table, TABLES)
    return tuple(t.name for t in LEARNING_TYPES if name in t.tables)


def tasks(learning: str | None = None, table: str | None = None) -> tuple[str, ...]:
    r"""The tasks (유형) of the tables, optionally only one learning type's or one table's.

    In the machine-learning table supervised learning solves classification (분류: the answer
    \(y\) is a class) and regression (회귀: \(y\) is a number); unsupervised learning solves
    clustering (군집화) and dimensionality reduction (차원 축소); reinforcement learning solves
    decision making (의사결정).

    Args:
        learning: A learning type, e.g. ``"supervised"``, or ``None`` for all.
        table: ``"machine learning"``, ``"deep learning"`` or ``None`` for both.

    Returns:
        The task names, in the notes' order.

    Raises:
        TypeError: If an argument is not a string (or ``None``).
        ValueError: If an argument is not a known learning type or table.

    Examples:
        >>> tasks("supervised", "machine learning")
        ('classification', 'regression')
        >>> tasks("unsupervised")
        ('clustering', 'dimensionality reduction')

    Torch counterpart:
        None: this is the notes' map, not a computation.

    Common mistakes:
        - Reading "regression" in an algorithm's name as its task: logistic regression is a
          classification algorithm.
    """
    kind = None if learning is None else _check_choice("learning type", learning, _all_types())
    where = None if table is None else _check_choice("table", table, TABLES)
    return tuple(
        t.name for t in TASKS if kind in (None, t.learning) and (where is None or where in t.tables)
    )


def _all_types() -> tuple[str, ...]:
    return tuple(t.name for t in LEARNING_TYPES)


def algorithms(
    learning: str | None = None, task: str | None = None, table: str | None = None
) -> tuple[str, ...]:
    r"""The algorithms of the notes' tables, optionally filtered (알고리즘 목록).

    Each algorithm appears once, by its English name, in table order; PCA and MDP, which both
    tables list, appear once.

    Args:
        learning: Keep only this learning type (``"supervised"``, ...), or ``None``.
        task: Keep only this task (``"clustering"``, ...), or ``None``.
        table: ``"machine learning"``, ``"deep learning"`` or ``None`` for both.

    Returns:
        The algorithm names.

    Raises:
        TypeError: If an argument is not a string (or ``None``).
        ValueError: If an argument is not a known learning type, task or table.

    Examples:
        >>> algorithms("unsupervised", table="machine learning")
        ('k-means clustering', 'DBSCAN', 'principal component analysis')
        >>> algorithms(task="time-series analysis")
        ('recurrent neural network', 'long short-term memory')

    Torch counterpart:
        None: this is the notes' map, not a computation.

    Common mistakes:
        - Expecting one algorithm per task: classification alone has four in the notes' table
          (KNN, SVM, decision tree, logistic regression).
    """
    kind = None if learning is None else _check_choice("learning type", learning, _all_types())
    job = None if task is None else _check_choice("task", task, tuple(t.name for t in TASKS))
    where = None if table is None else _check_choice("table", table, TABLES)
    names = (
        a.name
        for a in ALGORITHMS
        if kind in (None, a.learning) and job in (None, a.task) and where in (None, a.table)
    )
    return tuple(dict.fromkeys(names))


def learning_type(algorithm: str) -> str:
    r"""The learning type (구분: 지도/비지도/강화 학습) of an algorithm in the notes' tables.

    Supervised algorithms learn \(f\) with \(f(x_i) \approx y_i\) from labelled pairs;
    unsupervised ones see only the \(x_i\); reinforcement learning maximizes a reward
    \(\sum_t r_t\); transfer learning reuses a pre-trained model.

    Args:
        algorithm: The English name, abbreviation or Korean name, in any case
            (``"k-means clustering"``, ``"KNN"``, ``"주성분 분석"``).

    Returns:
        ``"supervised"``, ``"unsupervised"``, ``"reinforcement"`` or ``"transfer"``.

    Raises:
        TypeError: If ``algorithm`` is not a string.
        ValueError: If the algorithm is not in the notes' tables (the message lists them).

    Examples:
        >>> learning_type("KNN"), learning_type("k-means"), learning_type("마르코프 결정 과정")
        ('supervised', 'unsupervised', 'reinforcement')

    Torch counterpart:
        None: this is the notes' map, not a computation.

    Common mistakes:
        - Mixing up KNN (supervised: it needs the labels of the neighbours) and k-means
          (unsupervised: it invents the groups).
    """
    return _algorithm(algorithm).learning


def task_type(algorithm: str) -> str:
    r"""The task (유형: 분류, 회귀, 군집화, ...) an algorithm solves in the notes' tables.

    Classification predicts a class \(y \in \{1, \dots, K\}\), regression a number
    \(y \in \mathbb{R}\); clustering and dimensionality reduction find structure in unlabelled
    \(x\).

    Args:
        algorithm: The English name, abbreviation or Korean name, in any case.

    Returns:
        The task name, e.g. ``"classification"``.

    Raises:
        TypeError: If ``algorithm`` is not a string.
        ValueError: If the algorithm is not in the notes' tables.

    Examples:
        >>> task_type("logistic regression"), task_type("PCA"), task_type("LSTM")
        ('classification', 'dimensionality reduction', 'time-series analysis')

    Torch counterpart:
        None: this is the notes' map, not a computation.

    Common mistakes:
        - Answering "regression" for logistic regression: its output is a class probability.
    """
    return _algorithm(algorithm).task


def example_task(example: str) -> str:
    r"""The task (유형) of one of the notes-style example problems kept in ``TASKS``.

    Two questions settle it: what is the training signal (labels \(y_i\), nothing, or a reward
    \(r_t\)), and what should come out (a class, a number, groups, fewer features, actions)?

    Args:
        example: An example's English or Korean text, as in ``Task.examples``.

    Returns:
        The task name, e.g. ``"clustering"``.

    Raises:
        TypeError: If ``example`` is not a string.
        ValueError: If the text is not one of the examples.

    Examples:
        >>> example_task("an agent learns to play a game from the score it earns")
        'decision making'
        >>> example_task("레이블 없이 구매 이력이 비슷한 고객끼리 묶기")
        'clustering'

    Torch counterpart:
        None: this is the notes' map, not a computation.

    Common mistakes:
        - Calling every grouping problem classification: grouping without labels is
          clustering.
    """
    text = _check_name("example", example)
    found = _EXAMPLES.get(_key(text))
    if found is None:
        known = tuple(en for t in TASKS for en, _ in t.examples)
        raise _unknown("example", text, known)
    return found


def korean(term: str) -> str:
    r"""The notes' Korean term (한국어 용어) for a learning type, task or algorithm.

    The notes are Korean; this maps the English names used by the lookups back to their words,
    e.g. \(\text{supervised} \mapsto\) 지도 학습. A Korean term maps to itself.

    Args:
        term: A learning type, task or algorithm, by English name, abbreviation or Korean name,
            in any case.

    Returns:
        The Korean term.

    Raises:
        TypeError: If ``term`` is not a string.
        ValueError: If ``term`` is not in the notes' tables.

    Example:
        >>> korean("supervised"), korean("dimensionality reduction"), korean("KNN")
        ('지도 학습', '차원 축소', 'k-최근접 이웃')

    Torch counterpart:
        None: this is the notes' vocabulary.

    Common mistakes:
        - Translating 군집화 (clustering) as classification (분류): classification needs labels.
    """
    text = _check_name("term", term)
    found = _KOREAN.get(_key(text))
    if found is None:
        known = (*_all_types(), *(t.name for t in TASKS), *algorithms())
        raise _unknown("term", text, known)
    return found


def components(layer: str | None = None) -> tuple[str, ...]:
    r"""The parts of PyTorch's architecture (파이토치의 아키텍처), optionally one layer's.

    A call travels down the layers: API \(\to\) engine \(\to\) computation (C, CUDA).

    Args:
        layer: ``"API"``, ``"engine"``, ``"computation"`` or ``None`` for all.

    Returns:
        The component names, top layer first.

    Raises:
        TypeError: If ``layer`` is not a string (or ``None``).
        ValueError: If ``layer`` is not one of the three layers.

    Examples:
        >>> components("engine")
        ('Autograd', 'ATen', 'JIT')

    Torch counterpart:
        The packages ``torch``, ``torch.autograd``, ``torch.nn``, ``torch.multiprocessing``,
        ``torch.utils`` and the C++ libraries under them.

    Common mistakes:
        - Expecting the Python API to compute: it hands the work to the C++ engine.
    """
    where = None if layer is None else _check_choice("layer", layer, LAYERS)
    return tuple(c.name for c in COMPONENTS if where in (None, c.layer))


def component_role(name: str, lang: str = "en") -> str:
    r"""What a part of PyTorch does (역할), in one phrase of the notes.

    For example the engine's Autograd records the computation graph during the forward pass
    and applies the chain rule backwards through it, \(\partial L / \partial w\) for every
    parameter \(w\).

    Args:
        name: The component's name or alias, in any case (``"torch.nn"``, ``"aten"``,
            ``"torch.utils.data"``).
        lang: ``"en"`` (the default) or ``"ko"``.

    Returns:
        The role phrase.

    Raises:
        TypeError: If an argument is not a string.
        ValueError: If the component or the language is unknown.

    Examples:
        >>> component_role("ATen")
        'the backend library that actually runs tensor operations'
        >>> component_role("torch.autograd", "ko")
        '자동 미분'

    Torch counterpart:
        The package or library named.

    Common mistakes:
        - Crediting ``torch.nn`` with gradients: ``torch.autograd`` computes them.
        - Looking for ``DataLoader`` in ``torch.nn``: it lives in ``torch.utils.data``.
    """
    component = _component(name)
    language = _check_choice("lang", lang, LANGUAGES)
    return component.role if language == "en" else component.korean_role


def component_layer(name: str) -> str:
    r"""The layer of PyTorch a component belongs to: ``"API"``, ``"engine"`` or ``"computation"``.

    The API (파이토치 API) only receives calls, the engine (파이토치 엔진) does the work in C++,
    and the computation layer (연산 처리, C/CUDA) runs the kernels: a call goes
    API \(\to\) engine \(\to\) computation.

    Args:
        name: The component's name or alias, in any case.

    Returns:
        The layer name.

    Raises:
        TypeError: If ``name`` is not a string.
        ValueError: If the component is unknown.

    Examples:
        >>> component_layer("torch.autograd"), component_layer("Autograd C++")
        ('API', 'engine')

    Torch counterpart:
        The package or library named.

    Common mistakes:
        - Putting ``torch.autograd`` in the engine: it is the Python package you call; the
          C++ autograd engine under it does the differentiation.
    """
    return _component(name).layer
