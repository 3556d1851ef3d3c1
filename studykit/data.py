r"""Datasets and batches (데이터셋과 배치): feeding data to a training loop, and augmenting it.

A **dataset** (데이터셋) is anything that answers "how many samples?" and "give me sample
\(i\)": in PyTorch a ``Dataset`` with ``__len__`` and ``__getitem__`` (``TensorDataset(x, y)``
pairs row \(i\) of ``x`` with row \(i\) of ``y``; the notes build the same thing as
``list(zip(x, y))``). A **data loader** (데이터 로더, ``DataLoader``) walks over a dataset and
hands the model a **batch** (배치, 미니배치) of ``batch_size`` samples at a time, stacked into
one tensor.

- One **iteration** (반복) = one batch = one forward pass, one backward pass, one optimizer
  step.
- One **epoch** (에포크) = every training sample seen once = \(\lceil N / B \rceil\) iterations
  for \(N\) samples and batch size \(B\) (\(\lfloor N/B \rfloor\) if the last, smaller batch is
  dropped). `num_batches` computes this, which is ``len(DataLoader)``.
- **Shuffle** (셔플) the training set anew every epoch: without it every epoch shows the batches
  in the same order, consecutive samples (all the 3s, then all the 7s) land in the same batch,
  and each gradient step is biased toward one kind of sample. Validation and test data need no
  shuffling: their order does not change an average.

The notes' example, ``DataLoader(range(15), batch_size=5, shuffle=True)``, gives three batches
of five numbers that together hold each of 0..14 exactly once; `batches` does the same with an
explicit ``torch.Generator``, so a run can be repeated.

The data is split (데이터 분할) before training: the **training set** (훈련 데이터셋) fits the
parameters, the **validation set** (검증 데이터셋) measures the model during development (to pick
the learning rate, the epoch to stop at, the model size) and so guards against overfitting
(과적합), and the **test set** (테스트 데이터셋) is touched once at the end for an honest final
score. `train_val_test_split` draws the three index sets as ``random_split`` does. When data
are few, **k-fold cross-validation** (k-겹 교차 검증) uses every sample for validation once:
`k_fold_splits` cuts the indices into \(k\) folds and returns the \(k\) train/validation pairs,
as scikit-learn's ``KFold`` does.

**Data augmentation** (데이터 증강) makes more training data out of the data there is: flipped
(반전), shifted-and-cropped (자르기) or noisy (노이즈) copies of an image are still the same
digit or the same cat. It is a regularization (정규화, 규제) method: the model cannot memorize
exact pixels, so it overfits less. Augment the training set only, and only with changes that
keep the label true (a vertically flipped 6 is a 9).

Common mistakes:
    - Shuffling once before training instead of every epoch.
    - Tuning on the test set: once it has chosen a hyper-parameter it is a second validation set
      and its score is no longer an honest estimate.
    - Augmenting validation or test data, which then no longer measures performance on real
      inputs.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import overload

import torch

from studykit._checks import as_int_tuple, check_floating, check_non_negative, check_tensor

__all__ = [
    "batches",
    "gaussian_noise",
    "hflip",
    "k_fold_splits",
    "num_batches",
    "random_crop",
    "train_val_test_split",
    "vflip",
]


def _check_int(name: str, value: object, minimum: int) -> int:
    """Return ``value`` if it is an int ``>= minimum`` (bools are refused), else raise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def _check_bool(name: str, value: object) -> bool:
    """Return ``value`` if it is a bool, else raise ``TypeError``."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, got {type(value).__name__}")
    return value


def _check_generator(generator: object) -> torch.Generator | None:
    """Return ``generator`` if it is ``None`` or a ``torch.Generator``, else raise."""
    if generator is not None and not isinstance(generator, torch.Generator):
        name = type(generator).__name__
        raise TypeError(f"generator must be a torch.Generator or None, got {name}")
    return generator


def _draw_device(generator: torch.Generator | None, default: torch.device) -> torch.device:
    """Where random numbers are drawn: on the generator's device, so a seed means one thing."""
    return generator.device if generator is not None else default


