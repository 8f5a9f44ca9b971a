"""Evaluation against the champion: both scored on the same data, summary written, logged."""
from pathlib import Path

import pytest
from testing_helpers import local_registry, make_current_run, make_local_run

from shared_code.amltoolbox.promotion.evaluation import evaluate_against_champion, log_figure
from shared_code.amltoolbox.hashing import tree_sha256
from shared_code.amltoolbox.model_io import info_value
from shared_code.amltoolbox.pipeline import load_pipeline
from shared_code.amltoolbox.promotion.summary import read_summary

TEST_DATA = {"test_data": "regression-diabetes-testing-01:1"}


@pytest.fixture(name="config")
def fixture_config():
    return load_pipeline("model_a")[0]


@pytest.fixture(name="run")
def fixture_run(tmp_path, mocker, monkeypatch):
    """The current run: evaluation finds the champion in its workspace's registry."""
    run = make_current_run(tmp_path, monkeypatch, outputs=("model_score",), step="evaluate")
    mocker.spy(run, "log")
    mocker.spy(run, "tag")
    yield run
    run.workspace.close()


@pytest.fixture(name="trained")
def fixture_trained(tmp_path) -> Path:
    folder = tmp_path / "trained"
    folder.mkdir()
    (folder / "model.pkl").write_text("new", encoding="utf-8")
    return folder


def register_champion(run, tmp_path, content="old") -> Path:
    """A champion whose model.pkl holds `content`, registered in the run's workspace."""
    folder = tmp_path / "champion_src"
    folder.mkdir()
    (folder / "model.pkl").write_text(content, encoding="utf-8")
    record, _ = run.workspace.models.register("model_a", folder)
    return record.path


def scorer(scores: dict):
    """score(model_dir) from a {model.pkl content: rmse or exception} table."""
    def score(model_dir):
        outcome = scores[(Path(model_dir) / "model.pkl").read_text(encoding="utf-8")]
        if isinstance(outcome, Exception):
            raise outcome
        return {"rmse": outcome, "mae": outcome / 2}, [outcome]
    return score


def _logged(spy) -> dict:
    return {call.args[0]: call.args[1] for call in spy.call_args_list}


def test_without_a_champion_the_trained_model_is_registered(config, run, trained):
    evaluation = evaluate_against_champion(run, config, trained, scorer({"new": 5.0}), TEST_DATA,
                              local_registry(run))
    summary = read_summary(run.output_datasets["model_score"])
    assert summary["register_trained_model"] is True and summary["champion"] is None
    assert summary["trained_model_sha256"] == tree_sha256(trained)
    assert summary["test_data"] == TEST_DATA
    assert evaluation.predictions == [5.0] and evaluation.champion_predictions is None
    assert _logged(run.log) == {"rmse": 5.0, "mae": 2.5}
    assert _logged(run.tag)["register_trained_model"] == "True"


def test_a_better_model_beats_the_champion_and_both_metrics_are_logged(
        config, run, trained, tmp_path):
    register_champion(run, tmp_path)
    evaluation = evaluate_against_champion(run, config, trained,
                                           scorer({"new": 5.0, "old": 6.0}), TEST_DATA,
                              local_registry(run))
    summary = read_summary(run.output_datasets["model_score"])
    assert summary["register_trained_model"] is True
    assert summary["champion"]["id"] == "model_a:1"
    assert summary["champion"]["metrics"] == {"rmse": 6.0, "mae": 3.0}
    assert evaluation.champion_predictions == [6.0]
    assert _logged(run.log) == {"rmse": 5.0, "mae": 2.5, "champion_rmse": 6.0,
                                "champion_mae": 3.0}
    assert "beats the champion model_a:1" in _logged(run.tag)["reason"]


def test_a_worse_model_is_not_registered(config, run, trained, tmp_path):
    register_champion(run, tmp_path)
    evaluate_against_champion(run, config, trained, scorer({"new": 7.0, "old": 6.0}), TEST_DATA,
                              local_registry(run))
    summary = read_summary(run.output_datasets["model_score"])
    assert summary["register_trained_model"] is False
    assert _logged(run.tag)["register_trained_model"] == "False"


