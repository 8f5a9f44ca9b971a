"""The CI's hand-over to the CD release: registered_model.json."""
import json

import pytest

from shared_code.amltoolbox.deployment.errors import DeploymentError
from shared_code.amltoolbox.deployment.release_artifact import (ARTIFACT_FILE, ReleaseArtifact,
                                                                latest_registered_version,
                                                                read_release_artifact,
                                                                version_for,
                                                                write_release_artifact)

ARTIFACT = ReleaseArtifact(model_folder="model_a", name="model_a", version=7)


@pytest.mark.parametrize("target", ["registered_model", "out/model.json"])
def test_the_artifact_reads_back_as_written(tmp_path, target):
    path = write_release_artifact(tmp_path / target, ARTIFACT)
    assert path.suffix == ".json"
    assert read_release_artifact(path) == ARTIFACT
    assert json.loads(path.read_text(encoding="utf-8")) == \
        {"model_folder": "model_a", "name": "model_a", "version": 7}


def test_a_folder_is_read_as_the_artifact_inside_it(tmp_path):
    write_release_artifact(tmp_path, ARTIFACT)
    assert (tmp_path / ARTIFACT_FILE).is_file()
    assert read_release_artifact(tmp_path) == ARTIFACT


@pytest.mark.parametrize("content, message", [
    (None, "does not exist: point --artifact at the registered_model artifact"),
    ("not json", "is not a release artifact"),
    ('{"name": "model_a", "version": 1}', "is not a release artifact .*'model_folder'"),
    ('{"model_folder": "model_a", "name": "model_a", "version": "one"}', "integer version"),
])
def test_a_bad_artifact_says_what_is_wrong(tmp_path, content, message):
    path = tmp_path / ARTIFACT_FILE
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(DeploymentError, match=message):
        read_release_artifact(path)


def test_the_version_is_used_only_for_the_model_it_names():
    assert version_for(ARTIFACT, "model_a") == 7
    with pytest.raises(DeploymentError, match="names the model model_a .* not model_b: the "
                                              "release links the wrong CI build"):
        version_for(ARTIFACT, "model_b")


def test_the_latest_version_comes_from_the_workspace(mocker, workspace):
    model_class = mocker.patch("azureml.core.Model")
    model_class.return_value.version = 12
    assert latest_registered_version(workspace, "model_a") == 12
    model_class.assert_called_once_with(workspace, name="model_a", version=None)
