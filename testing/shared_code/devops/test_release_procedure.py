"""The release procedure's table of names: read, and extended by new-model with a renamed row."""
import pytest

from shared_code.devops.release_procedure import PROCEDURE, add_model_row, names_rows

PROCEDURE_TEXT = """# The release

| model | CI pipeline |
| --- | --- |
| `not_this_table` | `x` |

## The names of each model

| model | CI pipeline | web services |
| --- | --- | --- |
| `model_a` | `model_a-ci` | `model-a-dev` |
| `model_b` | `model_b-ci` | `model-b-dev` |

Each model's row.

## Next

| `model_c` | `not a row of names` |
"""


@pytest.fixture(name="procedure")
def fixture_procedure(tmp_path):
    (tmp_path / PROCEDURE).parent.mkdir(parents=True)
    (tmp_path / PROCEDURE).write_text(PROCEDURE_TEXT, encoding="utf-8")
    return tmp_path / PROCEDURE


def test_only_the_rows_of_the_table_of_names_are_read():
    assert names_rows(PROCEDURE_TEXT) == {
        "model_a": "| `model_a` | `model_a-ci` | `model-a-dev` |",
        "model_b": "| `model_b` | `model_b-ci` | `model-b-dev` |"}


def test_a_new_models_row_is_the_sources_renamed_after_the_last_row(procedure):
    def rename(text):
        return text.replace("model_a", "canal").replace("model-a", "canal")

    assert add_model_row(procedure.parents[2], "model_a", rename)
    text = procedure.read_text(encoding="utf-8")
    assert list(names_rows(text)) == ["model_a", "model_b", "canal"]
    assert "| `model_b` | `model_b-ci` | `model-b-dev` |\n" \
        "| `canal` | `canal-ci` | `canal-dev` |\n\nEach model's row." in text


def test_without_a_row_to_copy_nothing_is_added(procedure):
    assert not add_model_row(procedure.parents[2], "model_z", str.upper)
    assert procedure.read_text(encoding="utf-8") == PROCEDURE_TEXT


def test_without_a_procedure_nothing_is_added(tmp_path):
    assert not add_model_row(tmp_path, "model_a", str.upper)
    assert not (tmp_path / PROCEDURE).exists()
