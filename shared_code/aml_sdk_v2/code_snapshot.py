"""The code a v2 job uploads: the model's own snapshot (model_snapshot.py), the one the v1
steps and the emulator use, staged with azure-ai-ml's own .amlignore check
(azure/ai/ml/_utils/_asset_utils.py:194, get_ignore_file). A job's code asset is named by
the content hash of that folder (_asset_utils.py:338, get_content_hash), so an edit
outside what the model's steps use leaves it unchanged."""
from pathlib import Path
from typing import Sequence

from shared_code.amltoolbox.model_config import ModelConfig
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.pipeline import Step
from shared_code.code_snapshot.model_snapshot import stage_snapshot


def staged_code(config: ModelConfig, steps: Sequence[Step], repo_root: Path = REPO_ROOT,
                parent: Path | None = None, roots: Sequence[Path] = ()) -> Path:
    """The model's snapshot, staged for its steps and the shared scripts in `roots` (in the
    local workspace's snapshots/, unless `parent` says where)."""
    from azure.ai.ml._utils._asset_utils import get_ignore_file
    return stage_snapshot(config.layout, {step.script_name for step in steps},
                          get_ignore_file(repo_root).is_file_excluded, repo_root, parent, roots)
