"""Where a model came from: datasets, pipeline run and code version, locally or in AML."""
import types

from testing_helpers import make_local_run

from shared_code.amltoolbox.git_info import GIT_COMMIT, GIT_DIRTY
from shared_code.amltoolbox.promotion.lineage import (code_version, input_dataset_versions,
                                                      pipeline_run_id)


def test_a_local_steps_registered_inputs_are_name_and_version(tmp_path):
    run = make_local_run(tmp_path, {
        "train_data": {"type": "tabular", "name": "regression-d-training-01", "version": 2,
                       "path": str(tmp_path)},
        "model": {"type": "output", "path": str(tmp_path)}})
    assert input_dataset_versions(run) == {"train_data": "regression-d-training-01:2"}
    assert pipeline_run_id(run) == "test_run"


def test_aml_details_give_the_same_shape():
    dataset = types.SimpleNamespace(name="regression-d-testing-01", version=4)
    details = {"inputDatasets": [
        {"dataset": dataset, "consumptionDetails": {"inputName": "test_data"}},
        {"dataset": None, "consumptionDetails": {"inputName": "x"}},
        {"dataset": dataset, "consumptionDetails": None}]}
    run = types.SimpleNamespace(get_details=lambda: details)
    assert input_dataset_versions(run) == {"test_data": "regression-d-testing-01:4"}


def test_earlier_steps_outputs_that_azure_ml_lists_as_unnamed_datasets_are_left_out():
    registered = types.SimpleNamespace(name="regression-d-testing-01", version=1)
    step_output = types.SimpleNamespace(name=None, version=None)  # a saved, unregistered dataset
    details = {"inputDatasets": [
        {"dataset": step_output, "consumptionDetails": {"inputName": "model"}},
        {"dataset": registered, "consumptionDetails": {"inputName": "test_data"}}]}
    run = types.SimpleNamespace(get_details=lambda: details)
    assert input_dataset_versions(run) == {"test_data": "regression-d-testing-01:1"}


def test_a_run_outside_a_pipeline_is_its_own_pipeline_run():
    assert pipeline_run_id(types.SimpleNamespace(id="solo", parent=None)) == "solo"


def test_the_code_version_is_the_git_commit_when_there_is_one():
    with_git = types.SimpleNamespace(get_properties=lambda: {GIT_COMMIT: "abc", GIT_DIRTY: "True",
                                                             "other": 1})
    assert code_version(with_git) == {GIT_COMMIT: "abc", GIT_DIRTY: "True"}
    assert code_version(types.SimpleNamespace(get_properties=lambda: None)) == {}
