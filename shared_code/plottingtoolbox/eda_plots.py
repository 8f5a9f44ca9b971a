"""Data profiling plots for a model's eda/ runner."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # pylint: disable=wrong-import-position
import numpy as np  # pylint: disable=wrong-import-position


def distributions(frame, columns_per_row: int = 4):
    """A histogram per numeric column."""
    numeric = frame.select_dtypes("number")
    rows = max(1, int(np.ceil(numeric.shape[1] / columns_per_row)))
    fig, axes = plt.subplots(rows, columns_per_row, figsize=(3.2 * columns_per_row, 2.6 * rows),
                             squeeze=False)
    for ax, column in zip(axes.flat, numeric.columns):
        ax.hist(numeric[column].dropna(), bins=25, color="tab:blue", alpha=0.8)
        ax.set_title(column)
    for ax in list(axes.flat)[numeric.shape[1]:]:
        ax.axis("off")
    fig.suptitle("Distributions")
    fig.tight_layout()
    return fig


def correlations(frame):
    """The Pearson correlation matrix of the numeric columns, as a heatmap."""
    matrix = frame.select_dtypes("number").corr()
    fig, ax = plt.subplots(figsize=(1 + 0.6 * len(matrix), 0.8 + 0.6 * len(matrix)))
    image = ax.imshow(matrix.to_numpy(), cmap="coolwarm", vmin=-1, vmax=1)
    ax.set_xticks(range(len(matrix)), matrix.columns, rotation=45, ha="right")
    ax.set_yticks(range(len(matrix)), matrix.columns)
    for (i, j), value in np.ndenumerate(matrix.to_numpy()):
        ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7)
    fig.colorbar(image, ax=ax, shrink=0.8)
    ax.set_title("Correlations")
    fig.tight_layout()
    return fig
