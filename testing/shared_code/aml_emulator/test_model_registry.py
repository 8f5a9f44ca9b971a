"""The emulated model registry behind the real Model.register, Model(ws, name=...) and
model.download, as a step in an Azure ML job uses them."""
import json

import pytest
from azureml.core import Model

from shared_code.aml_emulator.model_management import registered_files
from shared_code.amltoolbox.hashing import tree_sha256
from shared_code.amltoolbox.model_io import CARD_FOLDER, INFO_FILE, MODEL_FILE, model_sha256
from shared_code.amltoolbox.model_config import ModelIdentity
from shared_code.amltoolbox.promotion.registration import REGISTERED_TAG, register_from_summary
from shared_code.amltoolbox.promotion.summary import SUMMARY_FILE
from shared_code.amltoolbox.run_context import get_registry, get_run_context
from shared_code.model_monitoring.registered_card import CARD_PROPERTY

pytestmark = pytest.mark.integration  # the real SDK, files through the emulated blob storage

TRAINING = {"train_data": "regression-t-training-01:3"}


def model_folder(parent, content: bytes = b"model bytes"):
    """A trained model's folder, as train writes it."""
    folder = parent / "model"
    folder.mkdir(parents=True)
    (folder / MODEL_FILE).write_bytes(content)
    (folder / INFO_FILE).write_text(json.dumps({"training_data": TRAINING}), encoding="utf-8")
    return folder


@pytest.fixture(name="workspace")
def fixture_workspace(job):  # pylint: disable=unused-argument  # the job's variables are set
    """The emulated workspace, as the step's run knows it."""
    return get_run_context().experiment.workspace


def test_a_model_registered_from_the_working_directory_comes_back_whole(job, workspace, tmp_path):
    folder = model_folder(job.working_directory)
    first = Model.register(workspace, model_path="model", model_name="model_t",
                           tags={"project": "t"}, properties={"rmse": "1.5"})
    (folder / MODEL_FILE).write_bytes(b"a better model")
    second = Model.register(workspace, model_path="model", model_name="model_t")
    assert [first.id, second.id] == ["model_t:1", "model_t:2"]

    latest = Model(workspace, name="model_t")
    assert (latest.id, latest.version) == ("model_t:2", 2)
    older = Model(workspace, name="model_t", version=1)
    assert (older.tags, older.properties) == ({"project": "t"}, {"rmse": "1.5"})
    downloaded = older.download(target_dir=str(tmp_path / "download"), exist_ok=True)
    assert (tmp_path / "download" / "model" / MODEL_FILE).read_bytes() == b"model bytes"
    assert downloaded == str(tmp_path / "download" / "model")
    [stored] = job.store.model_versions("model_t")[:1]
    assert set(registered_files(job.store, stored)) == {f"model/{INFO_FILE}",
                                                        f"model/{MODEL_FILE}"}


def test_model_register_refuses_a_folder_outside_the_working_directory(job, workspace, tmp_path):
    outside = model_folder(tmp_path / "downloaded")
    # azureml/core/model.py:636-643: what the register step met in Azure ML
    with pytest.raises(PermissionError, match="outside current working directory"):
        Model.register(workspace, model_path=str(outside), model_name="model_t")
    assert job.store.model_versions("model_t") == []


def test_register_step_registers_a_downloaded_model_with_its_lineage(job, tmp_path):
    model = ModelIdentity("model_t", "a test model", {"project": "t"})
    downloaded = model_folder(tmp_path / "INPUT_model")  # outside the working directory
    score = tmp_path / "INPUT_model_score"
    score.mkdir()
    (score / SUMMARY_FILE).write_text(json.dumps({
        "register_trained_model": True, "reason": "first", "primary_metric": "rmse",
        "metrics": {"rmse": 50.5}, "test_data": {"test_data": "regression-t-testing-01:1"},
        "trained_model_sha256": tree_sha256(downloaded)}), encoding="utf-8")
    run = get_run_context()
    assert register_from_summary(run, model, downloaded, score, get_registry()) == "model_t:1"
    run.flush()

    [registered] = job.store.model_versions("model_t")
    files = registered_files(job.store, registered)
    # The sha256 covers the model's files, not the card registered beside them.
    assert model_sha256(files[f"model/{MODEL_FILE}"].parent) == registered["properties"]["sha256"]
    assert registered["properties"][CARD_PROPERTY] == f"model/{CARD_FOLDER}/card.md"
    assert {f"model/{CARD_FOLDER}/{name}" for name in ("card.json", "card.md", "card.html")} \
        <= set(files)
    card = json.loads(files[f"model/{CARD_FOLDER}/card.json"].read_text(encoding="utf-8"))
    assert (card["model"]["id"], card["model"]["sha256"]) == ("model_t:1", tree_sha256(downloaded))
    assert card["evaluation"]["metrics"] == {"rmse": 50.5}
    training, testing = card["datasets"]
    assert (training["id"], training["type"]) == ("regression-t-training-01:3", "tabular")
    # Not registered in the emulated workspace: the card says so rather than failing.
    assert testing["id"] == "regression-t-testing-01:1" and "not described" in testing["note"]
    assert json.loads(registered["properties"]["training_data"]) == TRAINING
    assert json.loads(registered["properties"]["testing_data"]) == {
        "test_data": "regression-t-testing-01:1"}
    assert registered["properties"]["pipeline_run_id"] == job.pipeline_run_id
    assert registered["kvTags"] == {"project": "t", "rmse": "50.5"}
    assert not list(job.working_directory.iterdir())  # the staged copy is gone
    assert job.store.read("runs", job.run_id)["tags"][REGISTERED_TAG] == "model_t:1"


def test_the_champion_is_the_latest_registered_version_downloaded(job, workspace):
    folder = model_folder(job.working_directory)
    Model.register(workspace, model_path="model", model_name="model_t",
                   properties={"sha256": tree_sha256(folder)})
    champion = get_registry().find_champion("model_t")
    assert (champion.id, champion.sha256) == ("model_t:1", tree_sha256(folder))
    assert (champion.path / MODEL_FILE).read_bytes() == b"model bytes"


@pytest.mark.usefixtures("job")
def test_without_a_registered_version_there_is_no_champion():
    assert get_registry().find_champion("model_never_registered") is None
