"""Images sent to a scoring service, turned into the model's pixel rows, strictly.

Each item of a request's `data` is either {"image": "<base64-encoded PNG>"} or a list of
the image's pixel intensities, row by row, on the model's own scale (0..max_level).
Anything else is a ClientError naming the item and what was wrong, answered with a 400.
"""
import base64
import binascii
from dataclasses import dataclass

import numpy as np

from shared_code.amltoolbox.serving.validation import ClientError, json_type

from .image_files import ImageReadError, read_grayscale
from .pixels import out_of_range, to_levels

IMAGE_KEY = "image"
_NUMBER_TYPES = {int, float}  # exact types: true/false are not pixel values


@dataclass(frozen=True)
class ImageShape:
    """The images a model takes: their size in pixels and their intensity scale."""
    width: int
    height: int
    max_level: int

    @property
    def pixels(self) -> int:
        """Pixels per image."""
        return self.width * self.height

    def item_forms(self) -> str:
        """The two accepted forms of an item, in words."""
        return (f'{{"{IMAGE_KEY}": "<base64-encoded {self.width}x{self.height} PNG>"}} or a list '
                f"of {self.pixels} pixel values 0-{self.max_level}, row by row")


def items_to_pixels(items: list, shape: ImageShape) -> np.ndarray:
    """One row of intensity levels per item, pixels row by row, as the model was trained."""
    return np.stack([_item_pixels(index, item, shape) for index, item in enumerate(items)])


def _item_pixels(index: int, item, shape: ImageShape) -> np.ndarray:
    if isinstance(item, dict):
        return _image_pixels(index, item, shape)
    if isinstance(item, list):
        return _listed_pixels(index, item, shape)
    raise ClientError(f"item {index} is {json_type(item)}; each item is {shape.item_forms()}")


def _image_pixels(index: int, item: dict, shape: ImageShape) -> np.ndarray:
    if list(item) != [IMAGE_KEY]:
        keys = ", ".join(_shown(key) for key in list(item)[:5]) + (", ..." if len(item) > 5 else "")
        raise ClientError(f"item {index} has the key(s) {keys or 'none'}; an image item holds "
                          f"only {IMAGE_KEY!r}: {shape.item_forms()}")
    encoded = item[IMAGE_KEY]
    if not isinstance(encoded, str):
        raise ClientError(f"item {index}: {IMAGE_KEY!r} is {json_type(encoded)}; it must be a "
                          "string holding a base64-encoded PNG")
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        hint = (" without the 'data:...;base64,' prefix of a data URL"
                if encoded.startswith("data:") else "")
        raise ClientError(f"item {index}: {IMAGE_KEY!r} is not valid base64; send the PNG "
                          "file's bytes in standard base64 (A-Z, a-z, 0-9, +, /, = padding)"
                          f"{hint}") from None
    try:
        gray = read_grayscale(data, (shape.width, shape.height), f"item {index}'s image",
                              formats=("PNG",))
    except ImageReadError as error:
        raise ClientError(f"{error}: send a grayscale PNG of {shape.width}x{shape.height} "
                          "pixels, base64-encoded") from None
    return to_levels(gray, shape.max_level).ravel()


def _listed_pixels(index: int, values: list, shape: ImageShape) -> np.ndarray:
    if len(values) != shape.pixels:
        raise ClientError(f"item {index} has {len(values)} pixel values; the model takes "
                          f"{shape.width}x{shape.height} images: {shape.pixels} values, listed "
                          "row by row")
    if not set(map(type, values)) <= _NUMBER_TYPES:
        position = next(i for i, v in enumerate(values) if type(v) not in _NUMBER_TYPES)
        raise ClientError(f"item {index}, pixel {_where(position, shape)}: expected a number "
                          f"0-{shape.max_level}, got {json_type(values[position])}")
    try:
        row = np.array(values, dtype=float)
    except OverflowError:  # an integer too large for a float
        row = np.array([v if abs(v) < 2 ** 63 else np.inf for v in values], dtype=float)
    bad = out_of_range(row, shape.max_level)
    if bad is not None:
        (position,) = bad
        raise ClientError(f"item {index}, pixel {_where(position, shape)} is "
                          f"{_shown(values[position])}; pixel values run from 0 to "
                          f"{shape.max_level}")
    return row


def _where(position: int, shape: ImageShape) -> str:
    row, column = divmod(position, shape.width)
    return f"{position} (row {row}, column {column})"


def _shown(value, limit: int = 30) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."