def _check_image(name: str, value: object) -> torch.Tensor:
    """Return ``value`` if it is a tensor with at least two dimensions ``(..., H, W)``."""
    img = check_tensor(name, value)
    if img.ndim < 2:
        raise ValueError(
            f"{name} must have shape (..., H, W), e.g. (C, H, W) or (N, C, H, W), "
            f"got shape {tuple(img.shape)}"
        )
    return img


def num_batches(n: int, batch_size: int, drop_last: bool = False) -> int:
    r"""The number of batches (배치 수) in one epoch: ``len(DataLoader)``.

    $$\text{batches} = \begin{cases} \lceil N / B \rceil & \text{keep the last, smaller batch}
      \\ \lfloor N / B \rfloor & \texttt{drop\_last=True} \end{cases}$$

    Args:
        n: The number of samples \(N \ge 0\).
        batch_size: The batch size \(B \ge 1\).
        drop_last: Whether an incomplete last batch is dropped.

    Returns:
        The number of iterations per epoch.

    Raises:
        TypeError: If ``n`` or ``batch_size`` is not an int, or ``drop_last`` is not a bool.
        ValueError: If ``n < 0`` or ``batch_size < 1``.

    Examples:
        >>> num_batches(15, 5), num_batches(16, 5), num_batches(16, 5, drop_last=True)
        (3, 4, 3)

    Torch counterpart:
        ``len(torch.utils.data.DataLoader(dataset, batch_size, drop_last=drop_last))``.

    Common mistakes:
        - Writing ``n // batch_size`` and silently losing the last samples of every epoch.
        - Counting epochs when a learning-rate schedule counts iterations (or the reverse).
    """
    size = _check_int("n", n, 0)
    batch = _check_int("batch_size", batch_size, 1)
    if _check_bool("drop_last", drop_last):
        return size // batch
    return (size + batch - 1) // batch  # ceil(size / batch) in integers


def _as_tensors(data: object) -> tuple[torch.Tensor, ...]:
    """The tensors of ``data`` (one tensor or a tuple of them), checked to share a first dim."""
    if isinstance(data, torch.Tensor):
        parts: tuple[object, ...] = (data,)
    elif isinstance(data, tuple) and data:
        parts = data
    else:
        got = "an empty tuple" if data == () else type(data).__name__
        raise TypeError(f"data must be a tensor or a non-empty tuple of tensors, got {got}")
    tensors = tuple(check_tensor(f"data[{i}]", t) for i, t in enumerate(parts))
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise ValueError(f"data[{i}] must have a first (sample) dimension, got a 0-d tensor")
        if t.shape[0] != tensors[0].shape[0]:
            raise ValueError(
                f"data[{i}] has {t.shape[0]} samples but data[0] has {tensors[0].shape[0]}"
            )
    return tensors


