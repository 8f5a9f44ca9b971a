"""The repository's git state, handed to the SDK while it uploads a model's snapshot.

The SDK records the code's git state (commit, branch, dirty, repository) with each step's
module and snapshot, asking git in the snapshot's folder (azureml/pipeline/core/
_aeva_provider.py:313, azureml/_restclient/snapshots_client.py:113). A model's snapshot is
staged outside git's view (model_snapshot.py), where git would answer nothing, or "clean"
for an ignored folder. So the repository's own state is passed the way the SDK takes an
override: its AZUREML_GIT_* variables (azureml/_base_sdk_common/tracking/
git_tracking_info_provider.py:55-61), those the caller has not set already. Dirty is that of
the model's code (its folder and the shared code), as the local runner records it: the
snapshot holds that code, and another model's change is not in it.
"""
import contextlib
import os
from pathlib import Path
from typing import Sequence

from azureml._base_sdk_common.tracking import global_tracking_info_registry
from azureml._base_sdk_common.tracking.git_tracking_info_provider import (
    GitTrackingInfoProvider as Git)

from shared_code.amltoolbox.git_info import GIT_DIRTY, git_properties
from shared_code.amltoolbox.paths import REPO_ROOT

# Each property the SDK records, and the variable it reads first.
_OVERRIDES = {Git.PROP_REPOSITORY_URI: Git.ENV_REPOSITORY_URI, Git.PROP_BRANCH: Git.ENV_BRANCH,
              Git.PROP_COMMIT: Git.ENV_COMMIT, Git.PROP_DIRTY: Git.ENV_DIRTY}


def git_state(repo: Path, code: Sequence[str] = ()) -> dict:
    """What the SDK gathers in `repo` (commit, branch, repository, dirty), dirty asked of the
    `code` paths only when they are given."""
    state = global_tracking_info_registry.gather_all(str(repo))
    if code and Git.PROP_DIRTY in state:
        state[Git.PROP_DIRTY] = git_properties(repo, code).get(GIT_DIRTY, state[Git.PROP_DIRTY])
    return state


@contextlib.contextmanager
def repository_git_state(repo: Path = REPO_ROOT, code: Sequence[str] = ()):
    """Within: the SDK records `repo`'s git state (dirty of `code`), wherever the snapshot
    is."""
    state = git_state(repo, code)
    added = {variable: state[prop] for prop, variable in _OVERRIDES.items()
             if prop in state and variable not in os.environ}
    os.environ.update(added)
    try:
        yield state
    finally:
        for variable in added:
            os.environ.pop(variable, None)
