"""Pixels as features: gray levels to intensity levels and back, flattening, range checks."""
import numpy as np
import pytest

from shared_code.image_utils.pixels import (out_of_range, pixel_columns, pixel_features, to_gray,
                                            to_levels)


@pytest.mark.parametrize("max_level", [1, 16, 255])
def test_every_level_survives_the_round_trip_through_gray(max_level):
    levels = np.arange(max_level + 1)
    gray = to_gray(levels, max_level)
    assert gray.dtype == np.uint8 and gray[0] == 0 and gray[-1] == 255
    assert np.array_equal(to_levels(gray, max_level), levels)


def test_gray_between_levels_goes_to_the_nearest_level():
    assert to_levels(np.array([7, 8, 250]), 16).tolist() == [0.0, 1.0, 16.0]


def test_features_are_one_row_per_image_pixels_row_by_row():
    images = np.stack([to_gray(np.arange(6).reshape(2, 3), 16), np.zeros((2, 3), np.uint8)])
    features = pixel_features(images, 16)
    assert features.shape == (2, 6)
    assert features[0].tolist() == [0, 1, 2, 3, 4, 5]


def test_pixel_columns_follow_the_same_order():
    assert pixel_columns(3, 2) == ["pixel_0_0", "pixel_0_1", "pixel_0_2",
                                   "pixel_1_0", "pixel_1_1", "pixel_1_2"]


@pytest.mark.parametrize("values, expected", [
    ([[0, 16], [8, 3]], None),
    ([[0, 17], [8, 3]], (0, 1)),
    ([[0, 1], [-1, 3]], (1, 0)),
    ([[0, 1], [np.nan, 3]], (1, 0)),
    ([[np.inf, 1], [2, 3]], (0, 0))])
def test_out_of_range_gives_the_first_bad_position(values, expected):
    assert out_of_range(np.array(values), 16) == expected
