"""Inside an emulated job, the real SDK: get_run_context() takes its Azure branch and gets a
real `_SubmittedRun`, whose calls the emulated service records."""
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from azureml.core.run import _SubmittedRun
from azureml.data import TabularDataset

from shared_code.amltoolbox.promotion.lineage import (code_version, input_dataset_versions,
                                                      pipeline_run_id)
from shared_code.amltoolbox.run_context import get_run_context
from shared_code.aml_emulator.job import latest_metrics, logged_images
from shared_code.aml_emulator.store import BLOBS, RUNS

pytestmark = pytest.mark.integration  # the real SDK, datasets read with dataprep


@pytest.fixture(name="run")
def fixture_run(job):  # pylint: disable=unused-argument  # the job's variables are set
    """The run the step's script gets; what it still holds is sent when the test ends."""
    run = get_run_context()
    yield run
    run.flush()


def test_the_run_context_is_azure_mls_submitted_run_of_the_step(run, job):
    assert isinstance(run, _SubmittedRun)
    assert run.id == job.run_id
    assert pipeline_run_id(run) == job.pipeline_run_id
    assert code_version(run) == job.properties


def test_a_direct_input_is_the_registered_tabular_dataset_over_its_files(run):
    dataset = run.input_datasets["train_data"]
    assert isinstance(dataset, TabularDataset)
    assert (dataset.name, dataset.version) == ("regression-t-training-01", 3)
    frame = dataset.to_pandas_dataframe()
    assert list(frame.columns) == ["age", "bmi", "target"]
    assert frame["bmi"].tolist() == [30.5, 22.0] and pd.api.types.is_numeric_dtype(frame["age"])


def test_downloaded_inputs_and_outputs_are_the_paths_the_job_was_given(run, tmp_path):
    assert run.input_datasets["model"] == str(tmp_path / "earlier")
    assert run.output_datasets["model_score"] == str(tmp_path / "score")


def test_lineage_names_registered_inputs_and_skips_an_earlier_steps_output(run):
    details = run.get_details()["inputDatasets"]
    assert {item["consumptionDetails"]["inputName"] for item in details} == {"train_data", "model"}
    assert input_dataset_versions(run) == {"train_data": "regression-t-training-01:3"}


def test_metrics_tags_and_images_are_recorded_on_the_step_run(run, job):
    run.log("rmse", 55.5)
    run.tag("register_trained_model", "True")
    figure = plt.figure()
    run.log_image("predicted_vs_actual", plot=figure)
    plt.close(figure)
    run.flush()
    record = job.store.read(RUNS, job.run_id)
    assert latest_metrics(record) == {"rmse": 55.5}
    assert record["tags"] == {"register_trained_model": "True"}
    artifact = logged_images(record)["predicted_vs_actual"]
    stored = job.store.path(BLOBS, "azureml", artifact.split("aml://artifactId/", 1)[1])
    assert stored.read_bytes().startswith(b"\x89PNG")


def test_fail_records_the_error_and_leaves_the_status_to_the_job(run, job):
    run.fail(error_details="dataset 'x' version 2 has no rows")
    record = job.store.read(RUNS, job.run_id)
    # a submitted run does not set its own status (azureml/core/run.py:2345-2348)
    assert (record["error"], record["status"]) == ("dataset 'x' version 2 has no rows", "Running")