def test_a_champion_identical_to_the_trained_model_is_not_replaced(config, run, trained,
                                                                   tmp_path):
    register_champion(run, tmp_path, content="new")
    evaluate_against_champion(run, config, trained, scorer({"new": 5.0}), TEST_DATA,
                              local_registry(run))
    summary = read_summary(run.output_datasets["model_score"])
    assert summary["register_trained_model"] is False
    assert "identical to the champion model_a:1" in summary["reason"]


def test_a_champion_that_cannot_score_the_data_is_replaced_saying_why(config, run, trained,
                                                                       tmp_path):
    register_champion(run, tmp_path)
    scores = {"new": 5.0, "old": KeyError("bmi")}
    evaluation = evaluate_against_champion(run, config, trained, scorer(scores), TEST_DATA,
                              local_registry(run))
    summary = read_summary(run.output_datasets["model_score"])
    assert summary["register_trained_model"] is True
    assert summary["champion"]["error"] == "KeyError: 'bmi'"
    assert "could not score the test data" in summary["reason"]
    assert evaluation.champion_predictions is None
    assert "champion_rmse" not in _logged(run.log)


def test_the_baseline_is_scored_on_the_same_data_and_holds_the_floor(config, run, trained):
    seen = []

    def score_baseline(model_dir):
        seen.append(Path(model_dir))
        return {"rmse": 5.5, "mae": 4.0}, "the training mean (150) for every row"
    evaluate_against_champion(run, config, trained, scorer({"new": 5.0}), TEST_DATA,
                              local_registry(run), score_baseline=score_baseline)
    summary = read_summary(run.output_datasets["model_score"])
    assert seen == [trained]
    assert summary["baseline"]["metrics"] == {"rmse": 5.5, "mae": 4.0}
    assert summary["register_trained_model"] is False  # model_a's floor: 1.0 rmse better
    assert "does not beat the naive baseline, the training mean (150)" in summary["reason"]
    assert _logged(run.log)["baseline_rmse"] == 5.5


def test_a_model_whose_info_gives_no_baseline_skips_the_floor_saying_so(config, run, trained,
                                                                       capsys):
    def score_baseline(model_dir):
        return {"rmse": info_value({}, "training_target_mean", model_dir)}, "the mean"
    evaluate_against_champion(run, config, trained, scorer({"new": 5.0}), TEST_DATA,
                              local_registry(run), score_baseline=score_baseline)
    summary = read_summary(run.output_datasets["model_score"])
    assert summary["baseline"] is None and summary["register_trained_model"] is True
    assert "baseline_rmse" not in _logged(run.log)
    assert (f"no baseline, so no quality floor: {trained}/model_info.json has no "
            "training_target_mean") in capsys.readouterr().out


@pytest.mark.parametrize("damage", ["delete", "change"])
def test_a_champion_whose_files_are_damaged_is_reported_and_not_used(config, run, trained,
                                                                     tmp_path, capsys, damage):
    champion_dir = register_champion(run, tmp_path)
    if damage == "delete":
        (champion_dir / "model.pkl").unlink()
    else:
        (champion_dir / "model.pkl").write_text("altered", encoding="utf-8")
    evaluate_against_champion(run, config, trained, scorer({"new": 5.0}), TEST_DATA,
                              local_registry(run))
    summary = read_summary(run.output_datasets["model_score"])
    assert summary["register_trained_model"] is True
    assert "model model_a:1's" in summary["champion"]["error"]
    assert "the champion model_a:1 is not used: model model_a:1's" in capsys.readouterr().out
    assert "champion_rmse" not in _logged(run.log)


def test_a_logged_figure_is_an_image_of_the_run_and_is_freed(tmp_path):
    import matplotlib.pyplot as plt
    run = make_local_run(tmp_path, step="evaluate")
    figure, _ = plt.subplots()
    log_figure(run, "plot", figure)
    assert not plt.fignum_exists(figure.number)
    recorded = run.workspace.store.query("SELECT step, name, path FROM images")
    assert [tuple(row) for row in recorded] == [
        ("evaluate", "plot", str(run.step_dir / "images" / "plot.png"))]
    assert (run.step_dir / "images" / "plot.png").read_bytes()[:4] == b"\x89PNG"
    run.workspace.close()
