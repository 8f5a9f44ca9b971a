"""model_b's entry script: digits from PNGs or pixel lists, and a 4xx for every bad request."""
import base64
import json
import shutil

import numpy as np
import pytest
from testing_helpers import load_samples, samples_dir
from serving_helpers import in_process_app, load_entry_script

from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.model_io import INFO_FILE
from shared_code.amltoolbox.serving.local_server import lay_out_model
from shared_code.amltoolbox.serving.model_loading import MODEL_DIR_ENV_VAR, ModelLoadError

from model_b.aml_pipeline import CONFIG

ENTRY_SCRIPT = CONFIG.folder / "config" / "entry_script.py"
REQUESTS = load_samples(__file__, "samples_requests")
SAMPLES, BAD_REQUESTS = REQUESTS.SAMPLE_DIGITS, REQUESTS.BAD_REQUESTS


def sample_request(name: str) -> dict:
    """A request body kept in testing/model_b/testing_samples/."""
    return json.loads(samples_dir(__file__).joinpath(name).read_text(encoding="utf-8"))


@pytest.fixture(name="served_dir")
def fixture_served_dir(tmp_path, model_dir, monkeypatch):
    """The small trained model laid out as Azure ML gives a deployment: <dir>/model_b/1/."""
    served = tmp_path / "azureml-models"
    shutil.copytree(model_dir, served / CONFIG.model_name / "1")
    monkeypatch.setenv(MODEL_DIR_ENV_VAR, str(served))
    return served


@pytest.fixture(name="entry")
def fixture_entry(served_dir):  # pylint: disable=unused-argument
    """The entry script, imported as the server imports it, after init()."""
    module = load_entry_script(ENTRY_SCRIPT)
    module.init()
    return module


def answer_of(response) -> tuple[int, dict]:
    """A run() result as (status, body), whether a plain answer or a 4xx response."""
    if isinstance(response, dict):
        return 200, response
    return response.status_code, json.loads(response.get_data(as_text=True))


@pytest.mark.parametrize("name", SAMPLES)
def test_the_samples_get_a_digit_and_ten_probabilities_per_image(entry, name):
    items = sample_request(name)["data"]
    status, answer = answer_of(entry.run(items))
    assert status == 200 and set(answer) == {"predictions", "probabilities", "model"}
    assert answer["model"] == "model_b:1"
    assert len(answer["predictions"]) == len(items)
    assert all(isinstance(digit, int) and 0 <= digit <= 9 for digit in answer["predictions"])
    probabilities = np.array(answer["probabilities"])
    assert probabilities.shape == (len(items), 10)
    assert np.allclose(probabilities.sum(axis=1), 1)
    assert probabilities.argmax(axis=1).tolist() == answer["predictions"]


def test_the_swagger_examples_are_a_valid_request_and_answer(entry):
    status, answer = answer_of(entry.run([entry.EXAMPLE_ITEM]))
    assert status == 200
    assert set(answer) == set(entry.EXAMPLE_ANSWER)
    assert len(entry.EXAMPLE_ANSWER["probabilities"][0]) == len(answer["probabilities"][0]) == 10


@pytest.mark.parametrize("data, status, message", [case[1:] for case in BAD_REQUESTS],
                         ids=[case[0] for case in BAD_REQUESTS])
def test_a_bad_request_gets_a_4xx_saying_what_was_wrong(entry, data, status, message):
    answered, body = answer_of(entry.run(data))
    assert answered == status
    assert message in body["message"]


def test_a_model_without_its_image_shape_is_refused_at_init(served_dir):
    info_file = served_dir / CONFIG.model_name / "1" / INFO_FILE
    info = json.loads(info_file.read_text(encoding="utf-8"))
    del info["image_size"]
    info_file.write_text(json.dumps(info), encoding="utf-8")
    module = load_entry_script(ENTRY_SCRIPT)
    with pytest.raises(ModelLoadError, match="model_info.json does not give the image_size"):
        module.init()


@pytest.fixture(name="registered_app", scope="module")
def fixture_registered_app(model_b_workspace, tmp_path_factory):
    """The server's own app serving model_b:1 from the pipeline's registry, laid out as
    `tox -e serve` lays it out, checksum checked."""
    workspace = LocalWorkspace(model_b_workspace)
    record = workspace.models.get(CONFIG.model_name, 1)
    workspace.close()
    served = lay_out_model(record, tmp_path_factory.mktemp("served"))
    with in_process_app(ENTRY_SCRIPT, served, record.sha256) as app:
        yield app.test_client(), record


@pytest.mark.integration
def test_the_registered_model_reads_real_pngs_and_pixel_lists(registered_app):
    client, record = registered_app
    for name, digits in SAMPLES.items():
        response = client.post("/score", json=sample_request(name))
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.get_json()["predictions"] == digits
        assert response.get_json()["model"] == record.id


@pytest.mark.integration
def test_a_png_from_the_registered_testing_data_scores_and_bad_input_leaves_it_serving(
        registered_app, model_b_workspace):
    client, _ = registered_app
    workspace = LocalWorkspace(model_b_workspace)
    testing = workspace.datasets.get("classification-digits-testing-01").path
    workspace.close()
    png = sorted((testing / "6").glob("*.png"))[0]
    request = {"data": [{"image": base64.b64encode(png.read_bytes()).decode("ascii")}]}
    bad = client.post("/score", json={"data": [{"image": "%%%"}]})
    assert bad.status_code == 400 and "not valid base64" in bad.get_json()["message"]
    response = client.post("/score", json=request)
    assert response.status_code == 200 and response.get_json()["predictions"] == [6]
    assert client.get("/").status_code == 200


@pytest.mark.integration
def test_swagger_documents_the_image_request_with_its_example(registered_app):
    client, _ = registered_app
    swagger = client.get("/swagger.json").get_data(as_text=True)
    assert '"image": "iVBORw0KGgo' in swagger and '"probabilities"' in swagger
