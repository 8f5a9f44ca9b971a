"""Importable folder names for model names (the workspace's place: local/test_store.py)."""
import pytest

from shared_code.amltoolbox.paths import python_name


@pytest.mark.parametrize("name, expected", [("canal-level-forecasting", "canal_level_forecasting"),
                                            (" Model B ", "model_b"), ("model_a", "model_a")])
def test_python_names(name, expected):
    assert python_name(name) == expected
