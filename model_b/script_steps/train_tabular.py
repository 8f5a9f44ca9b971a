"""Train model_b, a digit classifier, from the Tabular dataset `train_data`: one row per
image, a column per pixel (pixel_<row>_<column>, intensities 0-16) and a label column.

The classifier is an RBF support-vector machine whose decision values become
probabilities by temperature scaling fitted on cross-validated predictions
(CalibratedClassifierCV); predict() is the most probable class, as the entry script
reports it.
"""
from pathlib import Path

import numpy as np

from shared_code.amltoolbox.promotion.lineage import input_dataset_versions
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.model_io import save_model
from shared_code.amltoolbox.run_context import get_run_context
from shared_code.amltoolbox.errors import DataError
from shared_code.amltoolbox.step_main import run_step
from shared_code.image_utils.pixels import out_of_range, pixel_columns

MODEL_DIR = Path(__file__).resolve().parents[1]
DIGITS = tuple(range(10))


def image_size(training: dict) -> tuple[int, int]:
    """The (width, height) of the images the model takes."""
    width, height = training["image_size"]
    return int(width), int(height)


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


def check_pixel_table(frame, training: dict, source: str) -> tuple[np.ndarray, np.ndarray]:
    """The table's pixels and digits, checked: every pixel column, values 0..max, digits 0-9."""
    from shared_code.tabular_utils.frames import check_frame  # pandas: only the Tabular path
    columns, label = feature_columns(training), training["label_column"]
    numbers = check_frame(frame, columns, label, source)
    pixels = numbers[columns].to_numpy()
    bad = out_of_range(pixels, training["max_pixel_value"])
    if bad is not None:
        row, column = bad
        raise DataError(f"{source}: row {row + 1}, column {columns[column]} is "
                        f"{pixels[row, column]:g}; pixel intensities run from 0 to "
                        f"{training['max_pixel_value']}. Fix the data and register it again.")
    return pixels, digit_labels(numbers[label], source)


def train_model(features: np.ndarray, digits: np.ndarray, training: dict):
    """A calibrated RBF support-vector classifier fitted on the pixels."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import SVC
    model = CalibratedClassifierCV(SVC(**training.get("params", {})), ensemble=False,
                                   **training.get("calibration", {}))
    return model.fit(features, digits)


def model_info(training: dict, training_data: dict) -> dict:
    """What the saved model expects and what it was trained on."""
    return {"framework": "scikit-learn", "task": "classification",
            "algorithm": "SVC calibrated by CalibratedClassifierCV",
            "image_size": list(image_size(training)),
            "max_pixel_value": training["max_pixel_value"], "classes": list(DIGITS),
            "features": feature_columns(training), "params": training.get("params", {}),
            "calibration": training.get("calibration", {}), "training_data": training_data}


def train_and_save(features: np.ndarray, digits: np.ndarray, training: dict, model_dir,
                   training_data: dict, source: str):
    """Train on images of all ten digits and save into `model_dir`; return the model."""
    missing = sorted(set(DIGITS) - set(digits.tolist()))
    if missing:
        raise DataError(f"{source} has no images of the digit(s) {', '.join(map(str, missing))}: "
                        "the model must learn all ten digits. Add them and register the data "
                        "again.")
    model = train_model(features, digits, training)
    save_model(model, model_dir, model_info(training, training_data))
    return model


def main() -> None:
    """Read train_data, train, write the `model` output."""
    run = get_run_context()
    training = load_model_config(MODEL_DIR).training
    dataset = run.input_datasets["train_data"]
    source = f"dataset '{dataset.name}' version {dataset.version}"
    features, digits = check_pixel_table(dataset.to_pandas_dataframe(), training, source)
    train_and_save(features, digits, training, run.output_datasets["model"],
                   input_dataset_versions(run), source)
    run.log("training_images", len(digits))


if __name__ == "__main__":
    run_step(main)
