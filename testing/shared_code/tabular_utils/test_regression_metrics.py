"""RMSE, MAE and R² of a regression model."""
import pytest

from shared_code.tabular_utils.regression_metrics import regression_metrics


def test_perfect_predictions():
    assert regression_metrics([1, 2, 3], [1, 2, 3]) == {"rmse": 0.0, "mae": 0.0, "r2": 1.0}


def test_known_errors():
    metrics = regression_metrics([0, 0, 4, 4], [1, -1, 5, 3])  # every error is 1
    assert metrics["rmse"] == pytest.approx(1.0) and metrics["mae"] == pytest.approx(1.0)
    assert metrics["r2"] == pytest.approx(1 - 4 / 16)
    assert all(isinstance(value, float) for value in metrics.values())
