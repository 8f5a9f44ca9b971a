"""Every model's entry script, serving its registered model through the inference server's
own app: the samples in testing/<model>/testing_samples/ are answered, a tampered model is
refused, a bad request gets a 4xx and serving goes on. A real azmlinfsrv process serving the
reference models is testing/shared_code/amltoolbox/serving/test_local_server.py's."""
import json
import shutil

import pytest
from serving_helpers import in_process_app, load_entry_script

from shared_code.amltoolbox.serving.local_server import lay_out_model
from shared_code.amltoolbox.serving.model_loading import (EXPECTED_SHA256_ENV_VAR,
                                                          MODEL_DIR_ENV_VAR, ModelChecksumError)
from shared_code.amltoolbox.serving.smoke_test import answer_problem, sample_files

pytestmark = pytest.mark.integration
JSON = "application/json"
# What every model's server answers whatever the entry script reads.
BAD_REQUESTS = {
    "not JSON": ("raw", (b"age=61&sex=1", JSON), 400, "could not be decoded as JSON"),
    "a PUT": ("method", "PUT", 405, "not allowed"),
}


@pytest.fixture(name="served_dir", scope="module")
def fixture_served_dir(record, tmp_path_factory):
    """Version 1 laid out as Azure ML gives a deployment its models: <dir>/<name>/1/."""
    return lay_out_model(record, tmp_path_factory.mktemp("served"))


@pytest.fixture(name="client", scope="module")
def fixture_client(pipeline, record, served_dir):
    """A client of the server's own Flask app serving version 1, checksum checked."""
    with in_process_app(pipeline.CONFIG.layout.entry_script, served_dir, record.sha256) as app:
        yield app.test_client()


@pytest.fixture(name="entry")
def fixture_entry(pipeline, served_dir, monkeypatch):
    """The entry script imported as the server imports it, before init()."""
    monkeypatch.setenv(MODEL_DIR_ENV_VAR, str(served_dir))
    monkeypatch.delenv(EXPECTED_SHA256_ENV_VAR, raising=False)
    return load_entry_script(pipeline.CONFIG.layout.entry_script)


def _first_sample(model: str) -> dict:
    return json.loads(sample_files(model)[0].read_text(encoding="utf-8"))


def test_every_testing_sample_gets_a_well_formed_answer(model, pipeline, client):
    samples = sample_files(model)
    assert len(samples) >= 2
    for sample in samples:
        body = json.loads(sample.read_text(encoding="utf-8"))
        answer = client.post("/score", json=body)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        assert answer_problem(answer.get_json(), len(body["data"]),
                              pipeline.CONFIG.model_name) is None


@pytest.mark.parametrize("case", BAD_REQUESTS)
def test_a_bad_request_gets_a_4xx_that_says_what_was_wrong_and_serving_goes_on(model, client,
                                                                               case):
    how, what, status, fragment = BAD_REQUESTS[case]
    if how == "raw":
        answer = client.post("/score", data=what[0], content_type=what[1])
    else:
        answer = client.open("/score", method=what)
    assert answer.status_code == status, answer.get_data(as_text=True)
    assert fragment in answer.get_json()["message"]
    assert client.get("/").status_code == 200
    assert client.post("/score", json=_first_sample(model)).status_code == 200


def test_the_flat_layout_serves_the_registry_folder_as_name_and_version(model, entry, record,
                                                                         monkeypatch):
    monkeypatch.setenv(MODEL_DIR_ENV_VAR, str(record.path))
    monkeypatch.setenv(EXPECTED_SHA256_ENV_VAR, record.sha256)
    entry.init()
    assert entry.run(_first_sample(model)["data"])["model"] == record.id


def test_a_tampered_model_is_refused_at_init(entry, served_dir, record, tmp_path, monkeypatch):
    tampered = shutil.copytree(served_dir, tmp_path / "tampered")
    changed = sorted(p for p in (tampered / record.name / "1").rglob("*") if p.is_file())[0]
    changed.write_bytes(changed.read_bytes() + b" ")
    monkeypatch.setenv(MODEL_DIR_ENV_VAR, str(tampered))
    monkeypatch.setenv(EXPECTED_SHA256_ENV_VAR, record.sha256)
    with pytest.raises(ModelChecksumError, match=f"refusing to serve {record.id}.*{record.sha256}"):
        entry.init()
