"""studykit.data against torch.utils.data (DataLoader, random_split) and explicit crops/flips."""

from __future__ import annotations

import warnings

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.utils.data import DataLoader, TensorDataset, random_split

from studykit import data
from tests.helpers import non_contiguous, randn


def skip_worker_seed(g: torch.Generator) -> torch.Generator:
    """What a DataLoader draws from its generator when an epoch starts, before the permutation.

    (``_BaseDataLoaderIter.__init__`` draws a 64-bit base seed for worker processes.)
    """
    torch.empty((), dtype=torch.int64).random_(generator=g)
    return g


# ---- num_batches ----


def test_num_batches_equals_len_dataloader() -> None:
    for n in range(0, 26):
        for batch_size in range(1, 9):
            for drop_last in (False, True):
                loader = DataLoader(range(n), batch_size=batch_size, drop_last=drop_last)
                assert data.num_batches(n, batch_size, drop_last) == len(loader)


def test_num_batches_by_hand() -> None:
    # The notes: 15 samples, batch size 5 -> 3 batches; 12396 MNIST 3s/7s, batch 256 -> 49.
    assert data.num_batches(15, 5) == 3
    assert data.num_batches(12396, 256) == 49
    assert data.num_batches(12396, 256, drop_last=True) == 48
    assert data.num_batches(0, 4) == 0
    assert data.num_batches(3, 10) == 1 and data.num_batches(3, 10, drop_last=True) == 0


# ---- batches ----


def loader_batches(tensors, batch_size, shuffle=False, drop_last=False, generator=None):
    loader = DataLoader(
        TensorDataset(*tensors),
        batch_size=batch_size,
        shuffle=shuffle,
        drop_last=drop_last,
        generator=generator,
    )
    return [tuple(batch) for batch in loader]


def assert_same_batches(ours, theirs) -> None:
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs, strict=True):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            assert x.shape == y.shape and x.dtype == y.dtype and x.device == y.device
            torch.testing.assert_close(x, y, rtol=0, atol=0)


@pytest.mark.parametrize("drop_last", [False, True])
@pytest.mark.parametrize(("n", "batch_size"), [(15, 5), (16, 5), (7, 3), (4, 10), (1, 1), (0, 2)])
def test_batches_in_order_match_dataloader(n, batch_size, drop_last, device, dtype, gen) -> None:
    x = randn(n, 3, 2, gen=gen, dtype=dtype, device=device)
    y = torch.arange(n, device=device)
    ours = list(data.batches((x, y), batch_size, drop_last=drop_last))
    assert_same_batches(ours, loader_batches((x, y), batch_size, drop_last=drop_last))
    assert len(ours) == data.num_batches(n, batch_size, drop_last)
    single = list(data.batches(x, batch_size, drop_last=drop_last))
    theirs = list(DataLoader(x, batch_size=batch_size, drop_last=drop_last))
    assert_same_batches([(b,) for b in single], [(b,) for b in theirs])


@pytest.mark.parametrize("drop_last", [False, True])
@pytest.mark.parametrize(("n", "batch_size"), [(15, 5), (16, 5), (9, 4), (1, 3)])
def test_shuffled_batches_match_dataloader_after_its_worker_seed(
    n, batch_size, drop_last, device, dtype, gen
) -> None:
    x = randn(n, 2, gen=gen, dtype=dtype, device=device)
    y = torch.arange(n, device=device) * 10
    ours_gen = torch.Generator().manual_seed(123)
    theirs_gen = torch.Generator().manual_seed(123)
    for _epoch in range(3):  # one generator across epochs, as a DataLoader keeps it
        skip_worker_seed(ours_gen)
        ours = list(data.batches((x, y), batch_size, True, drop_last, ours_gen))
        torch.randperm(n, generator=ours_gen)  # RandomSampler's unused tail permutation
        theirs = loader_batches((x, y), batch_size, True, drop_last, theirs_gen)
        assert_same_batches(ours, theirs)


