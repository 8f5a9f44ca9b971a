"""The models the shared code's own tests run whole pipelines of (under the emulator, in batch,
for drift, through new-model): the repository's two examples, a tabular and an image model.

Every model folder has the model kit's checks (testing/model_kit/) and, in its CI, its own
pipeline run locally and under the emulator (shared_code/devops/ci_template.yml). A test of
the shared code that runs a whole pipeline tests the shared code: run on a hundred copies of
model_a it would test the same code a hundred times, and a hundred models' `tox` would spend
most of its time there. Those tests run on these models, the ones the repository has.
"""
from shared_code.amltoolbox.layout import is_model_folder
from shared_code.amltoolbox.paths import REPO_ROOT

REFERENCE_MODELS = ("model_a", "model_b")


def reference_models() -> list[str]:
    """The reference models that are model folders of this repository."""
    return [name for name in REFERENCE_MODELS if is_model_folder(REPO_ROOT / name)]
