"""Pixels as model features: gray levels 0-255 to and from a model's own intensity scale
(0-16 for scikit-learn's digits), flattened row by row into one feature row per image."""
import numpy as np

GRAY_MAX = 255


def to_levels(gray: np.ndarray, max_level: int) -> np.ndarray:
    """Gray 0-255 as whole intensity levels 0..max_level (floats)."""
    return np.rint(np.asarray(gray, dtype=float) * max_level / GRAY_MAX)


def to_gray(levels: np.ndarray, max_level: int) -> np.ndarray:
    """Intensity levels 0..max_level as gray 0-255; to_levels gives the levels back exactly."""
    return np.rint(np.asarray(levels, dtype=float) * GRAY_MAX / max_level).astype(np.uint8)


def pixel_features(gray_images: np.ndarray, max_level: int) -> np.ndarray:
    """One row of intensity levels per image, its pixels row by row."""
    gray_images = np.asarray(gray_images)
    return to_levels(gray_images, max_level).reshape(len(gray_images), -1)


def pixel_columns(width: int, height: int) -> list[str]:
    """The names of the pixel features in row-by-row order: pixel_<row>_<column>."""
    return [f"pixel_{row}_{column}" for row in range(height) for column in range(width)]


def out_of_range(values: np.ndarray, max_level: int) -> tuple[int, ...] | None:
    """The index of the first value outside 0..max_level (or not finite), None if all fit."""
    values = np.asarray(values, dtype=float)
    bad = ~(np.isfinite(values) & (values >= 0) & (values <= max_level))
    if not bad.any():
        return None
    return tuple(int(i) for i in np.argwhere(bad)[0])
