"""Every model's real pipeline, run locally: the session's first run registered version 1
with its lineage; a rerun (in a copy of that run's workspace) reuses the training and
registers nothing new; a missing dataset fails the run naming it."""
import dataclasses
import shutil

import pytest
from testing_helpers import registered_versions, run_model_pipeline, statuses

from shared_code.amltoolbox.local.runner import LocalPipelineRunner
from shared_code.amltoolbox.records import COMPLETED, FAILED, REUSED
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.pipeline import registered

pytestmark = pytest.mark.integration



def test_the_first_run_registered_version_1_with_the_datasets_it_read(pipeline, record,
                                                                       trained_workspace):
    config = pipeline.CONFIG
    assert record.id == f"{config.model_name}:1"
    assert record.lineage["training_data"] == {
        "train_data": f"{config.dataset('training').name}:1"}
    assert record.lineage["testing_data"] == {"test_data": f"{config.dataset('testing').name}:1"}
    workspace = LocalWorkspace(trained_workspace)
    first = workspace.runs.get(record.run_id)
    workspace.close()
    assert first.status == COMPLETED and [s.status for s in first.steps] == [COMPLETED] * 3


def test_a_rerun_reuses_the_training_and_registers_nothing_new(model, pipeline, first_run,
                                                              tmp_path):
    name = pipeline.CONFIG.model_name
    # The session's first run, continued in a copy of its workspace: the model is trained
    # once per session. The copy's records name the session workspace's outputs, which the
    # rerun only reads. The runner's other reuse rules (an unchanged champion, --no-reuse)
    # are the toolbox's: testing/shared_code/amltoolbox/local/test_runner_reuse_rules.py.
    session_root, first = first_run
    root = shutil.copytree(session_root, tmp_path / "workspace")
    assert first.succeeded and statuses(first) == [COMPLETED] * 3
    assert first.outcome() == f"registered {name}:1"
    assert registered_versions(root, name) == [1]

    # Nothing changed: train is reused; evaluate runs again since the champion is new.
    second = run_model_pipeline(model, root)
    assert statuses(second) == [REUSED, COMPLETED, COMPLETED]
    assert second.steps[0].reused_from == first.run_id
    assert second.outcome() == ("nothing registered: the trained model is identical to the "
                                f"champion {name}:1")
    assert registered_versions(root, name) == [1]


def test_a_missing_dataset_fails_the_run_naming_it_and_how_to_register_it(pipeline, tmp_path):
    config, steps = pipeline.CONFIG, pipeline.declare_steps()
    training = config.dataset("training").name
    steps = [dataclasses.replace(steps[0], inputs={"train_data": registered(training, 7)}),
             *steps[1:]]
    workspace = LocalWorkspace(tmp_path / "workspace")
    result = LocalPipelineRunner(config, steps, workspace, report=lambda line: None).run()
    assert not result.succeeded and not result.steps
    assert f"version 7 of dataset '{training}' is not registered" in result.error
    assert "datasets register" in result.error
    recorded = workspace.runs.get(result.run_id)
    assert (recorded.status, recorded.error) == (FAILED, result.error)
    assert workspace.models.list() == []
    workspace.close()
