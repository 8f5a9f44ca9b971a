"""new-model keeps the headings the model card needs, and lists them for the new model's
owner to rewrite; from each reference model (testing/reference_models.py)."""
import shutil

import pytest
from reference_models import reference_models

from shared_code.model_scaffold.new_model import create_model
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.model_monitoring.documentation import CARD_HEADINGS, card_documentation


@pytest.fixture(name="repo_copy")
def fixture_repo_copy(tmp_path, source):
    """The source model folder, its tests and the release procedure, in a temporary
    repository (not every model's: with a hundred, a copy of each for each would cost)."""
    copy = tmp_path / "repo"
    skip = shutil.ignore_patterns("data", "__pycache__", "output")
    shutil.copytree(REPO_ROOT / source, copy / source, ignore=skip)
    shutil.copytree(REPO_ROOT / "testing" / source, copy / "testing" / source, ignore=skip)
    shutil.copytree(REPO_ROOT / "shared_code" / "devops", copy / "shared_code" / "devops")
    return copy


@pytest.mark.parametrize("source", reference_models())
def test_a_new_model_has_the_cards_headings_on_its_checklist(repo_copy, source):
    made = create_model("canal-level-forecasting", source, repo_root=repo_copy)
    found = card_documentation(made.folder)
    assert found.file == made.folder / "documentation" / "canal_level_forecasting.md"
    assert list(found.sections) == list(CARD_HEADINGS) and not found.warnings
    listed = [item for item in made.checklist if "documentation/" in item]
    assert any("## Purpose" in item for item in listed)
    assert any("who answers for this model" in item for item in listed)
