"""A folder of labelled images, one sub-folder per class: how a File dataset of images
arrives in a step (`folder/<class>/<image>.png`), read in one go or written by code."""
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from shared_code.amltoolbox.staging import folder_written_whole

from .image_files import ImageReadError, is_image_file, read_grayscale, write_grayscale_png


@dataclass
class LabelledImages:
    """The images of a folder, each with its class (the name of the folder it is in)."""
    images: np.ndarray                                  # (count, height, width), gray 0-255
    labels: list[str]
    files: list[Path]
    skipped: list[Path] = field(default_factory=list)  # files that are not images

    def __len__(self) -> int:
        return len(self.labels)


def read_labelled_images(folder: Path, size: tuple[int, int], label: str) -> LabelledImages:
    """Every image under `folder`/<class>/ as gray levels, with its class.

    Files that are not images by their name (notes, .DS_Store) are skipped and listed;
    an unreadable image, an image of another size, an image outside a class folder and
    a class folder without images are errors that name the file or folder.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ImageReadError(f"{label}: {folder} is not a folder; a File dataset of images "
                             "is a folder with one sub-folder of images per class")
    class_folders = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    loose = sorted(p for p in folder.iterdir() if p.is_file() and is_image_file(p))
    if loose:
        raise ImageReadError(f"{label}: {loose[0].name} is not in a class folder; put each "
                             f"image in the folder named after its class ({folder}/<class>/)")
    if not class_folders:
        raise ImageReadError(f"{label}: {folder} holds no class folders; put each image in "
                             f"the folder named after its class ({folder}/<class>/)")
    images, labels, files, skipped = [], [], [], []
    for class_folder in class_folders:
        contents = sorted(p for p in class_folder.rglob("*") if p.is_file())
        class_images = [p for p in contents if is_image_file(p)]
        skipped += [p for p in contents if not is_image_file(p)]
        if not class_images:
            raise ImageReadError(f"{label}: the class folder {class_folder.name}/ holds no "
                                 "images; add its images or remove the folder")
        for path in class_images:
            images.append(_read_file(path, size, f"{label}: {path.relative_to(folder)}"))
            labels.append(class_folder.name)
            files.append(path)
    return LabelledImages(np.stack(images), labels, files, skipped)


def _read_file(path: Path, size: tuple[int, int], label: str) -> np.ndarray:
    try:
        return read_grayscale(path, size, label)
    except ImageReadError as error:
        raise ImageReadError(f"{error}. Replace the file with a readable {size[0]}x{size[1]} "
                             "image or remove it, then register the dataset again.") from None


def write_labelled_images(gray_images: np.ndarray, labels: Sequence, names: Sequence[str],
                          folder: Path) -> Path:
    """Write each image as `folder`/<label>/<name>.png; the folder appears only when complete.

    A folder that holds files already (your own images) is left as it is.
    """
    folder = Path(folder)
    with folder_written_whole(folder) as staging:
        for gray, image_label, name in zip(gray_images, labels, names, strict=True):
            class_folder = staging / str(image_label)
            class_folder.mkdir(exist_ok=True)
            write_grayscale_png(gray, class_folder / f"{name}.png")
    return folder
