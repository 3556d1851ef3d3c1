r"""Models (모델): from one artificial neuron to a two-layer network, and how to tell if it works.

**The perceptron (퍼셉트론, 인공 뉴런)** multiplies each input by a weight (가중치), adds a bias
(편향) and passes the sum through an activation function (활성화 함수) \(h\):

$$\hat y = h(\mathbf{x} \cdot \mathbf{w} + b) .$$

Stack a mini-batch of \(N\) inputs as the rows of \(X \in \mathbb{R}^{N \times d}\) and the whole
batch is one matrix product, ``X @ w + b``: the notes call ``batch @ weights + bias`` the most
basic equation of every neural network. The choice of \(h\) (and of the loss) names the model:

| model | predicts | \(h\) | loss |
|---|---|---|---|
| linear regression (선형 회귀) | a number | identity | MSE |
| logistic regression (로지스틱 회귀) | the probability of class 1 | sigmoid | BCE |
| multinomial logistic regression (다항 로지스틱 회귀) | \(C\) class probabilities | softmax | CE |

(for \(C\) classes the weight becomes a matrix \(W \in \mathbb{R}^{d \times C}\), one score per
class, and softmax turns the \(C\) scores \(XW + b\) into probabilities).

The modules follow the notes' MNIST 3-vs-7 story:

- ``similarity``: the baseline with no learning, ``mean_image``, ``pixel_distance``,
  ``predict_by_similarity``;
- ``perceptron``: the linear layer and its parameters, ``linear``, ``init_params``;
- ``metrics``: how right it is, ``accuracy``;
- ``simple_net``: two layers with a ReLU between them, ``simple_net_forward``,
  ``simple_net_backward``, ``SimpleNetCache``, ``SimpleNetGrads``.

**The validation set (검증 데이터셋).** Every accuracy in these notes is measured on images the
model never trained on. Accuracy on the training images rewards memorizing them (과적합,
overfitting); the validation set tells us whether the model generalizes while we still tune it,
and a separate test set (테스트 데이터셋) gives the final, untouched verdict.

Common mistakes:
    - Measuring accuracy on the training set: it rises even while the model overfits.
"""

from studykit.models.metrics import accuracy
from studykit.models.perceptron import init_params, linear
from studykit.models.similarity import mean_image, pixel_distance, predict_by_similarity
from studykit.models.simple_net import (
    SimpleNetCache,
    SimpleNetGrads,
    simple_net_backward,
    simple_net_forward,
)

__all__ = [
    "SimpleNetCache",
    "SimpleNetGrads",
    "accuracy",
    "init_params",
    "linear",
    "mean_image",
    "pixel_distance",
    "predict_by_similarity",
    "simple_net_backward",
    "simple_net_forward",
]
