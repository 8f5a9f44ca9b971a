"""The local runner's step launcher: the standard's own snippets work as written in a step."""
import json
import os
import subprocess
import textwrap

import pytest
from testing_helpers import make_local_run

from shared_code.amltoolbox.local.runner import step_command
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.run_context import STEP_SPEC_ENV_VAR

# The standard's Inputs and Outputs sections, as a user writes them in a script step.
STANDARD_SNIPPET = """
    import json, sys
    from pathlib import Path
    from azureml.core.run import Run
    run = Run.get_context()
    train = run.input_datasets['train_data'].to_pandas_dataframe()
    (Path(run.output_datasets['model']) / 'rows.json').write_text(json.dumps(
        {"rows": len(train), "args": sys.argv[1:], "name": __name__}))
"""
NO_AZUREML = """
    import json, sys
    from pathlib import Path
    from shared_code.amltoolbox import get_run_context
    run = get_run_context()
    (Path(run.output_datasets['model']) / 'modules.json').write_text(
        json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'azureml')))
"""


@pytest.fixture(name="launch")
def fixture_launch(tmp_path):
    """launch(code, *args): run `code` as a step script through the launcher; its output
    folder."""
    table = tmp_path / "table"
    table.mkdir()
    (table / "part.csv").write_text("x,y\n1,2\n3,4\n", encoding="utf-8")
    run = make_local_run(tmp_path, {"train_data": {"type": "tabular", "name": "t-t-training-01",
                                                   "version": 1, "path": str(table)}},
                         outputs=("model",), step="train")
    run.workspace.close()

    def launch(code: str, *args: str):
        script = tmp_path / "step.py"
        script.write_text(textwrap.dedent(code), encoding="utf-8")
        env = {**os.environ, STEP_SPEC_ENV_VAR: str(run.step_dir / "spec.json"),
               "PYTHONPATH": str(REPO_ROOT), "HBI_WORKSPACE_JOB": "true"}
        subprocess.run(step_command(script, args), cwd=REPO_ROOT,
                       env=env, check=True, timeout=300, capture_output=True)
        return run.step_dir / "outputs" / "model"
    return launch


def test_run_get_context_is_the_local_run_in_a_step(launch):
    written = json.loads((launch(STANDARD_SNIPPET, "--alpha", "1") / "rows.json").read_text())
    assert written == {"rows": 2, "args": ["--alpha", "1"], "name": "__main__"}


def test_a_step_that_does_not_import_azureml_does_not_pay_for_it(launch):
    assert json.loads((launch(NO_AZUREML) / "modules.json").read_text()) == []
