"""model_a's entry script through the inference server's own app, and once a real azmlinfsrv."""
import dataclasses
import json
import shutil

import numpy as np
import pytest

from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.model_io import INFO_FILE, load_model
from shared_code.amltoolbox.serving.in_process import in_process_app, load_entry_script
from shared_code.amltoolbox.serving.local_server import (entry_script_of, lay_out_model,
                                                         running_server)
from shared_code.amltoolbox.serving.model_loading import (EXPECTED_SHA256_ENV_VAR,
                                                          MODEL_DIR_ENV_VAR, ModelChecksumError,
                                                          ModelLoadError)
from shared_code.amltoolbox.serving.smoke_test import answer_problem, sample_files, smoke_test
from shared_code.amltoolbox.serving.validation import DEFAULT_MAX_ROWS

from model_a.aml_pipeline import CONFIG
from model_a.script_steps.train_tabular import MODEL_DIR

ENTRY_SCRIPT = entry_script_of("model_a")
NAME = CONFIG.model_name  # the registered name, which a copied model's tests take from its config
ROW = {"age": 61.0, "sex": 1.0, "bmi": 25.8, "bp": 90.0, "s1": 280.0, "s2": 195.4, "s3": 55.0,
       "s4": 5.0, "s5": 4.9972, "s6": 90.0}
ROW_JSON = json.dumps(ROW)
JSON = "application/json"


def _with(**changes) -> dict:
    return {"data": [{**ROW, **changes}]}


def _without(*columns) -> dict:
    return {"data": [{k: v for k, v in ROW.items() if k not in columns}]}


def _raw(value: str) -> bytes:
    """A one-row body whose age is written as `value`, verbatim."""
    return ('{"data": [' + ROW_JSON.replace('"age": 61.0', f'"age": {value}') + "]}").encode()


# Each: how to send it (json body, raw bytes with a content type, or another method),
# the 4xx expected and a piece of the message saying what was wrong.
BAD_REQUESTS = {
    "not JSON": ("raw", (b"age=61&sex=1", JSON), 400, "could not be decoded as JSON"),
    "empty body": ("raw", (b"", JSON), 400, "body is empty"),
    "text content type": ("raw", (ROW_JSON.encode(), "text/plain"), 415, "application/json"),
    "form content type": ("raw", (b"data=1", "application/x-www-form-urlencoded"), 415,
                          "application/json"),
    "body is a list": ("json", [ROW], 400, "JSON dictionary"),
    "no data key": ("json", {"rows": [ROW]}, 400, "'data'"),
    "data is one row, not a list": ("json", {"data": ROW}, 400, "must be a JSON list"),
    "data is a string": ("json", {"data": "61,1,25.8"}, 400, "not a string"),
    "data is null": ("json", {"data": None}, 400, "not null"),
    "data is an empty list": ("json", {"data": []}, 400, "empty list"),
    "a row is a list of values": ("json", {"data": [list(ROW.values())]}, 400, "row 0 is a list"),
    "a row is a number": ("json", {"data": [61.0]}, 400, "row 0 is a number"),
    "a missing column": ("json", _without("bmi"), 400, "missing the column(s) bmi;"),
    "several missing columns": ("json", _without("s1", "s6"), 400, "missing the column(s) s1, s6"),
    "an extra column": ("json", _with(weight=80), 400, "unknown column(s) weight"),
    "a misspelt column": ("json", {"data": [{**_without("bmi")["data"][0], "BMI": 25.8}]}, 400,
                          "missing the column(s) bmi and has unknown column(s) BMI"),
    "a string": ("json", _with(age="61"), 400, "column 'age': expected a number, got a string"),
    "null": ("json", _with(bp=None), 400, "column 'bp': expected a number, got null"),
    "NaN": ("raw", (_raw("NaN"), JSON), 400, "NaN is not a finite number"),
    "infinity": ("raw", (_raw("Infinity"), JSON), 400, "Infinity is not a finite number"),
    "minus infinity": ("raw", (_raw("-Infinity"), JSON), 400, "-Infinity is not a finite"),
    "overflowing float": ("raw", (_raw("1e999"), JSON), 400, "Infinity is not a finite number"),
    "a bool": ("json", _with(sex=True), 400, "column 'sex': expected a number, got true/false"),
    "a nested object": ("json", _with(s5={"value": 4.9}), 400, "got an object"),
    "a nested list": ("json", _with(s5=[4.9]), 400, "got a list"),
    "a huge float": ("json", _with(s1=1e300), 400, "1e+300 is too large"),
    "a huge integer": ("json", _with(s1=10 ** 400), 400, "is too large"),
    "an integer of 5,000 digits": ("raw", (_raw("9" * 5000), JSON), 400,
                                   "could not be decoded as JSON"),
    "not UTF-8": ("raw", (b'{"data": [{"age": "\xff"}]}', JSON), 400, "could not be decoded"),
    "nested 5,000 deep": ("raw", (_raw("[" * 5000 + "]" * 5000), JSON), 400,
                          "could not be decoded as JSON"),
    "a bad second row": ("json", {"data": [ROW, {**ROW, "bmi": "x"}]}, 400, "row 1, column 'bmi'"),
    "too many rows": ("json", {"data": [ROW] * (DEFAULT_MAX_ROWS + 1)}, 413, "at most 10,000"),
    "a 10 MB body": ("json", {"data": [ROW] * 75_000}, 413, "75,000 rows"),
    "a PUT": ("method", "PUT", 405, "not allowed"),
    "a GET without data": ("method", "GET", 400, "'data'"),
}


