"""summary.json: the decision to register, its reason, and the file register trusts."""
import json
import math
import re

import pytest

from shared_code.amltoolbox.model_config import EvaluationRule
from shared_code.amltoolbox.promotion.summary import (SUMMARY_FILE, Baseline, Champion,
                                                      SummaryError, build_summary, decide,
                                                      read_summary, write_summary)

LOWER_RMSE = EvaluationRule("rmse", greater_is_better=False)
HIGHER_R2 = EvaluationRule("r2", greater_is_better=True, min_improvement=0.05)


def champion(**metrics) -> Champion:
    """A champion that scored `metrics`."""
    return Champion("model_x:3", "champion-sha", metrics)


@pytest.mark.parametrize("rule, metrics, champ, register, reason", [
    (LOWER_RMSE, {"rmse": 5.0}, None, True, "no registered model yet"),
    (LOWER_RMSE, {"rmse": 5.0}, Champion("model_x:3", "new-sha", {"rmse": 9.0}), False,
     "identical to the champion model_x:3"),
    (LOWER_RMSE, {"rmse": 5.0}, champion(rmse=6.0), True,
     "rmse 5 beats the champion model_x:3's 6 \\(lower is better"),
    (LOWER_RMSE, {"rmse": 6.0}, champion(rmse=5.0), False,
     "rmse 6 does not beat the champion model_x:3's 5"),
    (LOWER_RMSE, {"rmse": 5.0}, champion(rmse=5.0), False, "does not beat"),
    (HIGHER_R2, {"r2": 0.60}, champion(r2=0.50), True,
     "higher is better, minimum improvement 0.05"),
    (HIGHER_R2, {"r2": 0.54}, champion(r2=0.50), False, "does not beat"),
    (HIGHER_R2, {"r2": 0.40}, champion(r2=0.50), False, "does not beat"),
    (LOWER_RMSE, {"rmse": math.nan}, None, False, "rmse is nan, not a finite number"),
    (LOWER_RMSE, {"rmse": math.inf}, champion(rmse=5.0), False, "not a finite number"),
    (LOWER_RMSE, {"rmse": 5.0}, Champion("model_x:3", "old", None, "KeyError: 'bmi'"), True,
     "champion model_x:3 could not score the test data \\(KeyError: 'bmi'\\)"),
])
def test_decide(rule, metrics, champ, register, reason):
    decided, why = decide(rule, metrics, champ, "new-sha")
    assert decided is register
    assert re.search(reason, why), why


FLOORED = EvaluationRule("rmse", greater_is_better=False, min_improvement_over_baseline=1.0)
MEAN = Baseline("the training mean (150) for every row", {"rmse": 75.0, "r2": 0.0})


@pytest.mark.parametrize("metrics, champ, register, reason", [
    ({"rmse": 55.0}, None, True, "no registered model yet"),
    ({"rmse": 74.5}, None, False, re.escape(
        "rmse 74.5 does not beat the naive baseline, the training mean (150) for every row, "
        "whose rmse is 75 (lower is better, minimum improvement 1): a model no better than "
        "that is never registered")),
    ({"rmse": 80.0}, None, False, "does not beat the naive baseline"),
    ({"rmse": 74.5}, champion(rmse=90.0), False, "does not beat the naive baseline"),
    ({"rmse": 55.0}, champion(rmse=56.0), True, "beats the champion"),
])
def test_no_model_below_the_baseline_is_registered_champion_or_not(metrics, champ, register,
                                                                   reason):
    decided, why = decide(FLOORED, metrics, champ, "new-sha", MEAN)
    assert decided is register
    assert re.search(reason, why), why


def test_a_baseline_whose_score_is_not_a_number_cannot_be_beaten():
    decided, why = decide(FLOORED, {"rmse": 5.0}, None, "sha", Baseline("b", {"rmse": math.nan}))
    assert not decided and "whose rmse is nan" in why


def test_the_summary_gives_the_baseline_and_its_metrics(tmp_path):
    summary = build_summary(FLOORED, {"rmse": 74.5}, None, "sha", {}, MEAN)
    write_summary(tmp_path, summary)
    written = read_summary(tmp_path)
    assert written["baseline"] == {"description": MEAN.description, "metrics": MEAN.metrics}
    assert written["register_trained_model"] is False and "naive baseline" in written["reason"]


def test_a_champion_whose_files_are_damaged_is_restored_by_the_identical_trained_model():
    damaged = Champion("model_x:3", "new-sha", None, "model model_x:3's files are missing")
    decided, why = decide(LOWER_RMSE, {"rmse": 5.0}, damaged, "new-sha")
    assert decided and "identical to the champion model_x:3, whose files cannot be used" in why


def test_a_primary_metric_that_was_not_computed_is_a_config_error():
    with pytest.raises(SummaryError, match="primary metric 'auc' was not computed.*rmse"):
        decide(EvaluationRule("auc", True), {"rmse": 1.0}, None, "sha")


def test_the_summary_holds_the_decision_both_metrics_the_rule_and_the_data(tmp_path):
    summary = build_summary(LOWER_RMSE, {"rmse": 5.0, "r2": 0.5}, champion(rmse=6.0, r2=0.4),
                            "new-sha", {"test_data": "regression-t-testing-01:1"})
    path = write_summary(tmp_path / "model_score", summary)
    assert path == tmp_path / "model_score" / SUMMARY_FILE
    written = read_summary(tmp_path / "model_score")
    assert written["register_trained_model"] is True
    assert written["metrics"] == {"rmse": 5.0, "r2": 0.5}
    assert written["champion"]["metrics"] == {"rmse": 6.0, "r2": 0.4}
    assert written["champion"]["id"] == "model_x:3"
    assert written["rule"] == {"primary_metric": "rmse", "greater_is_better": False,
                               "min_improvement": 0.0, "min_improvement_over_baseline": 0.0}
    assert written["trained_model_sha256"] == "new-sha"
    assert written["test_data"] == {"test_data": "regression-t-testing-01:1"}
    assert "beats" in written["reason"]


def test_without_a_champion_the_summary_says_so(tmp_path):
    write_summary(tmp_path, build_summary(LOWER_RMSE, {"rmse": 5.0}, None, "sha", {}))
    assert read_summary(tmp_path)["champion"] is None


def test_a_missing_summary_says_which_step_writes_it(tmp_path):
    with pytest.raises(SummaryError, match="does not exist: the evaluate step writes it"):
        read_summary(tmp_path)


@pytest.mark.parametrize("content, problem", [
    ("{not json", "is not valid JSON"),
    (json.dumps({"register_trained_model": "yes"}), "must be true or false, not 'yes'"),
    (json.dumps({"reason": "x"}), "must be true or false, not None"),
    (json.dumps([True]), "must be true or false"),
])
def test_a_summary_register_cannot_trust_is_an_error(tmp_path, content, problem):
    (tmp_path / SUMMARY_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(SummaryError, match=problem):
        read_summary(tmp_path)
