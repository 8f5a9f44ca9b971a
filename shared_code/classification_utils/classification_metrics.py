"""The metrics of a classifier: overall, and per class (recall and its complement, the
false-negative rate: the share of a class's examples the model misses)."""
import numpy as np
from sklearn.metrics import accuracy_score, f1_score, recall_score


def classification_metrics(y_true, y_pred) -> dict[str, float]:
    """Accuracy, macro F1, the worst class's recall, then recall_<c> and
    false_negative_rate_<c> for each class c of the true labels."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.size == 0:
        raise ValueError("there are no labelled examples to score: the test data is empty")
    classes = np.unique(y_true)
    recalls = recall_score(y_true, y_pred, labels=classes, average=None, zero_division=0)
    metrics = {"accuracy": float(accuracy_score(y_true, y_pred)),
               "f1_macro": float(f1_score(y_true, y_pred, average="macro", zero_division=0)),
               "min_recall": float(recalls.min())}
    for label, recall in zip(classes, recalls):
        metrics[f"recall_{label}"] = float(recall)
    for label, recall in zip(classes, recalls):
        metrics[f"false_negative_rate_{label}"] = float(1.0 - recall)
    return metrics
