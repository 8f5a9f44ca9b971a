"""The confusion-matrix figure: counts in the cells, one panel per model."""
import pytest

from shared_code.plottingtoolbox.classification_plots import confusion_matrix_figure
from shared_code.plottingtoolbox.evaluation_plots import close


@pytest.fixture(name="figures")
def fixture_figures():
    """A list to put the figures a test makes in; they are closed afterwards."""
    made = []
    yield made
    for figure in made:
        close(figure)


def cell_texts(ax) -> list[str]:
    """The numbers written in the matrix's cells, sorted."""
    return sorted(text.get_text() for text in ax.texts)


def test_the_matrix_shows_each_non_zero_count(figures):
    figures.append(confusion_matrix_figure([0, 0, 1, 2], [0, 1, 1, 2], "digits"))
    (ax,) = figures[0].axes[:1]
    assert cell_texts(ax) == ["1", "1", "1", "1"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1", "2"]
    assert ax.get_title() == "trained model"


def test_the_champion_gets_its_own_panel(figures):
    figures.append(confusion_matrix_figure([0, 0, 1], [0, 0, 1], "digits",
                                           champion_pred=[1, 1, 1]))
    trained, champion = [ax for ax in figures[0].axes if ax.get_title()]
    assert (trained.get_title(), champion.get_title()) == ("trained model", "champion")
    assert cell_texts(trained) == ["1", "2"] and cell_texts(champion) == ["1", "2"]
    assert figures[0].texts[0].get_text() == "digits"


def test_a_class_only_predicted_still_gets_a_row_and_column(figures):
    figures.append(confusion_matrix_figure([0, 0], [0, 3], "digits"))
    ax = figures[0].axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0", "3"]
