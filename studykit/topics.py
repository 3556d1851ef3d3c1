"""The topic map of the source notes: every row must be taught, implemented and quizzed.

Plain data, no torch: the command line and the question loader use it to validate ``topic``
fields and to report coverage.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TOPICS", "Topic", "topic_ids"]


@dataclass(frozen=True)
class Topic:
    """One row of the topic map."""

    id: str
    title: str
    korean: str


TOPICS: tuple[Topic, ...] = (
    Topic("tensors", "Tensors: shapes, ops, broadcasting, strides", "텐서"),
    Topic("losses", "Loss functions", "손실 함수"),
    Topic("gradients", "Gradients and back-propagation", "기울기와 역전파"),
    Topic("gradient-descent", "Gradient descent", "경사 하강법"),
    Topic("optimizers", "Optimizers", "옵티마이저"),
    Topic("activations", "Activation functions", "활성화 함수"),
    Topic("models", "Models: perceptron to MLP", "모델"),
    Topic("convolution", "Convolution and pooling", "합성곱과 풀링"),
    Topic("regularization", "Regularization", "규제"),
    Topic("normalization", "Normalization", "정규화"),
    Topic("preprocessing", "Data preprocessing", "데이터 전처리"),
    Topic("data", "Datasets and batching", "데이터셋과 배치"),
    Topic("sequences", "Sequences: RNN and LSTM", "순환 신경망"),
    Topic("landscape", "The landscape of machine learning", "머신러닝 개관"),
)


def topic_ids() -> tuple[str, ...]:
    """The topic ids, in the order of the topic map."""
    return tuple(t.id for t in TOPICS)
