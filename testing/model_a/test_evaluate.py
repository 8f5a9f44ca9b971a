"""evaluate.py: the trained model and the champion scored on test_data, summary.json written."""
import pickle

import pytest
from sklearn.linear_model import LinearRegression
from testing_helpers import load_samples, make_current_run, run_step_main

from model_a import model
from model_a.aml_pipeline import CONFIG
from model_a.script_steps import evaluate
from shared_code.amltoolbox.errors import DataError
from shared_code.amltoolbox.promotion.summary import read_summary

TABLES = load_samples(__file__, "samples_tables")

FEATURES, TARGET = CONFIG.training["features"], CONFIG.training["target"]
TESTING = CONFIG.dataset("testing").name


@pytest.fixture(name="testing_frame", scope="module")
def fixture_testing_frame():
    return TABLES.testing_table()


def evaluate_run(tmp_path, model_dir, frame, monkeypatch):
    """The run evaluate's main() gets, reading `model_dir` and the test table `frame`."""
    (tmp_path / "test_data").mkdir()
    frame.to_csv(tmp_path / "test_data" / "test.csv", index=False)
    inputs = {"model": {"type": "output", "path": str(model_dir)},
              "test_data": {"type": "tabular", "name": TESTING, "version": 1,
                            "path": str(tmp_path / "test_data")}}
    return make_current_run(tmp_path, monkeypatch, inputs=inputs, outputs=("model_score",),
                            step="evaluate")


def test_without_a_champion_main_decides_to_register_and_logs_metrics_and_plot(
        tmp_path, trained_model, testing_frame, mocker, monkeypatch):
    run = evaluate_run(tmp_path, trained_model, testing_frame, monkeypatch)
    log, log_image = mocker.spy(run, "log"), mocker.spy(run, "log_image")
    run_step_main(evaluate)
    summary = read_summary(run.output_datasets["model_score"])
    assert summary["register_trained_model"] is True and summary["champion"] is None
    assert summary["test_data"] == {"test_data": f"{TESTING}:1"}
    assert {call.args[0] for call in log.call_args_list} == {"rmse", "mae", "r2",
                                                             "baseline_rmse"}
    assert summary["baseline"]["metrics"]["rmse"] > summary["metrics"]["rmse"]
    assert log_image.call_args.args[0] == "predicted_vs_actual"
    assert (run.step_dir / "images" / "predicted_vs_actual.png").is_file()
    run.workspace.close()


def test_a_champion_identical_to_the_trained_model_is_kept(tmp_path, trained_model,
                                                          testing_frame, mocker, monkeypatch):
    run = evaluate_run(tmp_path, trained_model, testing_frame, monkeypatch)
    run.workspace.models.register(CONFIG.model_name, trained_model)
    log = mocker.spy(run, "log")
    run_step_main(evaluate)
    summary = read_summary(run.output_datasets["model_score"])
    assert summary["register_trained_model"] is False
    assert "identical to the champion" in summary["reason"]
    assert summary["champion"]["metrics"] == summary["metrics"]
    assert "champion_rmse" in {call.args[0] for call in log.call_args_list}
    run.workspace.close()


def test_test_data_without_a_target_is_refused_naming_the_dataset(tmp_path, trained_model,
                                                                 testing_frame, monkeypatch):
    evaluate_run(tmp_path, trained_model, testing_frame.drop(columns=[TARGET]), monkeypatch)
    with pytest.raises(DataError, match=f"dataset '{TESTING}' version 1 is missing the "
                                        f"column.*'{TARGET}'"):
        run_step_main(evaluate)


@pytest.mark.parametrize("training_rows", ["one row", "a constant target"])
def test_a_model_no_better_than_the_training_mean_is_not_registered_even_first(
        tmp_path, testing_frame, monkeypatch, training_rows):
    training = TABLES.training_table()
    if training_rows == "one row":
        training = training.head(1)
    else:
        training = training.assign(**{TARGET: 150.0})
    model_dir = tmp_path / "worse_than_nothing"
    model.train_and_save(training, CONFIG.training, model_dir, {}, "the training table")
    run = evaluate_run(tmp_path, model_dir, testing_frame, monkeypatch)
    run_step_main(evaluate)
    summary = read_summary(run.output_datasets["model_score"])
    assert summary["register_trained_model"] is False and summary["champion"] is None
    assert "does not beat the naive baseline, the training mean" in summary["reason"]
    assert summary["baseline"]["metrics"]["rmse"] - summary["metrics"]["rmse"] <= 1.0
    run.workspace.close()


def test_a_model_the_documents_snippet_pickled_alone_is_evaluated_without_a_baseline(
        tmp_path, testing_frame, monkeypatch, capsys):
    training = TABLES.training_table()
    model_dir = tmp_path / "pickled_alone"
    model_dir.mkdir()
    fitted = LinearRegression().fit(training[FEATURES], training[TARGET])
    with open(model_dir / "model.pkl", "wb") as file:  # the standard's train.py, no model_info
        pickle.dump(fitted, file)
    run = evaluate_run(tmp_path, model_dir, testing_frame, monkeypatch)
    run_step_main(evaluate)
    summary = read_summary(run.output_datasets["model_score"])
    assert summary["register_trained_model"] is True and summary["baseline"] is None
    assert (f"no baseline, so no quality floor: {model_dir}/model_info.json has no "
            "training_target_mean") in capsys.readouterr().out
