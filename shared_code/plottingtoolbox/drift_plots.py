"""Drift plots: the training data's and the new data's shares of the same bins, side by side,
returned as figures for run.log_image(name, plot=figure)."""
import matplotlib

matplotlib.use("Agg")  # drift checks run without a screen, locally and on a schedule
import matplotlib.pyplot as plt  # pylint: disable=wrong-import-position
import numpy as np  # pylint: disable=wrong-import-position


def shares_side_by_side(labels, training, new, title: str):
    """Bars of the training and new data's share in each bin (or class)."""
    positions = np.arange(len(labels))
    fig, ax = plt.subplots(figsize=(max(6.0, 0.6 * len(labels) + 2), 4))
    ax.bar(positions - 0.2, training, width=0.4, color="tab:gray", label="training data")
    ax.bar(positions + 0.2, new, width=0.4, color="tab:orange", label="new data")
    ax.set_xticks(positions, labels, rotation=45 if len(labels) > 6 else 0, ha="right"
                  if len(labels) > 6 else "center")
    ax.set_ylabel("share")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    return fig
