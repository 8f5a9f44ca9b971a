"""Each reference model's drift pipeline under the Azure ML emulator, after an emulated run of its
training pipeline registered version 1: the real Pipeline's step runs as a job against the
emulated registry and datasets; the held-out test data shows no drift (exit 0), shifted data
is flagged on the shifted feature alone (exit 1, the step fails as on a schedule), and a model
never registered there is refused with what to do."""
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from reference_models import reference_models

from shared_code.aml_emulator.command import run_emulated
from shared_code.aml_emulator.store import RUNS
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.paths import WORKSPACE_ENV_VAR
from shared_code.amltoolbox.pipeline import DatasetInput, load_pipeline
from shared_code.model_monitoring.drift_emulated import EmulatedDriftRunner, run_emulated_drift
from shared_code.model_monitoring.drift_pipeline import DriftPipelineError, new_dataset

pytestmark = [pytest.mark.integration,
              pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")]
MODELS = reference_models()
SHIFTED = {"model_a": ("regression-diabetes-drifted-01", "bmi"),
           "model_b": ("classification-digits-brighter-01", "mean_intensity")}


def shifted_copy(workspace: LocalWorkspace, config, target: Path) -> Path:
    """The model's testing data with one feature moved: model_a's bmi up one training standard
    deviation, model_b's images 30% brighter."""
    testing = workspace.datasets.get(config.dataset("testing").name).path
    if config.folder.name == "model_a":
        training = workspace.datasets.get(config.dataset("training").name).path
        frame = pd.concat(pd.read_csv(f) for f in sorted(Path(testing).rglob("*.csv")))
        spread = pd.concat(pd.read_csv(f) for f in sorted(Path(training).rglob("*.csv")))
        frame["bmi"] = frame["bmi"] + spread["bmi"].std()
        target.mkdir(parents=True)
        frame.to_csv(target / "shifted.csv", index=False)
        return target
    for image in sorted(Path(testing).rglob("*.png")):
        gray = np.asarray(Image.open(image).convert("L"), dtype=float) * 1.3
        copy = target / image.relative_to(testing)
        copy.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.clip(np.rint(gray), 0, 255).astype(np.uint8)).save(copy)
    return target


@pytest.fixture(name="emulated", scope="module", params=MODELS)
def fixture_emulated(request, tmp_path_factory):
    """A local workspace whose emulated Azure ML workspace holds the model's version 1, and a
    dataset of its shifted testing data."""
    model = request.param
    root = tmp_path_factory.mktemp(f"{model}_drift_emulated") / "workspace"
    config, steps = load_pipeline(model)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(WORKSPACE_ENV_VAR, str(root))
        workspace = LocalWorkspace(root)
        try:
            assert run_emulated(config, steps, model, workspace, report=lambda _line: None) == 0
            name, feature = SHIFTED[model]
            folder = shifted_copy(workspace, config, root.parent / "shifted")
            workspace.datasets.register(name, config.dataset("testing").type, folder,
                                        "Contacts: me@example.com")
        finally:
            workspace.close()
        yield SimpleNamespace(config=config, root=root, shifted=name, feature=feature,
                              patch=patch)


def check(emulated, dataset: str | None = None, version: int | None = None):
    """One emulated drift check; (exit status, printed lines)."""
    lines = []
    status = run_emulated_drift(emulated.config, emulated.config.folder.name,
                                new_dataset(emulated.config, dataset), version, lines.append)
    return status, lines


def test_the_held_out_test_data_shows_no_drift(emulated):
    status, lines = check(emulated)
    assert status == 0, lines
    assert any("verdict=no drift" in line for line in lines) and lines[-1] == (
        "drift check: no drift (exit status 0)")
    assert any(line.startswith("[1/1] drift-check: completed") for line in lines)


def test_shifted_data_is_flagged_on_that_feature_alone(emulated):
    status, lines = check(emulated, emulated.shifted, version=1)
    assert status == 1, lines
    assert any(f"drifted_features={emulated.feature};" in line for line in lines), lines
    assert any(line.startswith(f"images (drift-check): drift_{emulated.feature}")
               for line in lines), lines
    assert lines[-1] == "drift check: drift (exit status 1)"


def test_the_step_read_both_datasets_as_registered(emulated):
    lines = []
    workspace = LocalWorkspace(emulated.root)
    try:
        runner = EmulatedDriftRunner(emulated.config, "lineage", DatasetInput(emulated.shifted),
                                     None, workspace, lines.append)
        result = runner.run()
    finally:
        workspace.close()
    record = runner.store.read(RUNS, result.steps[0].run_id)
    read = {d["input_name"]: d["registered_id"] for d in record["input_datasets"]}
    assert set(read) == {"training_data", "new_data"}
    assert record["tags"]["checked_model"] == f"{emulated.config.model_name}:1"
    assert all(read.values())  # both registered datasets, as Azure ML records them


def test_a_model_not_registered_in_the_emulated_workspace_is_refused(emulated, tmp_path):
    emulated.patch.setenv(WORKSPACE_ENV_VAR, str(tmp_path / "empty"))
    try:
        with pytest.raises(DriftPipelineError, match="aml_pipeline --submit"):
            check(emulated)
    finally:
        emulated.patch.setenv(WORKSPACE_ENV_VAR, str(emulated.root))
