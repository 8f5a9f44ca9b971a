"""The models pages' view models: each version with its lineage, and two side by side."""
import pytest

from shared_code.amltoolbox.local.models import ModelNotFoundError
from shared_code.amltoolbox.local.runner_identity import runner_identity
from shared_code.aml_studio.model_views import all_models, compare_versions, versions_of


@pytest.fixture(name="two_versions")
def fixture_two_versions(opened, tmp_path):
    """model_a:1 as recorded, and a model_a:2 trained on a newer training set (by a run that
    is Running: only a live run registers)."""
    run_id = opened.runs.start_run("model_a", "model_a", runner_identity(), run_id="model_a_run_2")
    artifact = tmp_path / "model_2"
    artifact.mkdir()
    (artifact / "model.pkl").write_bytes(b"a better model")
    opened.models.register("model_a", artifact, "a test model", {"project": "test"},
                           {"rmse": 50.1, "mae": 43.8, "sha256": "y"},
                           {"training_data": {"train_data": "regression-test-training-01:2"},
                            "testing_data": {"test_data": "regression-test-testing-01:1"},
                            "azureml.git.commit": "beef"}, run_id=run_id)
    return versions_of(opened, "model_a")


def test_a_version_shows_its_metrics_tags_sha256_and_lineage(opened, recorded):
    (version,) = versions_of(opened, "model_a")
    assert version.id == "model_a:1" and len(version.sha256) == 64
    assert [(m.name, m.text) for m in version.metrics] == [("mae", "43.8"), ("rmse", "55.2")]
    assert version.tags == {"project": "test"}
    assert version.properties["sha256"] == "x"  # every property, as recorded
    assert version.datasets == ["regression-test-training-01:1", "regression-test-testing-01:1"]
    assert version.run_id == recorded.first
    assert version.git_commit.startswith("c0ffee") and version.git_dirty == "False"


def test_every_model_is_listed_with_its_versions_oldest_first(opened, two_versions):
    assert [v.id for v in two_versions] == ["model_a:1", "model_a:2"]
    assert {name: [v.version for v in versions]
            for name, versions in all_models(opened).items()} == {"model_a": [1, 2]}


def test_two_versions_side_by_side_mark_what_differs(two_versions):
    first, second = two_versions
    fields = {field.label: field for field in compare_versions(first, second)}
    assert (fields["metric rmse"].left, fields["metric rmse"].right) == ("55.2", "50.1")
    assert fields["metric rmse"].differs and not fields["metric mae"].differs
    assert fields["data train_data"].right == "regression-test-training-01:2"
    assert not fields["data test_data"].differs
    assert fields["git commit"].right == "beef" and fields["run"].right == "model_a_run_2"
    assert (fields["uncommitted changes"].left, fields["uncommitted changes"].right) == \
        ("False", "")


def test_a_model_with_no_version_says_how_to_make_one(opened):
    with pytest.raises(ModelNotFoundError, match="run its pipeline first"):
        versions_of(opened, "model_zz")
