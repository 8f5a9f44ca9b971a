"""Evaluation plots, returned as figures for run.log_image(name, plot=figure)."""
import matplotlib

matplotlib.use("Agg")  # steps run without a screen, locally and in AML
import matplotlib.pyplot as plt  # pylint: disable=wrong-import-position
import numpy as np  # pylint: disable=wrong-import-position


def predicted_vs_actual(y_true, y_pred, title: str, champion_pred=None):
    """Predictions against the truth, with the ideal diagonal; the champion's too if given."""
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    fig, ax = plt.subplots(figsize=(6, 6))
    if champion_pred is not None:
        ax.scatter(y_true, champion_pred, s=14, alpha=0.45, color="tab:gray", label="champion")
    ax.scatter(y_true, y_pred, s=16, alpha=0.75, color="tab:blue", label="trained model")
    low, high = float(min(y_true.min(), y_pred.min())), float(max(y_true.max(), y_pred.max()))
    ax.plot([low, high], [low, high], color="tab:red", linewidth=1, label="ideal")
    ax.set_xlabel("actual")
    ax.set_ylabel("predicted")
    ax.set_title(title)
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig


def close(fig) -> None:
    """Free a figure once it is saved or logged."""
    plt.close(fig)