@pytest.fixture(name="record", scope="module")
def fixture_record(model_a_workspace):
    """model_a:1 as the real pipeline registered it."""
    workspace = LocalWorkspace(model_a_workspace)
    try:
        return workspace.models.get(NAME, 1)
    finally:
        workspace.close()


@pytest.fixture(name="served_dir", scope="module")
def fixture_served_dir(record, tmp_path_factory):
    """model_a:1 laid out as Azure ML gives a deployment its models: <dir>/model_a/1/."""
    return lay_out_model(record, tmp_path_factory.mktemp("served"))


@pytest.fixture(name="client", scope="module")
def fixture_client(record, served_dir):
    """A client of the server's own Flask app serving model_a:1, checksum checked."""
    with in_process_app(ENTRY_SCRIPT, served_dir, record.sha256) as app:
        yield app.test_client()


@pytest.fixture(name="entry")
def fixture_entry(served_dir, monkeypatch):
    """The entry script imported as the server imports it, before init()."""
    monkeypatch.setenv(MODEL_DIR_ENV_VAR, str(served_dir))
    monkeypatch.delenv(EXPECTED_SHA256_ENV_VAR, raising=False)
    return load_entry_script(ENTRY_SCRIPT)


def _send(client, how: str, what):
    if how == "json":
        return client.post("/score", json=what)
    if how == "raw":
        body, content_type = what
        return client.post("/score", data=body, content_type=content_type)
    return client.open("/score", method=what)


def _sample(name: str) -> dict:
    return json.loads(next(p for p in sample_files("model_a") if p.name == name).read_text())


@pytest.mark.integration
def test_a_patient_is_scored_as_the_model_itself_scores_them(client, record):
    answer = client.post("/score", json={"data": [ROW, ROW]})
    assert answer.status_code == 200
    model, info = load_model(record.path)
    expected = model.predict(np.array([[ROW[f] for f in info["features"]]] * 2))
    assert answer.get_json() == {"predictions": expected.tolist(), "model": "model_a:1"}


@pytest.mark.integration
def test_every_testing_sample_gets_a_well_formed_answer(client):
    samples = sample_files("model_a")
    assert len(samples) >= 3
    for sample in samples:
        body = json.loads(sample.read_text(encoding="utf-8"))
        answer = client.post("/score", json=body)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        assert answer_problem(answer.get_json(), len(body["data"]), NAME) is None


