"""Evaluation plots: figures that run.log_image(name, plot=figure) saves."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from shared_code.plottingtoolbox.evaluation_plots import close, predicted_vs_actual


@pytest.mark.parametrize("champion, series", [(None, 2), ([1.5, 2.5, 2.0], 3)])
def test_predicted_vs_actual_has_both_models_and_the_ideal_line(tmp_path, champion, series):
    figure = predicted_vs_actual([1, 2, 3], np.array([1.1, 2.2, 2.9]), "model: test", champion)
    [ax] = figure.axes
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("model: test", "actual",
                                                                  "predicted")
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert len(labels) == series and "ideal" in labels and "trained model" in labels
    figure.savefig(tmp_path / "plot.png")
    assert (tmp_path / "plot.png").read_bytes()[:4] == b"\x89PNG"
    close(figure)
    assert not plt.fignum_exists(figure.number)
