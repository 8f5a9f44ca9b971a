"""Classification metrics: overall figures and each class's recall and false-negative rate."""
import pytest

from shared_code.classification_utils.classification_metrics import classification_metrics


def test_perfect_predictions_score_one_and_miss_nothing():
    metrics = classification_metrics([0, 1, 2, 1], [0, 1, 2, 1])
    assert metrics["accuracy"] == metrics["f1_macro"] == metrics["min_recall"] == 1.0
    assert all(metrics[f"false_negative_rate_{c}"] == 0.0 for c in (0, 1, 2))


def test_per_class_recall_and_false_negative_rate_count_the_misses_of_each_class():
    # class 0: 4 examples, 1 missed; class 1: 2 examples, none missed; class 2: 2, both missed
    y_true = [0, 0, 0, 0, 1, 1, 2, 2]
    y_pred = [0, 0, 0, 1, 1, 1, 0, 1]
    metrics = classification_metrics(y_true, y_pred)
    assert metrics["accuracy"] == pytest.approx(5 / 8)
    assert (metrics["recall_0"], metrics["recall_1"], metrics["recall_2"]) == (0.75, 1.0, 0.0)
    assert metrics["false_negative_rate_0"] == pytest.approx(0.25)
    assert metrics["false_negative_rate_2"] == 1.0
    assert metrics["min_recall"] == 0.0
    # F1 per class: 0 -> P 3/4, R 3/4 = 0.75; 1 -> P 2/4, R 1 = 2/3; 2 -> 0
    assert metrics["f1_macro"] == pytest.approx((0.75 + 2 / 3 + 0) / 3)


def test_the_classes_are_those_of_the_true_labels_and_all_values_are_plain_floats():
    metrics = classification_metrics(["cat", "dog"], ["cat", "bird"])
    assert set(metrics) == {"accuracy", "f1_macro", "min_recall", "recall_cat", "recall_dog",
                            "false_negative_rate_cat", "false_negative_rate_dog"}
    assert all(isinstance(value, float) for value in metrics.values())


def test_no_examples_is_an_error_that_says_so():
    with pytest.raises(ValueError, match="the test data is empty"):
        classification_metrics([], [])