@overload
def batches(
    data: torch.Tensor,
    batch_size: int,
    shuffle: bool = ...,
    drop_last: bool = ...,
    generator: torch.Generator | None = ...,
) -> Iterator[torch.Tensor]: ...
@overload
def batches(
    data: tuple[torch.Tensor, ...],
    batch_size: int,
    shuffle: bool = ...,
    drop_last: bool = ...,
    generator: torch.Generator | None = ...,
) -> Iterator[tuple[torch.Tensor, ...]]: ...
def batches(
    data: torch.Tensor | tuple[torch.Tensor, ...],
    batch_size: int,
    shuffle: bool = False,
    drop_last: bool = False,
    generator: torch.Generator | None = None,
) -> Iterator[torch.Tensor] | Iterator[tuple[torch.Tensor, ...]]:
    r"""Mini-batches (미니배치) of a dataset, one epoch's worth, optionally shuffled (셔플).

    ``data`` is one tensor or a tuple of tensors that share their first (sample) dimension,
    like ``TensorDataset(x, y)``. The samples are visited in the order
    \(\pi = \) ``torch.randperm(N, generator=generator)`` when ``shuffle=True`` (else
    \(0, 1, \dots, N-1\)), and batch \(b\) holds the samples
    \(\pi_{bB}, \dots, \pi_{\min((b+1)B, N) - 1}\). Every sample appears exactly once per epoch;
    the last batch is smaller when \(B\) does not divide \(N\), unless ``drop_last`` drops it.

    This is the ``RandomSampler``/``BatchSampler`` logic of ``DataLoader``, with one
    difference in the random stream: each epoch ``DataLoader`` first draws a 64-bit seed for its
    worker processes from the same ``generator``, then the permutation, and at the end of the
    epoch ``RandomSampler`` draws one more (unused) permutation. So the same seed gives a
    different, equally random order here; making those two extra draws around each call
    reproduces ``DataLoader``'s order exactly (the tests check this over several epochs).

    Args:
        data: A tensor, or a non-empty tuple of tensors with the same first dimension \(N\).
        batch_size: The batch size \(B \ge 1\).
        shuffle: Whether to visit the samples in a random order.
        drop_last: Whether to drop an incomplete last batch.
        generator: The random-number generator for the permutation (``None``: torch's global
            CPU generator). The order is drawn on the generator's device.

    Returns:
        An iterator over the batches: tensors of shape ``(B, ...)`` when ``data`` is a tensor,
        tuples of them when ``data`` is a tuple (``DataLoader`` gives lists). Without shuffling
        each batch is a view of ``data``.

    Raises:
        TypeError: If ``data`` is not a tensor or a tuple of tensors, an integer argument is not
            an int, a flag is not a bool or ``generator`` is not a ``torch.Generator``.
        ValueError: If the tensors' first dimensions differ or ``batch_size < 1``.

    Examples:
        >>> [b.tolist() for b in batches(torch.arange(7), 3)]
        [[0, 1, 2], [3, 4, 5], [6]]
        >>> g = torch.Generator().manual_seed(0)
        >>> [b.tolist() for b in batches(torch.arange(15), 5, shuffle=True, generator=g)]
        [[14, 4, 3, 2, 12], [0, 13, 5, 1, 8], [11, 6, 9, 7, 10]]
        >>> x, y = torch.arange(4.0), torch.tensor([0, 1, 0, 1])
        >>> [(xb.tolist(), yb.tolist()) for xb, yb in batches((x, y), 2)]
        [([0.0, 1.0], [0, 1]), ([2.0, 3.0], [0, 1])]

    Torch counterpart:
        ``torch.utils.data.DataLoader(TensorDataset(*data), batch_size, shuffle=shuffle,
        drop_last=drop_last, generator=generator)``.

    Common mistakes:
        - Calling it once and iterating twice: an iterator is used up after one epoch; call
          ``batches`` again for the next epoch (and a new permutation).
        - Shuffling ``x`` and ``y`` separately, which breaks the pairing of samples and labels;
          pass them together as a tuple.
    """
    tensors = _as_tensors(data)
    n = tensors[0].shape[0]
    count = num_batches(n, _check_int("batch_size", batch_size, 1), drop_last)
    gen = _check_generator(generator)
    order = None
    if _check_bool("shuffle", shuffle):
        order = torch.randperm(n, generator=gen, device=_draw_device(gen, torch.device("cpu")))
    single = isinstance(data, torch.Tensor)

    def iterate() -> Iterator[tuple[torch.Tensor, ...]]:
        for b in range(count):
            start, stop = b * batch_size, min((b + 1) * batch_size, n)
            if order is None:
                yield tuple(t[start:stop] for t in tensors)
            else:
                index = order[start:stop]
                yield tuple(t[index.to(t.device)] for t in tensors)

    if single:
        return (parts[0] for parts in iterate())
    return iterate()


