"""Drift of a table, on small hand-made data: which feature, and why."""
import numpy as np
import pandas as pd
import pytest

from shared_code.amltoolbox.csv_reading import DatasetReadError
from shared_code.model_monitoring import tabular_drift as module
from shared_code.model_monitoring.drift_config import DriftThresholds
from shared_code.model_monitoring.tabular_drift import (NoNewRowsError, NotRowsError,
                                                        csv_table, feature_columns,
                                                        request_table, tabular_drift)

INFO = {"features": ["x", "y"], "target": "target"}


@pytest.fixture(name="training")
def fixture_training(tmp_path):
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"x": rng.normal(0, 1, 500), "y": rng.normal(10, 2, 500),
                          "target": rng.normal(size=500)})
    path = tmp_path / "training.csv"
    frame.to_csv(path, index=False)
    return path


def _new(tmp_path, name="new.csv", rows=400, seed=2, **changes):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"x": rng.normal(0, 1, rows), "y": rng.normal(10, 2, rows)})
    for column, values in changes.items():
        if values is None:
            frame = frame.drop(columns=column)
        else:
            frame[column] = values(frame)
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def _check(training, new, info=None):
    return tabular_drift(training, csv_table(new, "new"), info or INFO, DriftThresholds(),
                         "training", "m:1")


def test_data_from_the_same_distribution_has_not_drifted(training, tmp_path):
    report = _check(training, _new(tmp_path))
    assert report.verdict == "no drift" and report.rows == 400
    assert [f.feature for f in report.features] == ["x", "y"]


@pytest.mark.parametrize("change,feature,reason", [
    (lambda f: f["x"] + 1, "x", "PSI"),
    (lambda f: f["y"].where(f.index % 5 != 0), "y", "missing 20.0%"),
    (lambda f: f["x"].where(f.index % 10 != 0, 99.0), "x", "outside the training range"),
])
def test_a_changed_feature_is_flagged_alone_with_its_reason(training, tmp_path, change, feature,
                                                           reason):
    report = _check(training, _new(tmp_path, **{feature: change}))
    assert report.drifted_features == [feature]
    (flagged,) = [f for f in report.features if f.drifted]
    assert any(reason in why for why in flagged.reasons)


def test_a_missing_column_drifts_and_an_added_one_is_noted(training, tmp_path):
    report = _check(training, _new(tmp_path, y=None, extra=lambda f: f["x"]))
    assert report.drifted_features == ["y"]
    assert report.features[1].reasons == ["column missing from the new data"]
    assert report.columns_added == ["extra"]


def test_non_numbers_count_as_missing(training, tmp_path):
    new = _new(tmp_path, y=lambda f: ["n/a"] * len(f))
    report = _check(training, new)
    assert report.features[1].statistics["missing_rate"] == 1.0
    assert "no values in the new data" in report.features[1].reasons


def test_chunks_and_files_give_the_same_statistics_as_one_read(training, tmp_path, monkeypatch):
    whole = _check(training, _new(tmp_path, rows=1000))
    folder = tmp_path / "parts"
    folder.mkdir()
    frame = pd.read_csv(tmp_path / "new.csv")
    for index, start in enumerate(range(0, 1000, 400)):
        frame.iloc[start:start + 400].to_csv(folder / f"part{index}.csv", index=False)
    monkeypatch.setattr(module, "CHUNK_ROWS", 70)
    parts = _check(training, folder)
    assert parts.rows == whole.rows == 1000
    for one, other in zip(whole.features, parts.features):
        assert one.statistics == pytest.approx(other.statistics)


def test_without_model_info_the_features_are_the_training_columns_but_the_target():
    assert feature_columns({"target": "target"}, ["a", "b", "target"]) == ["a", "b"]
    assert feature_columns({}, ["a", "target"]) == ["a", "target"]


@pytest.mark.parametrize("content,error", [("", DatasetReadError), ("x,y\n", NoNewRowsError),
                                           ("x;y\n1;2\n", DatasetReadError)])
def test_unusable_new_data_is_a_user_error_naming_it(training, tmp_path, content, error):
    new = tmp_path / "bad.csv"
    new.write_text(content, encoding="utf-8")
    with pytest.raises(error, match="new"):
        _check(training, new)


def test_logged_requests_are_checked_as_the_same_table(training, tmp_path, monkeypatch):
    frame = pd.read_csv(_new(tmp_path, rows=300, x=lambda f: f["x"] + 1))
    requests = [frame.iloc[start:start + 7].to_dict("records") for start in range(0, 300, 7)]
    monkeypatch.setattr(module, "CHUNK_ROWS", 50)
    logged = tabular_drift(training, request_table(lambda: iter(requests), "requests"), INFO,
                           DriftThresholds(), "training", "m:1")
    from_file = _check(training, tmp_path / "new.csv")
    assert logged.rows == from_file.rows == 300 and logged.drifted_features == ["x"]
    for one, other in zip(logged.features, from_file.features):
        assert one.statistics == pytest.approx(other.statistics)


def test_requests_that_are_not_rows_are_refused():
    with pytest.raises(NotRowsError, match="not a list of rows of named features"):
        request_table(lambda: iter([[[0, 1, 2]]]), "requests")
