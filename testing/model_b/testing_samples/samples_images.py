"""This model's images for the tests: a few real digits from scikit-learn's data set."""
import numpy as np

from model_b.script_steps.prepare_data import load_digits_images

PER_DIGIT = 8  # enough for the 5-fold calibration, few enough to train in milliseconds


def digits_sample(per_digit: int = PER_DIGIT, skip: int = 0):
    """(images 0-16, digits, indices): `per_digit` real images of each digit, after `skip`."""
    images, digits = load_digits_images()
    chosen = np.concatenate([np.flatnonzero(digits == d)[skip:skip + per_digit] for d in range(10)])
    return images[chosen], digits[chosen], chosen
