"""model_a's and model_b's real step scripts under an emulation of Azure ML v2 command jobs:
the compiled job's command lines and environment variables, mltable over the staged data
assets, MLflow logging to a local store, and a folder standing in for the model registry
(testing/azure_v2_offline.py says what stands in for the service)."""
import json

import pandas as pd
import pytest

pytest.importorskip("azure.ai.ml", reason="the SDK v2 tests run in tox -e v2")

# pylint: disable=wrong-import-position
from azure_v2_offline import GIT_COMMIT_TAG_VALUE, CommandJobEmulator, FolderMLClient
from azureml_offline import refuse_connections

from shared_code.aml_sdk_v2.pipeline_job import build_pipeline_job
from shared_code.amltoolbox.local.dataset_preparation import local_dataset_path
from shared_code.amltoolbox.pipeline import load_pipeline
from shared_code.amltoolbox.promotion.summary import SUMMARY_FILE

pytestmark = pytest.mark.integration

# What train counts, and how many of them the training dataset's files hold.
TRAINING_COUNT = {"model_a": "training_rows", "model_b": "training_images"}
COUNT = {"model_a": lambda folder: sum(len(pd.read_csv(f)) for f in folder.rglob("*.csv")),
         "model_b": lambda folder: len(list(folder.rglob("*.png")))}
PRIMARY_METRIC = {"model_a": "rmse", "model_b": "f1_macro"}
IMAGE = {"model_a": "images/predicted_vs_actual.png", "model_b": "images/confusion_matrix.png"}


@pytest.fixture(name="emulated")
def fixture_emulated(tmp_path, monkeypatch):
    refuse_connections(monkeypatch)
    client = FolderMLClient(tmp_path / "registry")
    return CommandJobEmulator(tmp_path / "azure", monkeypatch, client), client


@pytest.mark.parametrize("model", ["model_a", "model_b"])
def test_train_evaluate_register_run_as_v2_jobs_and_register_once(model, emulated):
    emulator, client = emulated
    config, steps = load_pipeline(model)
    datasets = {spec.name: "1" for spec in config.datasets.values()}
    job = build_pipeline_job(config, steps, "an-experiment", config.compute_target, datasets)

    first = emulator.run_pipeline(config, steps, job)
    assert {step: status for step, (status, _, _) in first.items()} == \
        {"train": 0, "evaluate": 0, "register": 0}
    _, train_run, train_outputs = first["train"]
    assert (train_outputs["model"] / "model.pkl").is_file()
    _, evaluate_run, evaluate_outputs = first["evaluate"]
    summary = json.loads((evaluate_outputs["model_score"] / SUMMARY_FILE).read_text())
    assert summary["register_trained_model"] is True
    assert PRIMARY_METRIC[model] in emulator.metrics(evaluate_run)
    assert IMAGE[model] in emulator.artifacts(evaluate_run, "images")
    training_files = local_dataset_path(config, "training")
    assert emulator.metrics(train_run) == {TRAINING_COUNT[model]: COUNT[model](training_files)}
    assert emulator.tags(first["register"][1])["registered_model"] == f"{config.model_name}:1"

    (registered,) = client.models.list(config.model_name)
    training = config.dataset("training").name
    assert json.loads(registered.properties["training_data"]) == \
        {"train_data": f"{training}:1"}
    assert registered.properties["azureml.git.commit"] == GIT_COMMIT_TAG_VALUE
    assert registered.properties["pipeline_run_id"] != first["register"][1]  # the pipeline's
    assert registered.properties["sha256"] == summary["trained_model_sha256"]
    assert registered.tags[PRIMARY_METRIC[model]]

    second = emulator.run_pipeline(config, steps, job)  # same data: the same model again
    assert all(status == 0 for status, _, _ in second.values())
    assert "identical to the champion" in emulator.tags(second["register"][1])["not_registered"]
    assert len(client.models.list(config.model_name)) == 1
