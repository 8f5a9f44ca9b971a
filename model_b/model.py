"""This model's own logic, as plain functions: what its steps and its entry script share.

A digit classifier: an RBF support-vector machine whose decision values become
probabilities by temperature scaling fitted on cross-validated predictions
(CalibratedClassifierCV); predict() is the most probable class, as the entry script reports
it. It learns from 8x8 grayscale images, read from class folders (a File dataset) or from a
table with a column per pixel and a label column (a Tabular dataset). Nothing here talks to
a run.
"""
from pathlib import Path

import numpy as np

from shared_code.amltoolbox import DataError, info_value, load_model, save_model
from shared_code.classification_utils.classification_metrics import classification_metrics
from shared_code.image_utils.image_folders import read_labelled_images
from shared_code.image_utils.image_requests import ImageShape
from shared_code.image_utils.pixels import out_of_range, pixel_columns, pixel_features

DIGITS = tuple(range(10))
SHOWN_SKIPPED = 5
DEFAULT_FOLDS = 5  # sklearn.calibration.CalibratedClassifierCV's cv when none is given
# model_info.json's keys, which the entry script reads back.
IMAGE_SIZE_KEY, MAX_PIXEL_KEY = "image_size", "max_pixel_value"
# model_info.json's key for the training data's most frequent digit: the naive baseline,
# which evaluate scores beside the model (a model no better than it is never registered).
MAJORITY_CLASS_KEY = "training_majority_class"


def image_size(training: dict) -> tuple[int, int]:
    """The (width, height) of the images the model takes."""
    width, height = training[IMAGE_SIZE_KEY]
    return int(width), int(height)


def image_shape(info: dict) -> ImageShape:
    """The image size and pixel scale a saved model takes, from its model_info.json; a
    KeyError, TypeError or ValueError when the file does not say."""
    width, height = info[IMAGE_SIZE_KEY]
    return ImageShape(int(width), int(height), int(info[MAX_PIXEL_KEY]))


def feature_columns(training: dict) -> list[str]:
    """The pixel columns, row by row."""
    return pixel_columns(*image_size(training))


def digit_labels(labels, source: str) -> np.ndarray:
    """The labels (class folder names or numbers) as digits 0-9, or an error naming a bad one."""
    for value in np.unique(np.asarray(labels, dtype=str)):
        try:
            number = float(value)
        except ValueError:
            number = None
        if number is None or number not in DIGITS:
            raise DataError(f"{source}: the label '{value}' is not a digit 0-9. Name each class "
                            "folder (or label) after its digit and register the data again.")
    return np.asarray(labels, dtype=float).astype(int)


def read_digit_images(folder: str | Path, training: dict, source: str):
    """A folder's images (one folder per digit) as pixel features (0..max, row by row) and
    their digits."""
    images = read_labelled_images(Path(folder), image_size(training), source)
    if images.skipped:
        names = ", ".join(p.name for p in images.skipped[:SHOWN_SKIPPED])
        more = ", ..." if len(images.skipped) > SHOWN_SKIPPED else ""
        print(f"{source}: skipped {len(images.skipped)} file(s) that are not images "
              f"({names}{more})")
    return (pixel_features(images.images, training[MAX_PIXEL_KEY]),
            digit_labels(images.labels, source))


def check_pixel_table(frame, training: dict, source: str) -> tuple[np.ndarray, np.ndarray]:
    """The table's pixels and digits, checked: every pixel column, values 0..max, digits 0-9."""
    from shared_code.tabular_utils.frames import check_frame  # pandas: only the Tabular path
    columns, label = feature_columns(training), training["label_column"]
    numbers = check_frame(frame, columns, label, source)
    pixels = numbers[columns].to_numpy()
    bad = out_of_range(pixels, training[MAX_PIXEL_KEY])
    if bad is not None:
        row, column = bad
        raise DataError(f"{source}: row {row + 1}, column {columns[column]} is "
                        f"{pixels[row, column]:g}; pixel intensities run from 0 to "
                        f"{training[MAX_PIXEL_KEY]}. Fix the data and register it again.")
    return pixels, digit_labels(numbers[label], source)


def train_model(features: np.ndarray, digits: np.ndarray, training: dict):
    """A calibrated RBF support-vector classifier fitted on the pixels."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import SVC
    model = CalibratedClassifierCV(SVC(**training.get("params", {})), ensemble=False,
                                   **training.get("calibration", {}))
    return model.fit(features, digits)


def model_info(training: dict, training_data: dict, majority_class: int) -> dict:
    """What the saved model expects and what it was trained on."""
    return {"framework": "scikit-learn", "task": "classification",
            MAJORITY_CLASS_KEY: majority_class,
            "algorithm": "SVC calibrated by CalibratedClassifierCV",
            IMAGE_SIZE_KEY: list(image_size(training)),
            MAX_PIXEL_KEY: training[MAX_PIXEL_KEY], "classes": list(DIGITS),
            "features": feature_columns(training), "params": training.get("params", {}),
            "calibration": training.get("calibration", {}), "training_data": training_data}


def calibration_folds(training: dict) -> int:
    """How many ways the calibration splits each digit's images (its cv; sklearn's default 5)."""
    folds = (training.get("calibration") or {}).get("cv")
    return folds if isinstance(folds, int) and not isinstance(folds, bool) else DEFAULT_FOLDS


def train_and_save(features: np.ndarray, digits: np.ndarray, training: dict, model_dir,
                   training_data: dict, source: str):
    """Train on images of all ten digits, enough of each for the calibration's folds, and
    save into `model_dir`; return the model."""
    missing = sorted(set(DIGITS) - set(digits.tolist()))
    if missing:
        raise DataError(f"{source} has no images of the digit(s) {', '.join(map(str, missing))}: "
                        "the model must learn all ten digits. Add them and register the data "
                        "again.")
    folds = calibration_folds(training)
    counts = np.bincount(digits, minlength=len(DIGITS))
    few = [f"{digit} ({counts[digit]})" for digit in DIGITS if counts[digit] < folds]
    if few:
        raise DataError(f"{source} has fewer than {folds} images of the digit(s) "
                        f"{', '.join(few)}: the probability calibration splits each digit's "
                        f"images {folds} ways (training.calibration.cv in config/model_config.yml)."
                        " Add images of those digits (or lower cv) and register the data again.")
    model = train_model(features, digits, training)
    majority_class = int(np.bincount(digits).argmax())  # ties: the smallest digit
    save_model(model, model_dir, model_info(training, training_data, majority_class))
    return model


def make_baseline_scorer(digits):
    """score_baseline(model_dir) -> (metrics, description): the naive baseline of the model
    in model_dir, its training data's most frequent digit predicted for every image."""
    def score_baseline(model_dir: Path):
        _, info = load_model(model_dir)
        majority = info_value(info, MAJORITY_CLASS_KEY, model_dir)
        predictions = np.full(len(digits), majority)
        return (classification_metrics(digits, predictions),
                f"the training data's most frequent digit ({majority}) for every image")
    return score_baseline


def make_scorer(features, digits):
    """score(model_dir) -> (metrics, predictions) on the testing images' pixels."""
    def score(model_dir: Path):
        model, _ = load_model(model_dir)
        predictions = model.predict(features)
        return classification_metrics(digits, predictions), predictions
    return score