def test_shuffle_order_is_randperm_of_the_generator() -> None:
    # The notes: DataLoader(range(15), batch_size=5, shuffle=True) -> three batches of five.
    g = torch.Generator().manual_seed(7)
    ours = torch.cat(list(data.batches(torch.arange(15), 5, shuffle=True, generator=g)))
    torch.testing.assert_close(ours, torch.randperm(15, generator=torch.Generator().manual_seed(7)))
    torch.manual_seed(3)  # generator=None: torch's global generator, as randperm uses it
    ours = torch.cat(list(data.batches(torch.arange(15), 5, shuffle=True)))
    torch.manual_seed(3)
    torch.testing.assert_close(ours, torch.randperm(15))


def test_shuffle_reproducible_and_seed_dependent() -> None:
    x = torch.arange(40)

    def epoch(seed: int) -> list[list[int]]:
        g = torch.Generator().manual_seed(seed)
        return [b.tolist() for b in data.batches(x, 8, shuffle=True, generator=g)]

    assert epoch(0) == epoch(0)
    assert epoch(0) != epoch(1)
    g = torch.Generator().manual_seed(0)
    first = [b.tolist() for b in data.batches(x, 8, shuffle=True, generator=g)]
    second = [b.tolist() for b in data.batches(x, 8, shuffle=True, generator=g)]
    assert first != second  # a new permutation every epoch from the same generator


@settings(max_examples=60)
@given(st.integers(0, 40), st.integers(1, 12), st.booleans(), st.booleans(), st.integers(0, 999))
def test_every_index_once_per_epoch(n, batch_size, shuffle, drop_last, seed) -> None:
    g = torch.Generator().manual_seed(seed)
    x, y = torch.arange(n), torch.arange(n).float()
    out = list(data.batches((x, y), batch_size, shuffle, drop_last, g))
    sizes = [len(b[0]) for b in out]
    expected = [len(b[0]) for b in loader_batches((x, y), batch_size, drop_last=drop_last)]
    assert sizes == expected
    seen = torch.cat([b[0] for b in out]) if out else torch.empty(0, dtype=torch.int64)
    for xb, yb in out:
        torch.testing.assert_close(xb.float(), yb)  # pairs stay paired
    if drop_last:
        assert seen.unique().numel() == seen.numel() == batch_size * (n // batch_size)
    else:
        torch.testing.assert_close(seen.sort().values, torch.arange(n))
        if not shuffle:
            torch.testing.assert_close(seen, torch.arange(n))


def test_batches_are_views_without_shuffle_and_work_non_contiguous() -> None:
    x = torch.arange(12.0).reshape(6, 2)
    first = next(data.batches(x, 4))
    assert first.data_ptr() == x.data_ptr()
    nc = non_contiguous(x)
    assert_same_batches(
        [(b,) for b in data.batches(nc, 4)], [(b,) for b in DataLoader(nc, batch_size=4)]
    )


def test_batches_validates_before_iterating() -> None:
    x = torch.zeros(4, 2)
    with pytest.raises(ValueError, match="batch_size must be >= 1, got 0"):
        data.batches(x, 0)  # raised at the call, not at the first next()
    with pytest.raises(ValueError, match=r"data\[1\] has 3 samples but data\[0\] has 4"):
        data.batches((x, torch.zeros(3)), 2)
    with pytest.raises(TypeError, match="non-empty tuple of tensors, got list"):
        data.batches([x], 2)
    with pytest.raises(TypeError, match="non-empty tuple of tensors, got an empty tuple"):
        data.batches((), 2)
    with pytest.raises(TypeError, match=r"data\[1\] must be a torch\.Tensor, got list"):
        data.batches((x, [1, 2, 3, 4]), 2)
    with pytest.raises(ValueError, match=r"data\[0\] must have a first \(sample\) dimension"):
        data.batches(torch.tensor(1.0), 2)
    with pytest.raises(TypeError, match="batch_size must be an int, got float"):
        data.batches(x, 2.0)
    with pytest.raises(TypeError, match="shuffle must be a bool, got int"):
        data.batches(x, 2, shuffle=1)
    with pytest.raises(TypeError, match="drop_last must be a bool, got str"):
        data.batches(x, 2, drop_last="yes")
    with pytest.raises(TypeError, match=r"generator must be a torch\.Generator or None, got int"):
        data.batches(x, 2, shuffle=True, generator=0)


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((-1, 2), ValueError, "n must be >= 0, got -1"),
        ((5, 0), ValueError, "batch_size must be >= 1, got 0"),
        ((5.0, 2), TypeError, "n must be an int, got float"),
        ((5, True), TypeError, "batch_size must be an int, got bool"),
        ((5, 2, None), TypeError, "drop_last must be a bool, got NoneType"),
    ],
)
def test_num_batches_errors(args, error, message) -> None:
    with pytest.raises(error, match=message):
        data.num_batches(*args)


