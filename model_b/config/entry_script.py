"""This model's scoring script: init() loads the registered model, run() reads digits.

The Azure ML inference server (azmlinfsrv) runs it, in Azure ML and locally
(`tox -e serve -- model_b`). A request is {"data": [item, ...]}, each item one 8x8
grayscale image, either {"image": "<base64-encoded PNG>"} or the list of its 64 pixel
intensities 0-16, row by row. The answer is {"predictions": [digit, ...],
"probabilities": [[p0, ..., p9], ...], "model": "model_b:1"}, each image's ten
probabilities in the order of the digits 0 to 9. A bad request gets a 4xx with
{"message": ...}. What every model needs (loading, checksum, item and body limits, 4xx
answers) is in shared_code/amltoolbox/serving; reading images from a request is in
shared_code/image_utils.
"""
from pathlib import Path

from shared_code.amltoolbox import BAD_REQUEST, ModelLoadError, init_served_model, scoring_run
from shared_code.image_utils.image_requests import ImageShape, items_to_pixels

from model_b.model import image_shape

# A real image of a 3 from the testing data, and the model's answer: the /swagger.json examples.
# should-change: a real request item of your model, and its answer
EXAMPLE_ITEM = {"image": "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAAAAADhZOFXAAAAP0lEQVR4nCXIQQGAIAAEwXkY"
                         "gAhGsIFGIIIRiGATohiBCEQ5HuxvFjPzBa0nF6hJAWc+u3/s40lzUO+6PZJeLLOZEgSsd"
                         "dtrAAAAAElFTkSuQmCC"}
EXAMPLE_ANSWER = {"predictions": [3],
                  "probabilities": [[0.0, 0.0, 0.0137, 0.9259, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0603]],
                  "model": "model_b:1"}

_loaded: dict = {}  # what init() loads, once per server worker


def served_image_shape(info: dict, folder: Path) -> ImageShape:
    """The image size and pixel scale the served model was trained on (model_info.json)."""
    try:
        return image_shape(info)
    except (KeyError, TypeError, ValueError):
        raise ModelLoadError(f"{folder}/model_info.json does not give the image_size and "
                             "max_pixel_value the model takes: train and register the model "
                             "again (script_steps/train_file.py)") from None


def init() -> None:
    """Load the model once, refusing files whose sha256 differs from the registry's record."""
    served = init_served_model(__file__)
    _loaded.update(model=served.model, model_id=served.id,
                   shape=served_image_shape(served.info, served.folder))


# The server parses the JSON body and passes its "data", checked to be 1 to
# serving.max_rows images (too many: a 400); a ClientError from here is answered with its 4xx.
@scoring_run(EXAMPLE_ITEM, EXAMPLE_ANSWER, item="image", too_many_status=BAD_REQUEST)
def run(items: list) -> dict:
    """Digits and their probabilities for a list of images."""
    pixels = items_to_pixels(items, _loaded["shape"])
    model = _loaded["model"]
    probabilities = model.predict_proba(pixels)
    return {"predictions": model.classes_[probabilities.argmax(axis=1)].tolist(),
            "probabilities": probabilities.tolist(), "model": _loaded["model_id"]}
