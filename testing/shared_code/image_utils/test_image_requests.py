"""Images in a scoring request: base64 PNGs or pixel lists, and every way they can be wrong."""
import base64
import io

import numpy as np
import pytest
from PIL import Image

from shared_code.amltoolbox.serving.validation import ClientError
from shared_code.image_utils.image_requests import ImageShape, items_to_pixels
from shared_code.image_utils.pixels import to_gray

SHAPE = ImageShape(width=8, height=8, max_level=16)
LEVELS = np.arange(64) % 17


def png_item(levels=LEVELS, size=(8, 8), image_format="PNG", mode="L") -> dict:
    """An image item: the levels (repeated to fill `size`) as a base64-encoded image file."""
    image = Image.fromarray(to_gray(np.resize(levels, size[::-1]), 16)).convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, format=image_format)
    return {"image": base64.b64encode(buffer.getvalue()).decode("ascii")}


def test_a_png_and_a_pixel_list_of_the_same_image_give_the_same_row():
    pixels = items_to_pixels([png_item(), LEVELS.tolist(), [float(v) for v in LEVELS]], SHAPE)
    assert pixels.shape == (3, 64)
    assert np.array_equal(pixels[0], LEVELS) and np.array_equal(pixels[1], pixels[0])
    assert np.array_equal(pixels[2], pixels[0])


def test_a_colour_png_is_read_as_gray():
    assert np.array_equal(items_to_pixels([png_item(mode="RGB")], SHAPE)[0], LEVELS)


def test_the_shape_describes_both_forms_of_an_item():
    assert SHAPE.pixels == 64
    assert SHAPE.item_forms() == ('{"image": "<base64-encoded 8x8 PNG>"} or a list of 64 pixel '
                                  "values 0-16, row by row")


BAD_ITEMS = [
    ("a string", "a png", r"item 1 is a string; each item is \{\"image\""),
    ("null", None, r"item 1 is null; each item is"),
    ("a number", 3, r"item 1 is a number; each item is"),
    ("no image key", {"png": "x"},
     r"item 1 has the key\(s\) 'png'; an image item holds only 'image'"),
    ("an extra key", {**png_item(), "label": 3}, r"item 1 has the key\(s\) 'image', 'label'"),
    ("an empty object", {}, r"item 1 has the key\(s\) none"),
    ("image not a string", {"image": 12}, r"item 1: 'image' is a number; it must be a string"),
    ("not base64", {"image": "%%%not base64%%%"}, r"item 1: 'image' is not valid base64"),
    ("bad base64 padding", {"image": "iVBORw0KGgo"}, r"item 1: 'image' is not valid base64"),
    ("a data URL", {"image": "data:image/png;base64," + png_item()["image"]},
     r"not valid base64; .* without the 'data:...;base64,' prefix of a data URL"),
    ("base64 of text", {"image": base64.b64encode(b"hello").decode()},
     r"item 1's image is not a PNG file that can be read: send a grayscale PNG of 8x8 pixels"),
    ("a JPEG", png_item(image_format="JPEG"), r"item 1's image is not a PNG file"),
    ("a truncated PNG", {"image": png_item()["image"][:60]},
     r"item 1's image (cannot be decoded|is not a PNG)"),
    ("a 16x16 PNG", png_item(size=(16, 16)),
     r"item 1's image is 16x16 pixels, not the 8x8 that the model takes: send"),
    ("a 28x28 PNG", png_item(size=(28, 28)), r"item 1's image is 28x28 pixels"),
    ("63 pixels", [1] * 63, r"item 1 has 63 pixel values; the model takes 8x8 images: 64 values"),
    ("65 pixels", [1] * 65, r"item 1 has 65 pixel values"),
    ("no pixels", [], r"item 1 has 0 pixel values"),
    ("a 17", [1] * 10 + [17] + [1] * 53,
     r"item 1, pixel 10 \(row 1, column 2\) is 17; pixel values run from 0 to 16"),
    ("a negative", [-1] + [1] * 63, r"item 1, pixel 0 \(row 0, column 0\) is -1"),
    ("a huge integer", [1] * 63 + [10 ** 400], r"item 1, pixel 63 \(row 7, column 7\) is 1000"),
    ("a huge float", [1] * 63 + [1e308], r"pixel 63 \(row 7, column 7\) is 1e\+308"),
    ("a string pixel", ["1"] * 64, r"item 1, pixel 0 \(row 0, column 0\): expected a number "
                                   r"0-16, got a string"),
    ("a bool pixel", [1] * 5 + [True] + [1] * 58, r"pixel 5 \(row 0, column 5\): expected a "
                                                  r"number 0-16, got true/false"),
    ("a null pixel", [None] * 64, r"got null"),
    ("a nested list", [[1] * 8] * 8, r"item 1 has 8 pixel values"),
    ("a NaN", [float("nan")] + [1] * 63, r"pixel 0 \(row 0, column 0\) is nan"),
    ("an infinity", [float("inf")] + [1] * 63, r"pixel 0 \(row 0, column 0\) is inf"),
    # A real 8x8 PNG whose IHDR length field is wrong: Pillow raises a bare ValueError.
    ("a damaged PNG header", {"image": "iVBORw0KGgoAAAADSUhEUgAAAAgAAAAICAAAAADhZOFXAAAAF0lEQV"
                                       "R4nGNkYIEARgUo4YVlBuMDKAMAR1gCmJsliJIAAAAASUVORK5CYII="},
     r"item 1's image cannot be opened"),
]


@pytest.mark.parametrize("item, message", [(item, message) for _, item, message in BAD_ITEMS],
                         ids=[name for name, _, _ in BAD_ITEMS])
def test_a_bad_item_is_a_client_error_naming_it(item, message):
    with pytest.raises(ClientError, match=message) as raised:
        items_to_pixels([LEVELS.tolist(), item], SHAPE)
    assert raised.value.status == 400