# ---- train_val_test_split ----

FRACTIONS = [(0.8, 0.1, 0.1), (0.7, 0.2, 0.1), (0.6, 0.2, 0.2), (0.5, 0.5), (1.0,), (0.3, 0.3, 0.4)]


@pytest.mark.parametrize("fractions", FRACTIONS, ids=str)
def test_split_matches_random_split(fractions) -> None:
    for n in [*range(0, 23), 100, 1001]:
        ours = data.train_val_test_split(n, fractions, torch.Generator().manual_seed(n))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # random_split warns about empty parts
            theirs = random_split(range(n), fractions, torch.Generator().manual_seed(n))
        assert [p.tolist() for p in ours] == [list(s.indices) for s in theirs]
        assert all(p.dtype == torch.int64 for p in ours)
        torch.testing.assert_close(torch.cat(ours).sort().values, torch.arange(n))


def test_split_sizes_by_hand() -> None:
    # random_split rule: floor(n * f) each, then the remainder one at a time from the first part.
    sizes = lambda n, f=(0.8, 0.1, 0.1): [len(p) for p in data.train_val_test_split(n, f)]  # noqa: E731
    assert sizes(10) == [8, 1, 1]
    assert sizes(15) == [13, 1, 1]  # 12, 1, 1 + one left over to train
    assert sizes(7) == [6, 1, 0]  # 5, 0, 0 + two left over: train, then validation
    assert sizes(3, (0.5, 0.5)) == [2, 1]
    assert sizes(0) == [0, 0, 0]


def test_split_global_generator_like_random_split() -> None:
    torch.manual_seed(11)
    ours = data.train_val_test_split(20)
    torch.manual_seed(11)
    theirs = random_split(range(20), [0.8, 0.1, 0.1])
    assert [p.tolist() for p in ours] == [list(s.indices) for s in theirs]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n": -1}, ValueError, "n must be >= 0, got -1"),
        ({"n": 10.0}, TypeError, "n must be an int, got float"),
        ({"n": 10, "fractions": (0.8, 0.1)}, ValueError, "fractions must each be in"),
        ({"n": 10, "fractions": (1.5, -0.5)}, ValueError, r"fractions\[1\] must be a finite"),
        ({"n": 10, "fractions": (1.5, 0.0)}, ValueError, "fractions must each be in"),
        ({"n": 10, "fractions": ()}, ValueError, "fractions must be a non-empty sequence"),
        ({"n": 10, "fractions": 1.0}, ValueError, "fractions must be a non-empty sequence"),
        ({"n": 10, "fractions": ("a",)}, TypeError, r"fractions\[0\] must be a number"),
        ({"n": 10, "generator": 1}, TypeError, "generator must be a torch.Generator"),
    ],
)
def test_split_errors(kwargs, error, message) -> None:
    with pytest.raises(error, match=message):
        data.train_val_test_split(**kwargs)


# ---- augmentations ----

IMAGE_SHAPES = [(5, 7), (3, 4, 6), (2, 3, 5, 4), (1, 1, 1)]


