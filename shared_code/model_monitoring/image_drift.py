"""Drift of images: image-level statistics of new images against the training dataset's
(size, mean intensity, blank images), and the classes the model predicts for them against
the training labels. Images are read one at a time and scored in batches."""
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np

from shared_code.amltoolbox.errors import DataError
from shared_code.image_utils.image_files import is_image_file
from shared_code.image_utils.pixels import pixel_features

from .drift_config import DriftThresholds
from .drift_report import Distribution, DriftReport, FeatureDrift, numeric_drift
from .streaming_stats import ColumnAccumulator, psi, reference

BATCH = 1000


class NoImagesError(DataError):
    """A folder without images."""


def image_files(folder: Path, label: str) -> list[Path]:
    """The image files under `folder` (class folders or not), sorted."""
    folder = Path(folder)
    if not folder.exists():
        raise NoImagesError(f"{label}: {folder} does not exist; give a folder of images")
    files = ([folder] if folder.is_file() and is_image_file(folder)
             else sorted(p for p in folder.rglob("*") if p.is_file() and is_image_file(p)))
    if not files:
        raise NoImagesError(f"{label}: {folder} holds no image files (.png, .jpg, ...); give a "
                            "folder of images")
    return files


@dataclass
class ImageStats:
    """Counts and per-image values of a set of images."""
    images: int = 0
    other_size: int = 0       # of another size than the reference's, or unreadable
    blank: int = 0
    means: list = field(default_factory=list)


def _gray(path: Path) -> np.ndarray | None:
    from PIL import Image, UnidentifiedImageError  # pylint: disable=import-outside-toplevel
    try:
        with Image.open(path) as image:
            return np.asarray(image.convert("L"), dtype=np.uint8)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None


def read_stats(files: Iterable[Path], size: tuple[int, int] | None, on_image=None) -> ImageStats:
    """The statistics of `files`; each image of `size` (width, height) (any when None) is
    also handed to `on_image(gray)`."""
    stats = ImageStats()
    for path in files:
        stats.images += 1
        gray = _gray(path)
        if gray is None or (size is not None and gray.shape[::-1] != tuple(size)):
            stats.other_size += 1
            continue
        stats.means.append(float(gray.mean()))
        stats.blank += int(gray.min() == gray.max())
        if on_image is not None:
            on_image(gray)
    return stats


class ClassCounter:
    """The classes a model predicts for images, scored BATCH at a time."""

    def __init__(self, model, max_level: int):
        self.model, self.max_level = model, max_level
        self.batch: list[np.ndarray] = []
        self.counts: Counter = Counter()

    def __call__(self, gray: np.ndarray) -> None:
        self.batch.append(gray)
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> Counter:
        """Score what is left; return the counts by class (as text)."""
        if self.batch:
            predicted = self.model.predict(pixel_features(np.stack(self.batch), self.max_level))
            self.counts.update(str(p) for p in predicted)
            self.batch = []
        return self.counts


def _rate_drift(name: str, new_rate: float, training_rate: float, threshold: float,
                what: str) -> FeatureDrift:
    reasons = ([f"{new_rate:.1%} {what} (training {training_rate:.1%})"]
               if new_rate - training_rate > threshold else [])
    return FeatureDrift(name, {"rate": new_rate, "training_rate": training_rate}, reasons)


def class_drift(training_labels: list[str], predicted: Counter, threshold: float) -> FeatureDrift:
    """The predicted classes' shares against the training labels' (PSI)."""
    expected = Counter(training_labels)
    classes = sorted(set(expected) | set(predicted), key=lambda c: (len(c), c))
    training = np.array([expected[c] for c in classes], dtype=float) / max(len(training_labels), 1)
    new = np.array([predicted[c] for c in classes], dtype=float) / max(sum(predicted.values()), 1)
    value = psi(training, new)
    reasons = [f"PSI {value:.3g} > {threshold:g}"] if value > threshold else []
    return FeatureDrift("predicted_class", {"psi": value}, reasons,
                        Distribution(classes, training.tolist(), new.tolist()))


def image_drift(training_path: Path, new_path: Path, model, model_info: dict,  # pylint: disable=too-many-arguments,too-many-locals
                thresholds: DriftThresholds, labels: tuple[str, str],
                model_id: str) -> DriftReport:
    """Compare the images at `new_path` with the training images at `training_path`; with a
    model and its image size and intensity scale (model_info.json), its predicted classes with
    the training labels (the names of the training images' folders)."""
    training_label, new_label = labels
    training_files = image_files(training_path, training_label)
    size = tuple(model_info["image_size"]) if model_info.get("image_size") else None
    training = read_stats(training_files, size)
    if not training.means:
        raise NoImagesError(f"{training_label}: no image of {size} pixels to compare with")
    notes = []
    counter = None
    if model is not None and size and model_info.get("max_pixel_value"):
        counter = ClassCounter(model, int(model_info["max_pixel_value"]))
    else:
        notes.append("the model records no image_size and max_pixel_value (model_info.json): "
                     "predicted classes not compared")
    intensity = ColumnAccumulator(reference(training.means))
    new = read_stats(image_files(new_path, new_label), size,
                     on_image=counter)
    intensity.add(new.means)
    features = [numeric_drift("mean_intensity", intensity, thresholds),
                _rate_drift("image_size", new.other_size / new.images,
                            training.other_size / training.images,
                            thresholds.size_mismatch_rate,
                            f"of another size than {size} or unreadable" if size else "unreadable"),
                _rate_drift("blank_images", new.blank / new.images,
                            training.blank / max(len(training.means), 1), thresholds.blank_rate,
                            "blank")]
    if counter is not None:
        features.append(class_drift([p.parent.name for p in training_files], counter.flush(),
                                    thresholds.class_psi))
    return DriftReport(model_id, training_label, new_label, "image", new.images, thresholds,
                       features, notes=notes)
