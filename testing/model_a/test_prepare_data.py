"""model_a's datasets, made by code from scikit-learn's diabetes data."""
import shutil

import pytest

from model_a.aml_pipeline import CONFIG
from model_a.script_steps.prepare_data import load_diabetes_frame, split, write_datasets

COLUMNS = [*CONFIG.training["features"], CONFIG.training["target"]]


@pytest.fixture(name="frame", scope="module")
def fixture_frame():
    return load_diabetes_frame()


def test_the_data_is_the_unscaled_diabetes_table_with_the_configured_columns(frame):
    assert frame.shape == (442, 11)
    assert list(frame.columns) == COLUMNS
    assert frame["age"].between(18, 80).all()  # years, not standardised values


def test_the_split_is_reproducible_and_disjoint(frame):
    training, testing = split(frame)
    again, _ = split(frame)
    assert (len(training), len(testing)) == (331, 111)
    assert training.index.equals(again.index)
    assert not set(training.index) & set(testing.index)


def test_the_files_are_written_where_the_config_points(tmp_path):
    folder = tmp_path / CONFIG.folder.name
    shutil.copytree(CONFIG.folder / "config", folder / "config")
    written = write_datasets(folder)
    assert written["training"].parent == folder / CONFIG.dataset("training").path
    assert written["testing"].parent == folder / CONFIG.dataset("testing").path
    lines = written["training"].read_text(encoding="utf-8").splitlines()
    assert lines[0].split(",") == COLUMNS and len(lines) == 332
