"""model_a's Azure ML entry points: the standard's names, wired to this model's CONFIG and STEPS.

The pipeline they build is checked for every model, offline with the real SDK, in
testing/shared_code/amltoolbox/azure/test_model_pipelines.py.
"""
import pytest

from shared_code.amltoolbox.azure import pipeline_builder, pipeline_submission

from model_a import aml_pipeline
from model_a.aml_pipeline import CONFIG, STEPS


@pytest.mark.parametrize("entry_point, shared_module", [
    ("declare_steps", pipeline_builder), ("build_pipeline", pipeline_builder)])
def test_the_workspace_entry_points_build_this_models_step_list(entry_point, shared_module,
                                                                 mocker):
    shared = mocker.patch.object(shared_module, entry_point)
    workspace = mocker.Mock(name="workspace")
    assert getattr(aml_pipeline, entry_point)(workspace) is shared.return_value
    shared.assert_called_once_with(workspace, CONFIG, STEPS)


@pytest.mark.parametrize("wait", [False, True])
def test_run_pipeline_submits_this_models_step_list(wait, mocker):
    submit = mocker.patch.object(pipeline_submission, "run_pipeline")
    workspace = mocker.Mock(name="workspace")
    assert aml_pipeline.run_pipeline(workspace, wait=wait) is submit.return_value
    submit.assert_called_once_with(CONFIG, STEPS, workspace, wait)
