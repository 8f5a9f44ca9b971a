"""Classification plots, returned as figures for run.log_image(name, plot=figure)."""
import matplotlib

matplotlib.use("Agg")  # steps run without a screen, locally and in AML
import matplotlib.pyplot as plt  # pylint: disable=wrong-import-position
import numpy as np  # pylint: disable=wrong-import-position
from sklearn.metrics import confusion_matrix  # pylint: disable=wrong-import-position


def confusion_matrix_figure(y_true, y_pred, title: str, champion_pred=None):
    """The trained model's confusion matrix (counts, shaded by each true class's share);
    the champion's beside it when its predictions are given."""
    classes = np.unique(np.concatenate([np.asarray(labels) for labels in
                                        (y_true, y_pred, champion_pred) if labels is not None]))
    panels = [("trained model", y_pred)]
    if champion_pred is not None:
        panels.append(("champion", champion_pred))
    size = 1.6 + 0.45 * len(classes)
    fig, axes = plt.subplots(1, len(panels), figsize=(size * len(panels), size), squeeze=False)
    for ax, (name, predictions) in zip(axes.flat, panels):
        _draw_matrix(ax, confusion_matrix(y_true, predictions, labels=classes), classes, name)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def _draw_matrix(ax, counts: np.ndarray, classes: np.ndarray, name: str) -> None:
    totals = counts.sum(axis=1, keepdims=True)
    shares = np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0)
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    for (row, column), count in np.ndenumerate(counts):
        if count:
            ax.text(column, row, str(count), ha="center", va="center", fontsize=8,
                    color="white" if shares[row, column] > 0.5 else "black")
    ticks = range(len(classes))
    ax.set_xticks(ticks, [str(c) for c in classes])
    ax.set_yticks(ticks, [str(c) for c in classes])
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(name)