@pytest.mark.parametrize("shape", IMAGE_SHAPES, ids=str)
def test_flips_match_torch_flip(shape, device, dtype, gen) -> None:
    img = randn(*shape, gen=gen, dtype=dtype, device=device)
    for ours, dim in [(data.hflip, -1), (data.vflip, -2)]:
        out = ours(img)
        assert out.shape == img.shape and out.dtype == dtype and out.device == img.device
        torch.testing.assert_close(out, torch.flip(img, dims=[dim]), rtol=0, atol=0)
        torch.testing.assert_close(ours(out), img, rtol=0, atol=0)  # flipping twice undoes it
        torch.testing.assert_close(ours(non_contiguous(img)), torch.flip(img, dims=[dim]))
    as_bytes = (torch.arange(24) % 256).to(torch.uint8).reshape(2, 3, 4)
    assert torch.equal(data.hflip(as_bytes), as_bytes.flip(-1))


def test_flips_by_hand() -> None:
    img = torch.tensor([[1, 2], [3, 4]])
    assert data.hflip(img).tolist() == [[2, 1], [4, 3]]
    assert data.vflip(img).tolist() == [[3, 4], [1, 2]]


def reference_crop(img, size, padding, seed):
    """Pad with zeros (F.pad), then draw top and left as torchvision's RandomCrop.get_params."""
    h, w = size
    padded = F.pad(img, (padding, padding, padding, padding)) if padding else img
    height, width = padded.shape[-2:]
    if (h, w) == (height, width):
        return padded
    g = torch.Generator().manual_seed(seed)
    top = int(torch.randint(0, height - h + 1, (1,), generator=g))
    left = int(torch.randint(0, width - w + 1, (1,), generator=g))
    return padded[..., top : top + h, left : left + w]


@settings(max_examples=60)
@given(
    st.sampled_from([(4, 5), (1, 4, 5), (2, 3, 4, 5), (2, 1, 1)]),
    st.integers(1, 6),
    st.integers(1, 7),
    st.integers(0, 3),
    st.integers(0, 10_000),
)
def test_random_crop_matches_padding_and_cropping(shape, h, w, padding, seed) -> None:
    img = torch.arange(1, 1 + torch.Size(shape).numel(), dtype=torch.float32).reshape(shape)
    size = (h, w)
    if h > shape[-2] + 2 * padding or w > shape[-1] + 2 * padding:
        with pytest.raises(ValueError, match="is larger than the padded image"):
            data.random_crop(img, size, padding, torch.Generator().manual_seed(seed))
        return
    out = data.random_crop(img, size, padding, torch.Generator().manual_seed(seed))
    assert out.shape == (*shape[:-2], h, w)
    torch.testing.assert_close(out, reference_crop(img, size, padding, seed), rtol=0, atol=0)


def test_random_crop_every_window_reachable_and_square_size(device, dtype) -> None:
    img = torch.arange(16, dtype=dtype, device=device).reshape(1, 4, 4)
    corners = set()
    for seed in range(200):
        out = data.random_crop(img, 2, padding=1, generator=torch.Generator().manual_seed(seed))
        assert out.shape == (1, 2, 2) and out.device == img.device and out.dtype == dtype
        corners.add(tuple(out.flatten().tolist()))
    assert len(corners) == 25  # a 6x6 padded image has 5 * 5 windows of size 2x2
    # The CIFAR-10 recipe: same size, padding 4 -> a shifted copy with a zero border.
    out = data.random_crop(img, (4, 4), padding=4, generator=torch.Generator().manual_seed(0))
    ref = reference_crop(img, (4, 4), 4, 0)
    torch.testing.assert_close(out, ref, rtol=0, atol=0)


def test_random_crop_whole_image_draws_nothing() -> None:
    g = torch.Generator().manual_seed(0)
    state = g.get_state()
    img = torch.randn(3, 5, 6)
    out = data.random_crop(img, (5, 6), generator=g)
    assert torch.equal(out, img) and torch.equal(g.get_state(), state)
    padded = data.random_crop(img, (7, 8), padding=1, generator=g)
    assert torch.equal(padded, F.pad(img, (1, 1, 1, 1))) and torch.equal(g.get_state(), state)