@pytest.mark.integration
@pytest.mark.parametrize("case", BAD_REQUESTS)
def test_a_bad_request_gets_a_4xx_that_says_what_was_wrong_and_serving_goes_on(client, case):
    how, what, status, fragment = BAD_REQUESTS[case]
    answer = _send(client, how, what)
    assert answer.status_code == status, answer.get_data(as_text=True)
    assert fragment in answer.get_json()["message"]
    assert client.get("/").status_code == 200
    assert client.post("/score", json=_sample("one_patient.json")).status_code == 200


def test_there_are_at_least_25_kinds_of_bad_request():
    assert len(BAD_REQUESTS) >= 25


@pytest.mark.integration
def test_swagger_documents_input_and_output_with_examples_of_the_trained_columns(client, record):
    definitions = client.get("/swagger.json").get_json()["definitions"]
    _, info = load_model(record.path)
    row_schema = definitions["ServiceInput"]["properties"]["data"]["items"]
    assert row_schema["required"] == info["features"]
    assert all(row_schema["properties"][f]["type"] == "number" for f in info["features"])
    assert list(definitions["ServiceInput"]["example"]["data"][0]) == info["features"]
    example = definitions["ServiceOutput"]["example"]
    assert answer_problem(example, 1, NAME) is None


@pytest.mark.integration
def test_the_flat_layout_serves_the_registry_folder_as_name_and_version(entry, record,
                                                                         monkeypatch):
    monkeypatch.setenv(MODEL_DIR_ENV_VAR, str(record.path))
    monkeypatch.setenv(EXPECTED_SHA256_ENV_VAR, record.sha256)
    entry.init()
    assert entry.run([ROW])["model"] == "model_a:1"


@pytest.mark.integration
def test_a_tampered_model_is_refused_at_init(entry, served_dir, record, tmp_path, monkeypatch):
    tampered = shutil.copytree(served_dir, tmp_path / "tampered")
    info_file = tampered / NAME / "1" / INFO_FILE
    info_file.write_text(info_file.read_text(encoding="utf-8") + " ", encoding="utf-8")
    monkeypatch.setenv(MODEL_DIR_ENV_VAR, str(tampered))
    monkeypatch.setenv(EXPECTED_SHA256_ENV_VAR, record.sha256)
    with pytest.raises(ModelChecksumError, match=f"refusing to serve model_a:1.*{record.sha256}"):
        entry.init()


@pytest.mark.integration
def test_a_model_without_its_feature_list_is_refused_at_init(entry, served_dir, tmp_path,
                                                            monkeypatch):
    copy = shutil.copytree(served_dir, tmp_path / "no_features")
    info_file = copy / NAME / "1" / INFO_FILE
    info = json.loads(info_file.read_text(encoding="utf-8"))
    info_file.write_text(json.dumps({**info, "features": []}), encoding="utf-8")
    monkeypatch.setenv(MODEL_DIR_ENV_VAR, str(copy))
    with pytest.raises(ModelLoadError, match="lists no features"):
        entry.init()


@pytest.mark.integration
def test_the_row_limit_comes_from_model_config(entry, mocker):
    config = load_model_config(MODEL_DIR)
    mocker.patch.object(entry, "load_model_config",
                        return_value=dataclasses.replace(config, serving={"max_rows": 2}))
    entry.init()
    assert len(entry.run([ROW, ROW])["predictions"]) == 2
    answer = entry.run([ROW] * 3)
    assert answer.status_code == 413
    assert "at most 2" in answer.get_json()["message"]


def test_the_swagger_example_row_has_the_configured_features(entry):
    features = load_model_config(MODEL_DIR).training["features"]
    assert list(entry.EXAMPLE_ROW) == features
    assert answer_problem(entry.EXAMPLE_ANSWER, 1, NAME) is None


@pytest.mark.integration
def test_a_real_azmlinfsrv_process_on_loopback_passes_the_smoke_test(record, tmp_path):
    with running_server("model_a", record, workers=1, serving_root=tmp_path) as url:
        assert url.startswith("http://127.0.0.1:")
        ok, verdict = smoke_test("model_a", url)
        assert ok, verdict
        assert "model_a:1" in verdict
        bad_ok, bad_verdict = smoke_test("model_a", url + "/nowhere")
    assert not bad_ok
    assert "HTTP 404" in bad_verdict
