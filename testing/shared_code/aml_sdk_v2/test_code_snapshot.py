"""The v2 jobs' code is the model's own snapshot: azure-ai-ml's content hash of it (what
names the job's code asset) moves only with what the model's steps use."""
import pytest
from snapshot_helpers import copy_snapshot_sources

pytest.importorskip("azure.ai.ml", reason="the SDK v2 tests run in tox -e v2")

# pylint: disable=wrong-import-position
from shared_code.aml_sdk_v2.code_snapshot import staged_code
from shared_code.amltoolbox.pipeline import load_pipeline
from shared_code.amltoolbox.model_config import load_model_config


@pytest.fixture(name="repo")
def fixture_repo(tmp_path):
    """A copy of the repository's models, shared code, README and .amlignore, with a test."""
    repo = copy_snapshot_sources(tmp_path / "repo")
    return repo


def _code_hash(repo, tmp_path) -> str:
    """The content hash azure-ai-ml gives model_a's v2 code (_asset_utils.py:338)."""
    from azure.ai.ml._utils._asset_utils import get_content_hash, get_ignore_file
    config = load_model_config(repo / "model_a")
    code = staged_code(config, load_pipeline("model_a")[1], repo, tmp_path / "snapshots")
    return get_content_hash(code, get_ignore_file(code))


@pytest.mark.parametrize("edited, changes", [
    ("model_b/model.py", False),
    ("testing/test_x.py", False),
    ("README.md", False),
    ("model_a/script_steps/evaluate.py", True),
])
def test_model_as_v2_code_moves_only_with_what_its_steps_use(repo, tmp_path, edited, changes):
    before = _code_hash(repo, tmp_path)
    with open(repo / edited, "a", encoding="utf-8") as file:
        file.write("\n# edited\n")
    assert (_code_hash(repo, tmp_path) != before) is changes
