"""Reading one grayscale image from a file or bytes: sizes, formats and damaged files."""
import io

import numpy as np
import pytest
from PIL import Image

from shared_code.image_utils.image_files import (ImageReadError, is_image_file, read_grayscale,
                                                 write_grayscale_png)

GRAY = np.arange(64, dtype=np.uint8).reshape(8, 8) * 4


def encoded(image: Image.Image, image_format: str = "PNG") -> bytes:
    """The image's file bytes in `image_format`."""
    buffer = io.BytesIO()
    image.save(buffer, format=image_format)
    return buffer.getvalue()


@pytest.mark.parametrize("name, expected", [
    ("digit.png", True), ("DIGIT.PNG", True), ("scan.jpeg", True), ("notes.txt", False),
    (".hidden.png", False), ("Thumbs.db", False), ("png", False)])
def test_is_image_file_goes_by_the_name(name, expected):
    assert is_image_file(name) is expected


def test_a_written_png_reads_back_unchanged(tmp_path):
    path = write_grayscale_png(GRAY, tmp_path / "image.png")
    assert np.array_equal(read_grayscale(path, (8, 8), "image"), GRAY)


def test_bytes_are_read_like_a_file():
    data = encoded(Image.fromarray(GRAY))
    assert np.array_equal(read_grayscale(data, (8, 8), "image"), GRAY)


def test_a_colour_image_is_read_as_gray_levels():
    rgb = np.stack([GRAY] * 3, axis=-1)
    assert np.array_equal(read_grayscale(encoded(Image.fromarray(rgb)), (8, 8), "image"), GRAY)


def test_size_is_width_by_height_and_another_size_is_refused_not_resized():
    wide = encoded(Image.new("L", (16, 8)))
    assert read_grayscale(wide, (16, 8), "wide").shape == (8, 16)
    with pytest.raises(ImageReadError, match=r"^wide is 16x8 pixels, not the 8x8 that the model "
                                             r"takes$"):
        read_grayscale(wide, (8, 8), "wide")


def test_bytes_that_are_no_image_are_refused():
    with pytest.raises(ImageReadError, match="^notes.txt is not an image file that can be read$"):
        read_grayscale(b"just some text", (8, 8), "notes.txt")


def test_a_format_outside_the_allowed_ones_is_refused():
    jpeg = encoded(Image.fromarray(GRAY), "JPEG")
    assert read_grayscale(jpeg, (8, 8), "photo").shape == (8, 8)
    with pytest.raises(ImageReadError, match="photo is not a PNG file"):
        read_grayscale(jpeg, (8, 8), "photo", formats=("PNG",))


def test_a_truncated_png_names_the_file_and_says_what_to_do(tmp_path):
    path = tmp_path / "cut.png"
    data = encoded(Image.fromarray(GRAY))
    path.write_bytes(data[:data.index(b"IDAT") + 8])  # the pixel data cut short
    with pytest.raises(ImageReadError, match="^cut.png cannot be decoded, it is damaged or "
                                             "truncated"):
        read_grayscale(path, (8, 8), "cut.png")


def test_a_missing_file_is_reported_as_such(tmp_path):
    with pytest.raises(ImageReadError, match="gone.png cannot be opened"):
        read_grayscale(tmp_path / "gone.png", (8, 8), "gone.png")