def train_val_test_split(
    n: int,
    fractions: Sequence[float] = (0.8, 0.1, 0.1),
    generator: torch.Generator | None = None,
) -> tuple[torch.Tensor, ...]:
    r"""Random train/validation/test split (훈련/검증/테스트 분할) of ``n`` sample indices.

    The sizes follow ``torch.utils.data.random_split``: part \(k\) first gets
    \(\lfloor n f_k \rfloor\) samples, then the \(r = n - \sum_k \lfloor n f_k \rfloor\) left
    over are handed out one at a time to parts \(0, 1, 2, \dots\) in turn. The indices are
    ``torch.randperm(n, generator=generator)`` cut into consecutive pieces of those sizes, so
    with the same generator state the parts equal ``random_split``'s subsets' ``indices``.

    Args:
        n: The number of samples, an int \(\ge 0\).
        fractions: One fraction per part, each in \([0, 1]\), summing to 1 (any number of parts:
            ``(0.8, 0.2)`` gives train and validation only).
        generator: The generator for the permutation (``None``: torch's global CPU generator,
            the default of ``random_split``).

    Returns:
        A tuple with one 1-D ``int64`` index tensor per fraction; together they hold each of
        \(0, \dots, n-1\) exactly once. Index a dataset with them: ``x[train], y[train]``.

    Raises:
        TypeError: If ``n`` is not an int, a fraction is not a number or ``generator`` is not a
            ``torch.Generator``.
        ValueError: If ``n < 0``, ``fractions`` is empty, a fraction lies outside \([0, 1]\)
            or the fractions do not sum to 1.

    Examples:
        >>> g = torch.Generator().manual_seed(0)
        >>> train, val, test = train_val_test_split(10, generator=g)
        >>> train.tolist(), val.tolist(), test.tolist()
        ([4, 1, 7, 5, 3, 9, 0, 8], [6], [2])
        >>> [len(part) for part in train_val_test_split(15)]  # 12, 1, 1 and one left over
        [13, 1, 1]

    Torch counterpart:
        ``torch.utils.data.random_split(range(n), fractions, generator=generator)``.

    Common mistakes:
        - Splitting after shuffling and augmenting: augmented copies of one image end up on both
          sides of the split and the validation score is too good.
        - A new random split in every run of an experiment: fix the generator seed, or the
          validation set changes under you.
    """
    size = _check_int("n", n, 0)
    gen = _check_generator(generator)
    if isinstance(fractions, str | bytes) or not isinstance(fractions, Sequence) or not fractions:
        raise ValueError(f"fractions must be a non-empty sequence of numbers, got {fractions!r}")
    parts = [check_non_negative(f"fractions[{i}]", f) for i, f in enumerate(fractions)]
    if any(f > 1 for f in parts) or not math.isclose(sum(parts), 1):
        raise ValueError(f"fractions must each be in [0, 1] and sum to 1, got {fractions!r}")
    lengths = [math.floor(size * f) for f in parts]
    for i in range(size - sum(lengths)):  # the remainder, round-robin from the first part
        lengths[i % len(lengths)] += 1
    order = torch.randperm(size, generator=gen, device=_draw_device(gen, torch.device("cpu")))
    return tuple(torch.split(order, lengths))


