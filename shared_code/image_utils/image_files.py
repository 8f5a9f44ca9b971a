"""One grayscale image read from a file or from bytes, or written as a PNG file."""
import io
from pathlib import Path
from typing import Sequence

import numpy as np

from shared_code.amltoolbox.errors import DataError

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp"})


class ImageReadError(DataError):
    """An image that cannot be read, or that is not the size the model takes."""


def is_image_file(path: Path) -> bool:
    """Whether `path` looks like an image by its name (hidden files never do)."""
    path = Path(path)
    return path.suffix.lower() in IMAGE_SUFFIXES and not path.name.startswith(".")


def read_grayscale(source: Path | bytes, size: tuple[int, int], label: str,
                   formats: Sequence[str] | None = None) -> np.ndarray:
    """The image as a (height, width) array of gray levels 0-255.

    `size` is (width, height); another size is refused rather than resized, because a
    resized image is no longer the kind of data the model learnt from. `formats` limits
    the accepted file formats (e.g. ("PNG",)). The errors say what is wrong with the
    image named `label`; the caller adds what to do, which differs for a dataset's file
    and for a scoring request.
    """
    from PIL import Image
    with _open(source, formats, label) as image:
        # The size is in the header: check it before decoding a possibly huge image.
        if image.size != tuple(size):
            raise ImageReadError(f"{label} is {image.size[0]}x{image.size[1]} pixels, not the "
                                 f"{size[0]}x{size[1]} that the model takes")
        try:
            image.load()
            return np.asarray(image.convert("L"), dtype=np.uint8)
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
            raise ImageReadError(f"{label} cannot be decoded, it is damaged or truncated "
                                 f"({error})") from None


def _open(source: Path | bytes, formats: Sequence[str] | None, label: str):
    from PIL import Image, UnidentifiedImageError
    stream = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    try:
        return Image.open(stream, formats=formats)
    except UnidentifiedImageError:
        kinds = f"a {' or '.join(formats)}" if formats else "an image"
        raise ImageReadError(f"{label} is not {kinds} file that can be read") from None
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as error:
        # Pillow raises a bare ValueError for some damaged headers (e.g. "Truncated IHDR").
        raise ImageReadError(f"{label} cannot be opened ({error})") from None


def write_grayscale_png(gray: np.ndarray, path: Path) -> Path:
    """Write a (height, width) array of gray levels 0-255 as a PNG file."""
    from PIL import Image
    Image.fromarray(np.asarray(gray, dtype=np.uint8)).save(path, format="PNG")
    return Path(path)
