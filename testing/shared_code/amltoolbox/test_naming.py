"""The standard's dataset naming convention."""
import pytest

from shared_code.amltoolbox.naming import NamingError, check_dataset_name, check_model_name


@pytest.mark.parametrize("name, parts", [
    ("regression-diabetes-training-01", ("regression", "diabetes", "training", "01")),
    ("classification-canal-level-forecasting-testing-12",
     ("classification", "canal-level-forecasting", "testing", "12")),
])
def test_valid_dataset_names_split_into_their_parts(name, parts):
    found = check_dataset_name(name)
    assert (found["modeltype"], found["project"], found["usage"], found["version"]) == parts


@pytest.mark.parametrize("name", ["diabetes", "regression-diabetes-training", "Regression-x-y-01",
                                  "regression-diabetes-training-1", "", "regression--training-01"])
def test_bad_dataset_names_are_refused_with_the_expected_form(name):
    with pytest.raises(NamingError, match="modeltype-project-usage-version"):
        check_dataset_name(name)


@pytest.mark.parametrize("name", ["model a", "-model", "x" * 256])
def test_bad_model_names_are_refused(name):
    with pytest.raises(NamingError):
        check_model_name(name)
