"""Drift checks of the real models, trained by their real pipelines, with the default
thresholds: each model's held-out test data shows no drift; the same data with one feature
shifted by one standard deviation (model_a) or brightened images (model_b) is flagged on
that feature alone."""
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.model_monitoring.drift_check import check_drift

pytestmark = pytest.mark.integration
MODEL_A_FEATURES = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]


@pytest.fixture(name="workspace_a")
def fixture_workspace_a(model_a_workspace):
    workspace = LocalWorkspace(model_a_workspace)
    yield workspace
    workspace.close()


@pytest.fixture(name="workspace_b")
def fixture_workspace_b(model_b_workspace):
    workspace = LocalWorkspace(model_b_workspace)
    yield workspace
    workspace.close()


def _frame(workspace, usage: str) -> pd.DataFrame:
    dataset = workspace.datasets.get(f"regression-diabetes-{usage}-01")
    return pd.concat([pd.read_csv(f) for f in sorted(dataset.path.rglob("*.csv"))])


def _images(workspace, usage: str) -> dict:
    dataset = workspace.datasets.get(f"classification-digits-{usage}-01")
    return {p.relative_to(dataset.path): np.asarray(Image.open(p).convert("L"), dtype=float)
            for p in sorted(dataset.path.rglob("*.png"))}


def _write_images(images: dict, folder) -> str:
    for relative, gray in images.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.clip(np.rint(gray), 0, 255).astype(np.uint8)).save(folder / relative)
    return str(folder)


def test_model_a_test_data_shows_no_drift(workspace_a):
    report = check_drift(workspace_a, "model_a", dataset="regression-diabetes-testing-01")
    assert report.verdict == "no drift", [f.reasons for f in report.features]
    assert [f.feature for f in report.features] == MODEL_A_FEATURES


@pytest.mark.parametrize("feature", MODEL_A_FEATURES)
def test_model_a_one_feature_shifted_by_one_sd_is_flagged_alone(workspace_a, tmp_path, feature):
    test, training = _frame(workspace_a, "testing"), _frame(workspace_a, "training")
    test[feature] = test[feature] + training[feature].std()
    test.to_csv(tmp_path / "shifted.csv", index=False)
    report = check_drift(workspace_a, "model_a:1", path=str(tmp_path / "shifted.csv"))
    assert report.drifted_features == [feature]


def test_model_a_a_feature_gone_missing_is_flagged_alone(workspace_a, tmp_path):
    test = _frame(workspace_a, "testing")
    test["bp"] = test["bp"].where(np.arange(len(test)) % 4 != 0)
    test.to_csv(tmp_path / "holes.csv", index=False)
    report = check_drift(workspace_a, "model_a", path=str(tmp_path / "holes.csv"))
    assert report.drifted_features == ["bp"]
    assert "missing 25.2%" in report.features[3].reasons[0]


def test_model_b_test_images_show_no_drift(workspace_b):
    report = check_drift(workspace_b, "model_b", dataset="classification-digits-testing-01")
    assert report.verdict == "no drift", [f.reasons for f in report.features]
    assert [f.feature for f in report.features] == ["mean_intensity", "image_size",
                                                    "blank_images", "predicted_class"]


def test_model_b_brightened_images_are_flagged_on_intensity_alone(workspace_b, tmp_path):
    brighter = {k: v * 1.3 for k, v in _images(workspace_b, "testing").items()}
    report = check_drift(workspace_b, "model_b", path=_write_images(brighter, tmp_path))
    assert report.drifted_features == ["mean_intensity"]


def test_model_b_blank_images_are_flagged(workspace_b, tmp_path):
    images = _images(workspace_b, "testing")
    blanked = {k: (np.zeros_like(v) if index % 5 == 0 else v)
               for index, (k, v) in enumerate(images.items())}
    report = check_drift(workspace_b, "model_b", path=_write_images(blanked, tmp_path))
    assert "blank_images" in report.drifted_features


def test_model_b_images_of_another_size_are_flagged_and_not_scored(workspace_b, tmp_path):
    images = _images(workspace_b, "testing")
    resized = {k: (np.kron(v, np.ones((2, 2))) if index % 10 == 0 else v)
               for index, (k, v) in enumerate(images.items())}
    report = check_drift(workspace_b, "model_b", path=_write_images(resized, tmp_path))
    assert report.drifted_features == ["image_size"]
    assert report.features[1].statistics["rate"] == pytest.approx(45 / 450)
