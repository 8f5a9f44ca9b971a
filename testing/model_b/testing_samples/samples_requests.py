"""This model's scoring requests for the tests: the digits in the sample files beside this
module, and every bad request with the 4xx it must get and a piece of its message."""
import base64

# The *.json request files the smoke test posts, and the true digits of their images.
SAMPLE_DIGITS = {"png_images.json": [3, 7, 0], "pixel_lists.json": [5, 8]}

TOO_MANY = [[0] * 64] * 1001
BAD_REQUESTS = [
    ("data not a list", "a png", 400, "'data' must be a JSON list"),
    ("no images", [], 400, "'data' is an empty list"),
    ("not base64", [{"image": "not base64!"}], 400, "item 0: 'image' is not valid base64"),
    ("not a png", [{"image": base64.b64encode(b"GIF89a....").decode()}], 400,
     "item 0's image is not a PNG file"),
    ("wrong size", [{"image": "iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAAAAAA6mKC9AAAAEElEQVR4nGNgGAWj"
                              "YBQMBQAAEAABMa8TzgAAAABJRU5ErkJggg=="}], 400,
     "item 0's image is 16x16 pixels, not the 8x8"),
    ("out of range", [[0] * 63 + [16.5]], 400, "item 0, pixel 63 (row 7, column 7) is 16.5"),
    ("wrong count", [[0] * 60], 400, "item 0 has 60 pixel values"),
    ("too many images", TOO_MANY, 400, "'data' has 1,001 images; at most 1,000"),
]
