"""Data profiling plots and the profile written as files."""
import numpy as np
import pandas as pd
import pytest

from shared_code.plottingtoolbox.eda_plots import correlations, distributions
from shared_code.plottingtoolbox.eda_report import profile_table
from shared_code.plottingtoolbox.evaluation_plots import close


@pytest.fixture(name="frame")
def fixture_frame():
    generator = np.random.default_rng(0)
    x = generator.normal(size=50)
    return pd.DataFrame({"x": x, "y": 2 * x + 1, "z": generator.normal(size=50),
                         "label": ["a", "b"] * 25, "w": x ** 2, "v": -x})


def test_distributions_has_a_histogram_per_numeric_column_and_hides_spare_axes(frame):
    figure = distributions(frame, columns_per_row=4)
    visible = [ax for ax in figure.axes if ax.axison]
    assert [ax.get_title() for ax in visible] == ["x", "y", "z", "w", "v"]
    assert len(figure.axes) == 8
    close(figure)


def test_correlations_annotates_each_pair(frame):
    figure = correlations(frame)
    heatmap = figure.axes[0]
    values = [text.get_text() for text in heatmap.texts]
    assert len(values) == 25 and values[1] == "1.00"  # x and y are perfectly correlated
    assert [t.get_text() for t in heatmap.get_xticklabels()] == ["x", "y", "z", "w", "v"]
    close(figure)


def test_the_profile_writes_its_statistics_and_both_figures(tmp_path, frame):
    written = profile_table(frame, tmp_path / "eda")
    assert [p.name for p in written] == ["summary.csv", "distributions.png", "correlations.png"]
    assert all(p.read_bytes()[:4] == b"\x89PNG" for p in written[1:])
    summary = pd.read_csv(written[0], index_col=0)
    assert summary.loc["x", "missing"] == 0 and summary.loc["y", "count"] == 50
