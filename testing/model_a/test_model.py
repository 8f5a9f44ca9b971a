"""model.py: model_a's own functions, which its steps and entry script share."""
import pytest
from testing_helpers import check_func_in_obj, load_samples

from model_a import model
from model_a.aml_pipeline import CONFIG
from shared_code.amltoolbox.csv_reading import DatasetReadError
from shared_code.amltoolbox.errors import DataError
from shared_code.amltoolbox.local.workspace import LocalWorkspace

TABLES = load_samples(__file__, "samples_tables")

FEATURES, TARGET = CONFIG.training["features"], CONFIG.training["target"]
TRAINING = CONFIG.dataset("training").name


@pytest.fixture(name="frames", scope="module")
def fixture_frames():
    """The training and testing tables."""
    return TABLES.training_table(), TABLES.testing_table()


def test_the_model_is_fitted_with_the_configured_parameters(frames):
    training = {**CONFIG.training, "params": {**CONFIG.training["params"], "n_estimators": 5}}
    fitted = model.train_model(frames[0], training)
    assert fitted.get_params()["max_depth"] == CONFIG.training["params"]["max_depth"]
    assert fitted.get_params()["n_jobs"] == 1
    assert fitted.predict(frames[0][FEATURES]).shape == (len(frames[0]),)


def test_model_info_says_what_the_model_expects_and_was_trained_on():
    info = model.model_info(CONFIG.training, {"train_data": f"{TRAINING}:3"}, 152.5)
    assert (info[model.FEATURES_KEY], info[model.TARGET_KEY]) == (FEATURES, TARGET)
    assert info[model.TRAINING_MEAN_KEY] == 152.5
    assert info["training_data"] == {"train_data": f"{TRAINING}:3"}
    assert info["params"] == CONFIG.training["params"]


def test_a_table_without_a_feature_is_refused_naming_the_source_and_column(frames):
    with pytest.raises(DataError, match=f"the table is missing the column.*'{FEATURES[0]}'"):
        model.check_table(frames[0].drop(columns=[FEATURES[0]]), CONFIG.training, "the table")


@pytest.mark.skipif(not check_func_in_obj("read_training_files", model),
                    reason="this model reads no File dataset (no read_training_files)")
def test_the_csv_files_of_a_folder_are_read_as_one_table(tmp_path, frames):
    (tmp_path / "more").mkdir()
    frames[0].iloc[:200].to_csv(tmp_path / "part1.csv", index=False)
    frames[0].iloc[200:].to_csv(tmp_path / "more" / "part2.csv", index=False)
    frame, label = model.read_training_files(tmp_path)
    assert len(frame) == 331 and str(tmp_path) in label


@pytest.mark.skipif(not check_func_in_obj("read_training_files", model),
                    reason="this model reads no File dataset (no read_training_files)")
def test_a_folder_without_csv_files_names_the_folder(tmp_path):
    with pytest.raises(DatasetReadError, match=f"the training files in {tmp_path} holds no CSV"):
        model.read_training_files(tmp_path)


def test_the_scorer_gives_rmse_mae_and_r2_and_the_predictions(model_a_workspace, frames):
    workspace = LocalWorkspace(model_a_workspace)
    trained = workspace.models.get(CONFIG.model_name, 1).path
    metrics, predictions = model.make_scorer(frames[1], CONFIG.training)(trained)
    workspace.close()
    assert set(metrics) == {"rmse", "mae", "r2"}
    assert 0 < metrics["mae"] < metrics["rmse"] < frames[1][TARGET].std()
    assert len(predictions) == len(frames[1])