def test_random_crop_global_generator() -> None:
    img = torch.arange(36.0).reshape(1, 6, 6)
    torch.manual_seed(4)
    ours = data.random_crop(img, 3, padding=2)
    torch.manual_seed(4)
    top = int(torch.randint(0, 10 - 3 + 1, (1,)))
    left = int(torch.randint(0, 10 - 3 + 1, (1,)))
    torch.testing.assert_close(ours, F.pad(img, (2, 2, 2, 2))[..., top : top + 3, left : left + 3])


@pytest.mark.parametrize("shape", [(3, 8, 8), (2, 1, 4, 4), (5,)], ids=str)
def test_gaussian_noise_matches_randn(shape, device, dtype, gen) -> None:
    img = randn(*shape, gen=gen, dtype=dtype, device=device)
    out = data.gaussian_noise(img, 0.3, mean=0.1, generator=torch.Generator().manual_seed(9))
    noise = torch.randn(shape, generator=torch.Generator().manual_seed(9), dtype=dtype)
    assert out.shape == img.shape and out.dtype == dtype and out.device == img.device
    torch.testing.assert_close(out, img + (0.1 + 0.3 * noise.to(device)))
    clipped = data.gaussian_noise(img, 0.3, 0.1, True, torch.Generator().manual_seed(9))
    torch.testing.assert_close(clipped, torch.clamp(img + 0.1 + 0.3 * noise.to(device), 0, 1))
    torch.testing.assert_close(data.gaussian_noise(img, 0.0), img, rtol=0, atol=0)


def test_gaussian_noise_statistics_and_global_generator() -> None:
    img = torch.zeros(200_000, dtype=torch.float64)
    out = data.gaussian_noise(img, 0.5, mean=2.0, generator=torch.Generator().manual_seed(0))
    # mean ± 5 standard errors (0.5 / sqrt(n) ~ 0.0011); the sample std within 1%.
    assert abs(out.mean().item() - 2.0) < 5 * 0.5 / 200_000**0.5
    assert abs(out.std().item() - 0.5) < 0.005
    torch.manual_seed(2)
    ours = data.gaussian_noise(torch.ones(4), 1.0)
    torch.manual_seed(2)
    torch.testing.assert_close(ours, 1 + torch.randn(4))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: data.hflip([[1]]), TypeError, r"img must be a torch\.Tensor, got list"),
        (lambda: data.vflip(torch.ones(3)), ValueError, r"img must have shape \(\.\.\., H, W\)"),
        (lambda: data.random_crop(torch.ones(3), 1), ValueError, "img must have shape"),
        (lambda: data.random_crop(torch.ones(4, 4), 0), ValueError, "size must be positive"),
        (lambda: data.random_crop(torch.ones(4, 4), (2, 2, 2)), ValueError, "size must be an int"),
        (
            lambda: data.random_crop(torch.ones(4, 4), 2.0),
            TypeError,
            "size must be an int or a pair",
        ),
        (lambda: data.random_crop(torch.ones(4, 4), 5), ValueError, r"size \(5, 5\) is larger"),
        (lambda: data.random_crop(torch.ones(4, 4), 2, -1), ValueError, "padding must be >= 0"),
        (lambda: data.random_crop(torch.ones(4, 4), 2, 1.0), TypeError, "padding must be an int"),
        (
            lambda: data.random_crop(torch.ones(4, 4), 2, generator=3),
            TypeError,
            "generator must be a torch.Generator",
        ),
        (
            lambda: data.gaussian_noise(torch.ones(2, dtype=torch.uint8), 0.1),
            TypeError,
            "img must be a floating-point tensor",
        ),
        (lambda: data.gaussian_noise(torch.ones(2), -0.1), ValueError, "std must be a finite"),
        (lambda: data.gaussian_noise(torch.ones(2), "a"), TypeError, "std must be a number"),
        (lambda: data.gaussian_noise(torch.ones(2), 0.1, None), TypeError, "mean must be a number"),
        (lambda: data.gaussian_noise(torch.ones(2), 0.1, clip=1), TypeError, "clip must be a bool"),
    ],
)
def test_augmentation_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()
