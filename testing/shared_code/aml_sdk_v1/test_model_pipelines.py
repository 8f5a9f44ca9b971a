"""Every model's aml_pipeline.py as a real Azure ML pipeline, built offline and validated.

The models are found by their folders, so a new model is covered with no edit here (and
this file lives here rather than in testing/model_a/, which new-model copies for each model).
"""
# The SDK keeps a PythonScriptStep's settings (script, inputs, reuse, ...) in private attributes.
# pylint: disable=protected-access
from pathlib import Path
from types import SimpleNamespace

import pytest
from azureml_offline import (DATASTORE_NAME, dataset_lookup, mock_workflow_provider,
                             model_dataset_types, offline_workspace, refuse_connections)

from tested_models import model_folders_under_test
from shared_code.aml_sdk_v1.pipeline_builder import (OUTPUT_DESTINATION, build_pipeline,
                                                           python_script_steps)
from shared_code.code_snapshot.model_snapshot import snapshots_of
from shared_code.amltoolbox.paths import REPO_ROOT, WORKSPACE_ENV_VAR
from shared_code.amltoolbox.pipeline import DatasetInput, StepOutputRef, load_pipeline

# The SDK's vendored YAML parser warns about its own API on every conda file it reads.
pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")

MODELS = [folder.name for folder in model_folders_under_test()]
RUN_AFTER_PORT = "_run_after_output"  # the ordering port AML adds to every step


@pytest.fixture(name="model", scope="module", params=MODELS)
def fixture_model(request):
    """A model folder's CONFIG and declared STEPS."""
    config, steps = load_pipeline(request.param)
    return SimpleNamespace(CONFIG=config, STEPS=steps)


@pytest.fixture(name="built", scope="module")
def fixture_built(model, module_mocker, tmp_path_factory) -> SimpleNamespace:
    """The model's real Pipeline and its PythonScriptSteps by step name, built once per model
    (a hundred models' tests would build a thousand times otherwise; the tests only read what
    was built) in an offline workspace holding its datasets and compute target. As for every
    Azure test: snapshots staged in a local workspace of its own, no connection allowed."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(WORKSPACE_ENV_VAR, str(tmp_path_factory.mktemp("local-workspace")))
        attempts = refuse_connections(patch)
        offline = offline_workspace(compute_targets=(model.CONFIG.compute_target,))
        module_mocker.patch("azureml.core.Dataset.get_by_name",
                            side_effect=dataset_lookup(offline, model_dataset_types(model.CONFIG)))
        mock_workflow_provider(module_mocker)
        built = SimpleNamespace(
            pipeline=build_pipeline(offline, model.CONFIG, model.STEPS),
            declared={step.name: step
                      for step in python_script_steps(offline, model.CONFIG, model.STEPS)},
            snapshots=snapshots_of(model.CONFIG.layout))
    assert not attempts, f"building the pipeline tried to reach the network: {attempts}"
    return built


@pytest.fixture(name="pipeline", scope="module")
def fixture_pipeline(built):
    """The model's real Pipeline in the offline workspace."""
    return built.pipeline


@pytest.fixture(name="declared", scope="module")
def fixture_declared(built):
    """The model's PythonScriptSteps by step name."""
    return built.declared


def _step_edges(pipeline) -> set[tuple[str, str, str, str]]:
    return {(edge.source_port.node.name, edge.source_port.name,
             edge.dest_port.node.name, edge.dest_port.name)
            for edge in pipeline.graph.edges
            if edge.source_port.node.name in {node.name for node in pipeline.graph.module_nodes}}


def test_the_pipeline_validates_without_errors(pipeline):
    assert pipeline.validate() == []


def test_the_graph_has_one_node_per_step_in_order(model, pipeline):
    assert [node.name for node in pipeline.graph.module_nodes] == [s.name for s in model.STEPS]


def test_steps_are_wired_as_the_step_list_says(model, pipeline):
    expected = {(source.step, source.output, step.name, input_name)
                for step in model.STEPS for input_name, source in step.inputs.items()
                if isinstance(source, StepOutputRef)}
    assert _step_edges(pipeline) == expected


def test_the_standard_train_evaluate_register_edges(pipeline):
    assert {("train", "model", "evaluate", "model"), ("train", "model", "register", "model"),
            ("evaluate", "model_score", "register", "model_score")} <= _step_edges(pipeline)


def test_registered_datasets_feed_the_steps_by_input_name(model, pipeline):
    module_nodes = {node.name for node in pipeline.graph.module_nodes}
    fed = {(edge.dest_port.node.name, edge.dest_port.name) for edge in pipeline.graph.edges
           if edge.source_port.node.name not in module_nodes}
    assert fed == {(step.name, input_name) for step in model.STEPS
                   for input_name, source in step.inputs.items()
                   if isinstance(source, DatasetInput)}


def test_each_step_runs_its_script_from_the_models_snapshot(model, built):
    declared = built.declared
    for step in model.STEPS:
        script = declared[step.name]._script_name
        assert script == f"{model.CONFIG.folder.name}/script_steps/{step.script_name}"
        assert (REPO_ROOT / script).is_file()
        snapshot = Path(declared[step.name]._source_directory)
        assert snapshot.parent == built.snapshots
        assert (snapshot / script).read_bytes() == (REPO_ROOT / script).read_bytes()


def test_inputs_outputs_and_arguments_are_those_of_the_step_list(model, pipeline, declared):
    nodes = {node.name: node for node in pipeline.graph.module_nodes}
    for step in model.STEPS:
        node = nodes[step.name]
        assert [port.name for port in node.inputs] == list(step.inputs)
        outputs = [port.name for port in node.outputs if port.name != RUN_AFTER_PORT]
        assert outputs == list(step.outputs)
        assert declared[step.name]._arguments == list(step.arguments)


def test_dataset_inputs_are_named_inputs_and_file_datasets_are_mounted(model, declared):
    types = model_dataset_types(model.CONFIG)
    for step in model.STEPS:
        inputs = {item.name: item for item in declared[step.name]._inputs}
        for input_name, source in step.inputs.items():
            if isinstance(source, DatasetInput):
                assert inputs[input_name].dataset.name == source.name
                expected = "mount" if types[source.name] == "file" else "direct"
                assert inputs[input_name].mode == expected
            else:
                assert inputs[input_name].mode == "download"


def test_outputs_are_mounted_under_model_in_training(model, declared):
    for step in model.STEPS:
        outputs = declared[step.name]._outputs
        for output in outputs:
            datastore, path = output.destination
            assert (datastore.name, path) == (DATASTORE_NAME, OUTPUT_DESTINATION)
            assert output.mode == "mount"


def test_reuse_follows_the_step_list_but_never_for_register_or_champion_steps(model, declared):
    for step in model.STEPS:
        expected = step.reuse and not step.compares_with_champion
        assert declared[step.name]._allow_reuse is expected
    assert declared["register"]._allow_reuse is False


def test_steps_run_in_the_models_conda_environment_with_the_repo_on_the_path(model, declared):
    for step in declared.values():
        run_config = step._runconfig
        assert run_config.environment.name == f"{model.CONFIG.model_name}-environment"
        assert run_config.environment.python.conda_dependencies is not None
        assert run_config.environment_variables == {"PYTHONPATH": "."}
        assert step._compute_target.name == model.CONFIG.compute_target


def test_the_sdk_objects_built_in_tests_send_no_usage_telemetry():
    from azureml.telemetry import get_diagnostics_collection_info
    assert get_diagnostics_collection_info(component_name="azureml.dataset")[0] is False
