"""Post a model's testing samples (testing/<model>/testing_samples/*.json) to a running
scoring service, local or deployed, and check each answer has the standard's shape:
{"predictions": [a finite number per row], "model": "name:version"}, maybe more lists per row.
"""
import json
import math
import urllib.error
import urllib.parse
from pathlib import Path
from typing import Any

from ..model_config import load_model_config
from ..layout import model_folder
from ..paths import REPO_ROOT

TESTING_DIR = REPO_ROOT / "testing"
SAMPLES_DIR_NAME = "testing_samples"
TIMEOUT_SECONDS = 30


def scoring_url(url: str) -> str:
    """The scoring endpoint: `url` itself, or its /score when it names only the server."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"'{url}' is not an http(s) URL; give e.g. http://127.0.0.1:5001/score")
    return url.rstrip("/") + "/score" if parts.path in ("", "/") else url


def samples_dir(model: str) -> Path:
    """Where a model's sample requests are: testing/<model>/testing_samples/."""
    return TESTING_DIR / model / SAMPLES_DIR_NAME


def sample_files(model: str) -> list[Path]:
    """The model's sample requests, in name order."""
    return sorted(samples_dir(model).glob("*.json"))


def answer_problem(answer: Any, rows: int, model_name: str) -> str | None:
    """What is wrong with an answer to a request of `rows` rows, or None."""
    if not isinstance(answer, dict) or not {"predictions", "model"} <= set(answer):
        keys = sorted(answer) if isinstance(answer, dict) else type(answer).__name__
        return f"expected an object with 'predictions' and 'model', got {keys}"
    for key in sorted(set(answer) - {"predictions", "model"}):
        if not isinstance(answer[key], list) or len(answer[key]) != rows:
            return f"'{key}' is not a list of one entry per row"
    predictions, model_id = answer["predictions"], answer["model"]
    if not isinstance(predictions, list) or len(predictions) != rows:
        count = len(predictions) if isinstance(predictions, list) else type(predictions).__name__
        return f"expected {rows} prediction(s), one per row, got {count}"
    for index, value in enumerate(predictions):
        if (isinstance(value, bool) or not isinstance(value, (int, float))
                or not math.isfinite(value)):
            return f"prediction {index} is {value!r}, not a finite number"
    name, _, version = str(model_id).rpartition(":")
    if name != model_name or not version.isdigit():
        return f"'model' is {model_id!r}; expected {model_name}:<version>"
    return None


def post_json(url: str, body: Any, api_key: str | None = None) -> tuple[int, Any]:
    """POST `body` as JSON (with the service's key, if any); the status and the decoded
    answer (its text if not JSON)."""
    from urllib.request import Request, urlopen  # here: the CLI's start-up need not load http
    headers = {"Content-Type": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    request = Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers=headers)
    try:
        with urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            status, text = response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode("utf-8", "replace")
    try:
        return status, json.loads(text)
    except json.JSONDecodeError:
        return status, text


class _Failure(Exception):
    """Why the smoke test failed, in one line."""


def _check_sample(url: str, sample: Path, model_name: str, api_key: str | None) -> dict:
    """The service's well-formed answer to one sample request, or a _Failure."""
    try:
        body = json.loads(sample.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise _Failure(f"{sample} is not valid JSON: {error}") from None
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise _Failure(f'{sample} is not a request: expected {{"data": [...]}}')
    try:
        status, answer = post_json(url, body, api_key)
    except (urllib.error.URLError, OSError) as error:
        raise _Failure(f"cannot reach {url}: {getattr(error, 'reason', error)}") from None
    if status != 200:
        message = answer.get("message", answer) if isinstance(answer, dict) else answer
        raise _Failure(f"{sample.name} got HTTP {status}: {message}")
    problem = answer_problem(answer, len(body["data"]), model_name)
    if problem:
        raise _Failure(f"{sample.name}: {problem}")
    return answer


def smoke_test(model: str, url: str, api_key: str | None = None) -> tuple[bool, str]:
    """Post every sample of `model` to the service at `url` (with `api_key` as a bearer
    token when the service has auth on): ok, and a one-line verdict."""
    model_name = load_model_config(model_folder(model)).model_name
    try:
        url = scoring_url(url)
        samples = sample_files(model)
        if not samples:
            raise _Failure(f"no sample requests in {samples_dir(model)}; add *.json files "
                           'holding {"data": [...]}')
        answers = [_check_sample(url, sample, model_name, api_key) for sample in samples]
    except (_Failure, ValueError) as failure:  # ValueError: a URL that is not http(s)
        return False, f"FAIL {model}: {' '.join(str(failure).split())}"  # on one line
    served = ", ".join(sorted({answer["model"] for answer in answers}))
    predictions = sum(len(answer["predictions"]) for answer in answers)
    return True, (f"PASS {model}: {len(samples)} sample(s), {predictions} prediction(s) from "
                  f"{served} at {url}")
