"""XGBoost tree ensembles scored by numpy: the booster's numbers, bit for bit."""
import numpy as np
import pytest
import xgboost

from shared_code.tabular_utils import tree_ensemble
from shared_code.tabular_utils.tree_ensemble import (SMALL_BATCH_ROWS, UnsupportedModel,
                                                     compile_booster, serving_predictor)


def _booster(objective: str = "reg:squarederror", rounds: int = 40, missing_rows=False,
             **params) -> tuple[xgboost.Booster, np.ndarray]:
    rng = np.random.default_rng(7)
    features = rng.normal(size=(300, 6)) * [1, 10, 100, 0.1, 1, 1000]
    target = features[:, 0] * 3 + np.sin(features[:, 1]) + (features[:, 2] > 50)
    if objective.endswith("logistic"):
        target = (target > target.mean()).astype(float)
    if missing_rows:
        features[::4, 1] = np.nan
    data = xgboost.DMatrix(features, label=target)
    booster = xgboost.train({"objective": objective, "max_depth": 4, "nthread": 1, **params},
                            data, rounds)
    return booster, features


@pytest.mark.parametrize("missing_rows", [False, True], ids=["complete", "with missing values"])
def test_predictions_equal_the_boosters_bit_for_bit(missing_rows):
    booster, features = _booster(missing_rows=missing_rows)
    ensemble = compile_booster(booster)
    rows = np.vstack([features, np.nextafter(features, np.inf)])
    assert np.array_equal(ensemble.predict(rows), booster.inplace_predict(rows))
    assert np.array_equal(ensemble.predict(rows[:1]), booster.inplace_predict(rows[:1]))


def test_missing_values_take_each_splits_default_way():
    booster, features = _booster(missing_rows=True)
    rows = features.copy()
    rows[:, 1] = np.nan
    assert np.array_equal(compile_booster(booster).predict(rows), booster.inplace_predict(rows))


@pytest.mark.parametrize("objective", ["reg:logistic", "binary:logistic"])
def test_an_objective_with_a_link_function_is_refused(objective):
    booster, _ = _booster(objective=objective)
    with pytest.raises(UnsupportedModel, match=objective):
        compile_booster(booster)


def test_numbers_that_differ_from_the_boosters_are_refused(mocker):
    booster, _ = _booster()
    mocker.patch.object(tree_ensemble.TreeEnsemble, "predict",
                        side_effect=lambda rows: np.zeros(len(rows), np.float32))
    with pytest.raises(UnsupportedModel, match="differ"):
        compile_booster(booster)


def test_the_serving_predictor_scores_small_batches_by_numpy_and_large_by_the_booster(mocker):
    booster, features = _booster()
    predict = serving_predictor(booster)
    spy = mocker.spy(booster, "inplace_predict")
    small, large = features[:SMALL_BATCH_ROWS], features[:SMALL_BATCH_ROWS + 1]
    assert np.array_equal(predict(small), booster.inplace_predict(small))
    assert spy.call_count == 1  # the comparison's call alone
    assert np.array_equal(predict(large), booster.inplace_predict(large))
    assert spy.call_count == 3


def test_a_model_numpy_cannot_score_is_served_by_the_booster(capsys):
    booster, features = _booster(objective="reg:logistic")
    predict = serving_predictor(booster)
    assert np.array_equal(predict(features[:2]), booster.inplace_predict(features[:2]))
    assert "inplace_predict" in capsys.readouterr().err