def k_fold_splits(
    n: int,
    k: int,
    shuffle: bool = False,
    generator: torch.Generator | None = None,
) -> list[tuple[torch.Tensor, torch.Tensor]]:
    r"""k-fold cross-validation splits (k-겹 교차 검증): \(k\) train/validation index pairs.

    The \(n\) sample indices are cut into \(k\) consecutive folds (폴드) whose sizes differ by at
    most one: the first \(n \bmod k\) folds hold \(\lfloor n/k \rfloor + 1\) samples, the others
    \(\lfloor n/k \rfloor\). Round \(i\) validates on fold \(i\) and trains on the other
    \(k - 1\):

    $$\text{valid}_i = F_i, \qquad \text{train}_i = \{0, \dots, n-1\} \setminus F_i,
      \qquad i = 0, \dots, k-1$$

    so every sample is validated exactly once and trained on \(k - 1\) times. Averaging the
    \(k\) validation scores gives a steadier estimate of generalization than one split, at
    \(k\) times the cost. With ``shuffle=True`` the folds are cut from
    ``torch.randperm(n, generator=generator)`` instead of \(0, 1, \dots, n-1\). Both index
    tensors are sorted in increasing order, as scikit-learn returns them.

    Args:
        n: The number of samples, an int \(\ge k\).
        k: The number of folds, an int \(\ge 2\).
        shuffle: Whether to shuffle the indices before cutting the folds.
        generator: The generator for the shuffle (``None``: torch's global CPU generator);
            ignored without ``shuffle``. The permutation is drawn on its device.

    Returns:
        A list of \(k\) pairs ``(train_idx, valid_idx)`` of 1-D ``int64`` tensors.

    Raises:
        TypeError: If ``n`` or ``k`` is not an int, ``shuffle`` is not a bool or ``generator``
            is not a ``torch.Generator``.
        ValueError: If ``k < 2`` or ``k > n``.

    Examples:
        >>> for train, valid in k_fold_splits(5, 3):
        ...     print(train.tolist(), valid.tolist())
        [2, 3, 4] [0, 1]
        [0, 1, 4] [2, 3]
        [0, 1, 2, 3] [4]

    Torch counterpart:
        None in torch; scikit-learn ``KFold(n_splits=k, shuffle=shuffle).split(range(n))``
        gives the same folds without shuffling (its shuffle draws from NumPy's generator, so
        the shuffled folds differ but have the same sizes).

    Common mistakes:
        - Cutting ordered data (all 3s, then all 7s) without ``shuffle``: a fold may hold only
          one class.
        - Fitting preprocessing (the mean for ``fill_mean``, the scaler) on all \(n\) samples
          before splitting: compute it on each round's training indices.
        - Reporting the best of the \(k\) scores instead of their mean.
    """
    size = _check_int("n", n, 0)
    folds = _check_int("k", k, 2)
    if folds > size:
        raise ValueError(f"k must be <= n (at least one sample per fold), got k={k} for n={n}")
    gen = _check_generator(generator)
    device = _draw_device(gen, torch.device("cpu"))
    if _check_bool("shuffle", shuffle):
        order = torch.randperm(size, generator=gen, device=device)
    else:
        order = torch.arange(size, device=device)
    lengths = [size // folds + (1 if i < size % folds else 0) for i in range(folds)]
    splits = []
    for valid in torch.split(order, lengths):
        in_valid = torch.zeros(size, dtype=torch.bool, device=device)
        in_valid[valid] = True
        splits.append((torch.nonzero(~in_valid).squeeze(1), torch.nonzero(in_valid).squeeze(1)))
    return splits


def _flip(img: torch.Tensor, dim: int) -> torch.Tensor:
    """Reverse ``img`` along ``dim`` by gathering the indices ``size-1, ..., 1, 0``."""
    size = img.shape[dim]
    return img.index_select(dim, torch.arange(size - 1, -1, -1, device=img.device))


def hflip(img: torch.Tensor) -> torch.Tensor:
    r"""Horizontal flip (좌우 반전): mirror an image left to right.

    $$y[\dots, i, j] = x[\dots, i, W - 1 - j]$$

    Args:
        img: An image tensor of shape ``(..., H, W)``, e.g. ``(C, H, W)`` or ``(N, C, H, W)``,
            any dtype.

    Returns:
        A new tensor of the same shape and dtype.

    Raises:
        TypeError: If ``img`` is not a tensor.
        ValueError: If ``img`` has fewer than two dimensions.

    Examples:
        >>> hflip(torch.tensor([[[1, 2, 3], [4, 5, 6]]]))
        tensor([[[3, 2, 1],
                 [6, 5, 4]]])

    Torch counterpart:
        ``torch.flip(img, dims=[-1])``; torchvision ``transforms.functional.hflip`` (and
        ``RandomHorizontalFlip(p)``, which applies it with probability ``p``).

    Common mistakes:
        - Flipping dimension 0 or 1 of a ``(C, H, W)`` tensor: that reverses the channel order
          or the rows, not left and right.
        - Flipping images whose label depends on direction (text, arrows, road signs).
    """
    return _flip(_check_image("img", img), -1)


def vflip(img: torch.Tensor) -> torch.Tensor:
    r"""Vertical flip (상하 반전): mirror an image top to bottom.

    $$y[\dots, i, j] = x[\dots, H - 1 - i, j]$$

    Args:
        img: An image tensor of shape ``(..., H, W)``, any dtype.

    Returns:
        A new tensor of the same shape and dtype.

    Raises:
        TypeError: If ``img`` is not a tensor.
        ValueError: If ``img`` has fewer than two dimensions.

    Examples:
        >>> vflip(torch.tensor([[[1, 2, 3], [4, 5, 6]]]))
        tensor([[[4, 5, 6],
                 [1, 2, 3]]])

    Torch counterpart:
        ``torch.flip(img, dims=[-2])``; torchvision ``transforms.functional.vflip``.

    Common mistakes:
        - Using it on digits or natural photos: an upside-down 6 is a 9, and skies are not at
          the bottom. It suits satellite or microscope images.
    """
    return _flip(_check_image("img", img), -2)


def random_crop(
    img: torch.Tensor,
    size: int | tuple[int, int],
    padding: int = 0,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    r"""Random crop with zero padding (무작위 자르기): a shifted window of the image.

    The image is first padded with ``padding`` zeros on every side (제로 패딩), giving
    \(H' = H + 2p\) rows and \(W' = W + 2p\) columns; then a window of ``size``
    \(= (h, w)\) is cut out at a random top-left corner

    $$t \sim \mathcal U\{0, \dots, H' - h\}, \qquad l \sim \mathcal U\{0, \dots, W' - w\},
      \qquad y = x_{\text{padded}}[\dots,\ t : t + h,\ l : l + w]$$

    drawn in that order with ``torch.randint(..., generator=generator)``, as torchvision's
    ``RandomCrop.get_params`` does (which, like this function, draws nothing when the window
    is the whole padded image). With ``size`` equal to the image size and ``padding=4`` this is
    the classic CIFAR-10 augmentation: the image shifted by up to 4 pixels. All leading
    dimensions share one window: to crop each image of a batch differently, call it per image.

    Args:
        img: An image tensor of shape ``(..., H, W)``, any dtype.
        size: The window size: an int \(s\) for \((s, s)\), or a pair \((h, w)\).
        padding: The number \(p \ge 0\) of zero rows/columns added on each side.
        generator: The generator for the corner (``None``: torch's global CPU generator).

    Returns:
        A tensor of shape ``(..., h, w)``; with ``padding=0`` it is a view of ``img``.

    Raises:
        TypeError: If ``img`` is not a tensor, ``size``/``padding`` are not ints or
            ``generator`` is not a ``torch.Generator``.
        ValueError: If ``img`` has fewer than two dimensions, ``size`` is not positive,
            ``padding`` is negative or the window is larger than the padded image.

    Examples:
        >>> img = torch.arange(1, 10).reshape(1, 3, 3)
        >>> random_crop(img, 2, generator=torch.Generator().manual_seed(0))
        tensor([[[2, 3],
                 [5, 6]]])
        >>> random_crop(img, 3, padding=1, generator=torch.Generator().manual_seed(2))
        tensor([[[0, 0, 0],
                 [0, 1, 2],
                 [0, 4, 5]]])

    Torch counterpart:
        torchvision ``transforms.RandomCrop(size, padding=padding)`` (``fill=0``,
        ``padding_mode='constant'``; it draws from the global generator).

    Common mistakes:
        - Cropping so much that the object leaves the window and the label is no longer true.
        - Writing into the result of a crop without padding: it shares memory with ``img``.
    """
    image = _check_image("img", img)
    if not isinstance(size, int | Sequence):
        raise TypeError(f"size must be an int or a pair of ints, got {type(size).__name__}")
    crop_h, crop_w = as_int_tuple("size", size, 2)
    if crop_h < 1 or crop_w < 1:
        raise ValueError(f"size must be positive, got {size!r}")
    pad = _check_int("padding", padding, 0)
    gen = _check_generator(generator)
    height, width = image.shape[-2] + 2 * pad, image.shape[-1] + 2 * pad
    if crop_h > height or crop_w > width:
        raise ValueError(
            f"size {(crop_h, crop_w)} is larger than the padded image {(height, width)}"
        )
    if pad:
        padded = image.new_zeros(*image.shape[:-2], height, width)
        padded[..., pad : height - pad, pad : width - pad] = image
        image = padded
    if (crop_h, crop_w) == (height, width):
        return image
    device = _draw_device(gen, torch.device("cpu"))
    top = int(torch.randint(0, height - crop_h + 1, (1,), generator=gen, device=device))
    left = int(torch.randint(0, width - crop_w + 1, (1,), generator=gen, device=device))
    return image[..., top : top + crop_h, left : left + crop_w]


def gaussian_noise(
    img: torch.Tensor,
    std: float,
    mean: float = 0.0,
    clip: bool = False,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    r"""Additive Gaussian noise (가우시안 노이즈 추가): jitter every pixel independently.

    $$y = x + \mu + \sigma\,\varepsilon, \qquad \varepsilon \sim \mathcal N(0, 1)
      \text{ elementwise}$$

    With ``clip=True`` the result is clamped to \([0, 1]\), the range of an image read with
    ``ToTensor()``. The noise is drawn with ``torch.randn`` on the generator's device (the
    image's device when ``generator`` is ``None``) and then moved to the image, so one seed
    gives the same noise on every device.

    Args:
        img: A floating-point image tensor of any shape, e.g. ``(C, H, W)``.
        std: The noise standard deviation \(\sigma \ge 0\).
        mean: The noise mean \(\mu\).
        clip: Whether to clamp the result to \([0, 1]\).
        generator: The generator for the noise.

    Returns:
        A new tensor of the same shape and dtype.

    Raises:
        TypeError: If ``img`` is not floating point, ``std``/``mean`` are not numbers, ``clip``
            is not a bool or ``generator`` is not a ``torch.Generator``.
        ValueError: If ``std`` is negative or not finite.

    Examples:
        >>> img = torch.full((1, 2, 2), 0.5)
        >>> gaussian_noise(img, std=0.1, generator=torch.Generator().manual_seed(0))
        tensor([[[0.6541, 0.4707],
                 [0.2821, 0.5568]]])

    Torch counterpart:
        ``img + mean + std * torch.randn(img.shape, generator=generator)``; torchvision
        ``transforms.v2.GaussianNoise(mean, sigma, clip)`` (whose ``clip`` defaults to
        ``True``; here ``False``, because standardized images are not in \([0, 1]\)).

    Common mistakes:
        - Choosing \(\sigma\) without looking at the pixel scale: 0.1 is mild for pixels in
          \([0, 1]\) and invisible for pixels in \([0, 255]\).
        - Adding noise to integer images: the result must be floating point.
    """
    image = check_floating("img", img)
    sigma = check_non_negative("std", std)
    if isinstance(mean, bool) or not isinstance(mean, int | float):
        raise TypeError(f"mean must be a number, got {type(mean).__name__}")
    gen = _check_generator(generator)
    device = _draw_device(gen, image.device)
    noise = torch.randn(image.shape, generator=gen, dtype=image.dtype, device=device)
    out = image + (mean + sigma * noise.to(image.device))
    return out.clamp(0, 1) if _check_bool("clip", clip) else out
