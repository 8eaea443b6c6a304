"""The playground's data sets and labels, as the contract describes them."""

import numpy as np
import pytest

from engine.playground import datasets as ds


def make(name, points=400, noise=0.0, seed=3):
    return ds.make(name, points, noise, np.random.default_rng(seed))


def test_every_data_set_is_seeded_and_shaped():
    for name in ds.DATASETS:
        data = make(name)
        assert data.points.shape == (400, 2) and data.classes.shape == (400,)
        assert set(np.unique(data.classes)) == {0, 1}
        np.testing.assert_array_equal(data.points, make(name).points)
        assert not np.array_equal(data.points, make(name, seed=4).points)
        x0, x1, y0, y1 = data.extent
        assert np.all((data.points >= [x0, y0]) & (data.points <= [x1, y1]))


def test_labels_follow_the_contract_rules():
    xor = make("xor")
    assert np.all(np.abs(xor.points) <= 1)
    np.testing.assert_array_equal(xor.classes, xor.points[:, 0] * xor.points[:, 1] > 0)
    circles = make("circles")
    assert np.all(np.abs(circles.points) <= 1)
    np.testing.assert_array_equal(circles.classes, np.hypot(*circles.points.T) < 0.5)

    moons = make("moons")  # upper half circle around (−0.5, −0.25), lower one around (0.5, 0.25)
    for c, centre, side in ((0, (-0.5, -0.25), 1), (1, (0.5, 0.25), -1)):
        rel = moons.points[moons.classes == c] - centre
        np.testing.assert_allclose(np.hypot(*rel.T), 1.0)
        assert np.all(side * rel[:, 1] >= -1e-12)

    spiral = make("spiral")  # arm c: angle = 2π·1.75·r + cπ (mod 2π), angle measured from +y
    r = np.hypot(*spiral.points.T)
    angle = np.arctan2(spiral.points[:, 0], spiral.points[:, 1])
    expected = 2 * np.pi * ds.SPIRAL_TURNS * r + np.pi * spiral.classes
    np.testing.assert_allclose(np.cos(angle - expected), 1.0)

    gauss = make("gauss")
    np.testing.assert_allclose(gauss.points[gauss.classes == 1].mean(axis=0), [1, 1], atol=0.1)
    np.testing.assert_allclose(gauss.points[gauss.classes == 0].mean(axis=0), [-1, -1], atol=0.1)
    for name in ("moons", "spiral", "gauss"):
        assert make(name).classes.sum() == 200  # balanced


def test_noise_is_a_gaussian_jitter_of_that_scale_on_the_same_points():
    clean, noisy = make("circles", 4000), make("circles", 4000, noise=0.1)
    np.testing.assert_array_equal(clean.classes, noisy.classes)
    assert np.std(noisy.points - clean.points) == pytest.approx(0.1, rel=0.05)


def test_targets_and_accuracy_rules():
    classes = np.array([0, 1, 1, 0])
    assert ds.target_kind("sigmoid", "bce") == "binary"
    assert ds.target_kind("tanh", "hinge") == "sign"
    assert ds.target_kind("softmax", "cce") == "onehot"
    np.testing.assert_array_equal(ds.encode(classes, "binary"), [[0], [1], [1], [0]])
    np.testing.assert_array_equal(ds.encode(classes, "sign"), [[-1], [1], [1], [-1]])
    np.testing.assert_array_equal(ds.encode(classes, "onehot"), [[1, 0], [0, 1], [0, 1], [1, 0]])
    out = np.array([[0.2], [0.6], [0.5], [np.nan]])
    np.testing.assert_array_equal(ds.predicted_classes(out, "binary"), [0, 1, 0, -1])
    np.testing.assert_array_equal(ds.predicted_classes(out - 0.5, "sign"), [0, 1, 0, -1])
    soft = np.array([[0.7, 0.3], [0.2, 0.8]])
    np.testing.assert_array_equal(ds.predicted_classes(soft, "onehot"), [0, 1])
    assert (ds.class_score(soft, "onehot") > ds.threshold("onehot")).tolist() == [False, True]
