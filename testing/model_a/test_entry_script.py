"""This model's entry script through the inference server's own app: its columns, its bad
requests, its swagger. What every entry script must do is tested in
testing/model_kit/test_entry_script.py."""
import json
import shutil

import numpy as np
import pytest
import yaml
from testing_helpers import load_samples
from serving_helpers import in_process_app, load_entry_script

from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.model_io import INFO_FILE, load_model
from shared_code.amltoolbox.serving.local_server import entry_script_of, lay_out_model
from shared_code.amltoolbox.serving.model_loading import (EXPECTED_SHA256_ENV_VAR,
                                                          MODEL_DIR_ENV_VAR, ModelLoadError)
from shared_code.amltoolbox.serving.smoke_test import answer_problem, sample_files
from shared_code.amltoolbox.serving.validation import max_body_bytes_setting

from model_a.aml_pipeline import CONFIG

REQUESTS = load_samples(__file__, "samples_requests")
ROW, BAD_REQUESTS, JSON = REQUESTS.ROW, REQUESTS.BAD_REQUESTS, REQUESTS.JSON
MODEL_DIR = CONFIG.folder

ENTRY_SCRIPT = entry_script_of("model_a")
NAME = CONFIG.model_name  # the registered name, which a copied model's tests take from its config
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
def test_the_row_limit_comes_from_model_config(served_dir, tmp_path, monkeypatch):
    copy = tmp_path / MODEL_DIR.name  # the script and what serving reads beside it
    shutil.copytree(MODEL_DIR / "config", copy / "config")
    (copy / "script_steps").mkdir()
    shutil.copy(MODEL_DIR / "script_steps" / "register.py", copy / "script_steps")
    config_file = copy / "config" / "model_config.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config_file.write_text(yaml.safe_dump({**config, "serving": {"max_rows": 2}}),
                           encoding="utf-8")
    monkeypatch.setenv(MODEL_DIR_ENV_VAR, str(served_dir))
    monkeypatch.delenv(EXPECTED_SHA256_ENV_VAR, raising=False)
    entry = load_entry_script(copy / "config" / "entry_script.py")
    entry.init()
    assert len(entry.run([ROW, ROW])["predictions"]) == 2
    answer = entry.run([ROW] * 3)
    assert answer.status_code == 413
    assert "at most 2" in answer.get_json()["message"]


@pytest.mark.integration
def test_without_model_info_the_model_is_served_on_its_own_feature_names(entry, served_dir,
                                                                         tmp_path, monkeypatch):
    copy = shutil.copytree(served_dir, tmp_path / "no_info")
    (copy / NAME / "1" / INFO_FILE).unlink()
    entry.init()
    with_info = entry.run([ROW])
    monkeypatch.setenv(MODEL_DIR_ENV_VAR, str(copy))
    entry.init()
    assert entry.run([ROW]) == with_info


@pytest.mark.integration
def test_the_scripts_own_init_keeps_the_protections_when_run_without_serve(record, served_dir):
    limit = max_body_bytes_setting(CONFIG.serving)
    with in_process_app(ENTRY_SCRIPT, served_dir, record.sha256, as_served=False) as app:
        client = app.test_client()
        too_large = client.post("/score", data=b"1" * (limit + 1), content_type=JSON)
        not_utf8 = client.post("/score", data=b'{"data": [{"age": "\xff"}]}', content_type=JSON)
    assert too_large.status_code == 413 and "larger than" in too_large.get_json()["message"]
    assert not_utf8.status_code == 400
    assert "could not be decoded" in not_utf8.get_json()["message"]


def test_the_swagger_example_row_has_the_configured_features(entry):
    features = load_model_config(MODEL_DIR).training["features"]
    assert list(entry.EXAMPLE_ROW) == features
    assert answer_problem(entry.EXAMPLE_ANSWER, 1, NAME) is None
