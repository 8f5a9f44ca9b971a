"""A plain entry script served through `serve`: init() loads a pickle from AZUREML_MODEL_DIR,
run(data) returns predictions, no toolbox import and no model_config.yml. The server side
still refuses an oversized body with a 413 that every common client reads, and answers a
body that is not JSON with a 400."""
import http.client
import json
import pickle
import urllib.error
import urllib.request

import pytest
import requests
from process_helpers import PATIENCE_SECONDS
from serving_helpers import running_server
from sklearn.linear_model import LinearRegression

from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.serving import local_server
from shared_code.amltoolbox.serving.validation import max_body_bytes_setting

MODEL = "plain_model"
PLAIN_SCRIPT = '''
import json
import os
import pickle

model = None


def init():
    global model
    for folder, _, files in os.walk(os.environ["AZUREML_MODEL_DIR"]):
        if "model.pkl" in files:
            with open(os.path.join(folder, "model.pkl"), "rb") as file:
                model = pickle.load(file)


def run(data):
    rows = json.loads(data)["data"]
    return {"predictions": model.predict(rows).tolist()}
'''
DEFAULT_LIMIT = max_body_bytes_setting({})  # the folder has no config/model_config.yml
OVERSIZED = b"1" * (DEFAULT_LIMIT + 2**20)
JSON_HEADERS = {"Content-Type": "application/json"}


@pytest.fixture(name="url", scope="module")
def fixture_url(tmp_path_factory):
    """The plain model folder's registered model (y = 2x + 1), served by a real azmlinfsrv
    as `serve` starts it."""
    root = tmp_path_factory.mktemp("plain")
    folder = root / MODEL
    (folder / "config").mkdir(parents=True)
    (folder / "config" / "entry_script.py").write_text(PLAIN_SCRIPT, encoding="utf-8")
    artifact = root / "artifact"
    artifact.mkdir()
    model = LinearRegression().fit([[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0])
    (artifact / "model.pkl").write_bytes(pickle.dumps(model))
    workspace = LocalWorkspace(root / "workspace")
    record = workspace.models.register(MODEL, artifact)[0]
    workspace.close()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(local_server, "model_folder", lambda name: folder)
        with running_server(MODEL, record, workers=1, serving_root=root / "serving") as url:
            yield url


def _score(url: str, body: bytes) -> tuple[int, dict]:
    request = urllib.request.Request(f"{url}/score", data=body, headers=JSON_HEADERS)
    try:
        with urllib.request.urlopen(request, timeout=PATIENCE_SECONDS) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_the_plain_script_scores(url):
    status, answer = _score(url, json.dumps({"data": [[3.0]]}).encode())
    assert status == 200 and answer["predictions"] == pytest.approx([7.0])


@pytest.mark.parametrize("body", [b"age=61&sex=1", b"", b'{"data": [[1.0]', b'"\xff"',
                                  b"[" * 5000 + b"]" * 5000])
def test_a_body_that_is_not_json_gets_a_400_and_serving_goes_on(url, body):
    status, answer = _score(url, body)
    assert status == 400, answer
    assert "could not be decoded as JSON" in answer["message"]
    assert _still_serving(url)


def _still_serving(url: str) -> bool:
    status, answer = _score(url, b'{"data": [[0.0]]}')
    return status == 200 and answer["predictions"] == pytest.approx([1.0])


def _by_urllib(url: str) -> tuple[int, dict]:
    return _score(url, OVERSIZED)


def _by_requests(url: str) -> tuple[int, dict]:
    answer = requests.post(f"{url}/score", data=OVERSIZED, headers=JSON_HEADERS,
                           timeout=PATIENCE_SECONDS)
    return answer.status_code, answer.json()


def _by_requests_chunked(url: str) -> tuple[int, dict]:
    pieces = (OVERSIZED[start:start + 2**16] for start in range(0, len(OVERSIZED), 2**16))
    answer = requests.post(f"{url}/score", data=pieces, headers=JSON_HEADERS,
                           timeout=PATIENCE_SECONDS)
    return answer.status_code, answer.json()


def _by_http_client(url: str) -> tuple[int, dict]:
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=PATIENCE_SECONDS)
    try:
        connection.request("POST", "/score", body=OVERSIZED, headers=JSON_HEADERS)
        answer = connection.getresponse()
        return answer.status, json.loads(answer.read())
    finally:
        connection.close()


@pytest.mark.parametrize("post", [_by_urllib, _by_requests, _by_requests_chunked,
                                  _by_http_client])
def test_every_common_client_reads_the_413_of_a_body_over_the_default_limit(url, post):
    status, answer = post(url)
    assert status == 413
    assert answer["message"].startswith(f"the request body is larger than {DEFAULT_LIMIT:,} bytes")
    assert _still_serving(url)
