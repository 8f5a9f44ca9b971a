"""The datasets page's view model: each version's description fields and who uses it."""
import pytest

from shared_code.amltoolbox.model_config import DatasetSpec
from shared_code.aml_studio.dataset_views import dataset_versions, description_fields


def test_each_version_has_its_type_description_fields_tags_and_models(opened):
    versions = dataset_versions(opened)
    testing, training = versions[0], versions[1]
    assert (training.id, training.type, training.files) == (
        "regression-test-training-01:1", "tabular", 1)
    assert training.description == {"Data source": "made by a test", "Content": "two rows",
                                     "Original purpose": "testing the studio",
                                     "Contacts": "me@example.com"}
    assert training.tags == {"usage": "test"} and len(training.sha256) == 64
    assert training.used_by == testing.used_by == [("model_a", 1)]


def test_a_version_no_model_uses_says_so(opened, tmp_path):
    data = tmp_path / "other.csv"
    data.write_text("a\n1\n", encoding="utf-8")
    opened.datasets.register("regression-test-other-01", "tabular", data, "free text")
    other = next(d for d in dataset_versions(opened) if d.name == "regression-test-other-01")
    assert other.used_by == []
    assert other.other_description == "free text"
    assert set(other.description.values()) == {""}


def test_the_fields_read_back_what_the_standard_writes():
    spec = DatasetSpec(name="n", type="tabular", path="p", tags={}, description={
        "data_source": "a survey", "content": "answers", "original_purpose": "research",
        "contacts": "team@example.com"})
    fields, other = description_fields(spec.description_text())
    assert fields == {"Data source": "a survey", "Content": "answers",
                      "Original purpose": "research", "Contacts": "team@example.com"}
    assert other == ""


@pytest.mark.parametrize("text, field, value", [
    ("Content: line one\nline two", "Content", "line one\nline two"),
    ("Contacts:   me  ", "Contacts", "me"),
])
def test_a_field_may_run_over_several_lines(text, field, value):
    assert description_fields(text)[0][field] == value
