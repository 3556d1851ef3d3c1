"""What studykit implements: one entry per concept, with its module and torch counterpart.

This module is plain data and imports no torch, so ``studykit concepts`` answers instantly. A test
checks that every name listed here exists in its module's ``__all__`` and vice versa.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Concept:
    """One concept of the notes and where studykit implements it."""

    topic: str
    title: str
    korean: str
    module: str
    names: tuple[str, ...]
    torch_counterpart: str


CONCEPTS: tuple[Concept, ...] = (
    Concept(
        "tensors",
        "Tensor anatomy: shapes, broadcasting, strides, matmul",
        "텐서, 브로드캐스팅, 스트라이드, 행렬 곱",
        "studykit.tensors",
        (
            "broadcast_shapes",
            "can_broadcast",
            "reshape_shape",
            "contiguous_strides",
            "storage_index",
            "matmul",
            "cat",
            "stack",
        ),
        "torch.broadcast_shapes, Tensor.reshape, Tensor.stride(), Tensor.as_strided, "
        "torch.matmul, torch.cat, torch.stack",
    ),
    Concept(
        "activations",
        "Activation functions",
        "활성화 함수",
        "studykit.activations",
        ("sigmoid", "tanh", "relu", "leaky_relu", "softmax", "log_softmax"),
        "torch.sigmoid, torch.tanh, F.relu, F.leaky_relu, F.softmax, F.log_softmax",
    ),
    Concept(
        "losses",
        "Loss functions",
        "손실 함수",
        "studykit.losses",
        (
            "mean_error",
            "l1_loss",
            "mse_loss",
            "rmse_loss",
            "binary_cross_entropy",
            "binary_cross_entropy_with_logits",
            "nll_loss",
            "cross_entropy",
            "huber_loss",
            "smooth_l1_loss",
            "mnist_loss",
        ),
        "F.l1_loss, F.mse_loss, F.binary_cross_entropy(_with_logits), F.nll_loss, "
        "F.cross_entropy, F.huber_loss, F.smooth_l1_loss",
    ),
    Concept(
        "gradients",
        "Reverse-mode automatic differentiation",
        "자동 미분, 역전파",
        "studykit.autograd",
        ("Value", "numerical_grad"),
        "torch.autograd",
    ),
    Concept(
        "gradients",
        "Symbolic derivatives of the activations",
        "기호 미분",
        "studykit.symbolic",
        ("FORMULAS", "derivative", "formula"),
        "the formulas torch.autograd evaluates",
    ),
    Concept(
        "optimizers",
        "Optimizers: SGD, momentum, Adagrad, RMSprop, Adam, AdamW",
        "옵티마이저 (최적화 알고리즘)",
        "studykit.optim",
        ("Optimizer", "SGD", "Adagrad", "RMSprop", "Adam", "AdamW"),
        "torch.optim",
    ),
    Concept(
        "convolution",
        "Convolution: output sizes, im2col and the naive loop",
        "합성곱",
        "studykit.conv",
        ("conv_output_size", "conv1d", "conv2d", "conv2d_naive"),
        "F.conv1d, F.conv2d",
    ),
    Concept(
        "convolution",
        "Pooling: max and average",
        "최대 풀링, 평균 풀링",
        "studykit.pooling",
        ("max_pool2d", "avg_pool2d"),
        "F.max_pool2d, F.avg_pool2d",
    ),
    Concept(
        "regularization",
        "Norms, L1/L2 penalties, dropout and early stopping",
        "규제, 드롭아웃, 조기 종료",
        "studykit.regularization",
        ("lp_norm", "l1_penalty", "l2_penalty", "dropout", "EarlyStopping", "early_stopping"),
        "torch.linalg.vector_norm, weight_decay, F.dropout, keras.callbacks.EarlyStopping",
    ),
    Concept(
        "normalization",
        "Batch and layer normalization",
        "배치 정규화, 층 정규화",
        "studykit.normalization",
        ("batch_norm", "layer_norm"),
        "F.batch_norm, F.layer_norm, nn.BatchNorm1d/2d",
    ),
    Concept(
        "preprocessing",
        "Missing values, outliers, scaling and feature engineering",
        "데이터 전처리",
        "studykit.preprocessing",
        (
            "standardize",
            "min_max_scale",
            "clip_outliers_std",
            "clip_outliers_iqr",
            "drop_rows_with_gaps",
            "fill_mean",
            "fill_median",
            "fill_mode",
            "interpolate_linear",
            "polynomial_features",
            "interaction_features",
        ),
        "sklearn StandardScaler/MinMaxScaler/PolynomialFeatures, pandas dropna/fillna/interpolate",
    ),
    Concept(
        "models",
        "Perceptron, pixel similarity, accuracy and a hand-written MLP",
        "모델, 정확도",
        "studykit.models",
        (
            "linear",
            "init_params",
            "mean_image",
            "pixel_distance",
            "predict_by_similarity",
            "accuracy",
            "simple_net_forward",
            "simple_net_backward",
            "SimpleNetCache",
            "SimpleNetGrads",
        ),
        "F.linear, autograd",
    ),
    Concept(
        "sequences",
        "RNN and LSTM cells",
        "순환 신경망, LSTM",
        "studykit.rnn",
        ("rnn_cell", "lstm_cell"),
        "nn.RNNCell, nn.LSTMCell",
    ),
    Concept(
        "sequences",
        "Word embeddings and cosine similarity",
        "워드 임베딩, 코사인 유사도",
        "studykit.embeddings",
        ("embedding", "cosine_similarity"),
        "F.embedding, nn.Embedding, F.cosine_similarity",
    ),
    Concept(
        "data",
        "Batching, shuffling, splits, k-fold cross-validation and augmentation",
        "데이터셋과 배치, k-겹 교차 검증, 데이터 증강",
        "studykit.data",
        (
            "num_batches",
            "batches",
            "train_val_test_split",
            "k_fold_splits",
            "hflip",
            "vflip",
            "random_crop",
            "gaussian_noise",
        ),
        "DataLoader, random_split, sklearn KFold, torchvision transforms",
    ),
    Concept(
        "landscape",
        "Learning types, the notes' algorithm tables and PyTorch's architecture",
        "지도/비지도/강화 학습, 머신러닝 알고리즘, 파이토치 아키텍처",
        "studykit.landscape",
        (
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
        ),
        "torch, torch.autograd, torch.nn, torch.utils.data (the packages it describes)",
    ),
)


def find(topic: str | None = None) -> list[Concept]:
    """Return the concepts, optionally only those of one topic."""
    return [c for c in CONCEPTS if topic is None or c.topic == topic]


def topics() -> list[str]:
    """Return the distinct topics, in catalog order."""
    return list(dict.fromkeys(c.topic for c in CONCEPTS))
