"""A small repository to read import graphs from: one model, a toolbox, tests."""
import textwrap
from pathlib import Path

import pytest

SMALL_REPOSITORY = {
    "tox.ini": "[tox]\n",
    "README.md": "see shared_code/toolbox/templates/page.html\n",
    "shared_code/__init__.py": "",
    "shared_code/toolbox/__init__.py": """
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from .steps import run_step
        """,
    "shared_code/toolbox/steps.py": "from .errors import UserError\n",
    "shared_code/toolbox/errors.py": "class UserError(Exception):\n    pass\n",
    "shared_code/toolbox/launcher.py": "COMMAND = ['-m', 'shared_code.toolbox.child']\n",
    "shared_code/toolbox/child.py": "",
    "shared_code/toolbox/menu.py": """
        import importlib
        COMMANDS = {"serve": "serve_cmd"}
        def command(name):
            return importlib.import_module("." + COMMANDS[name], __package__)
        """,
    "shared_code/toolbox/serve_cmd.py": """
        def main():
            from ..plots import draw
            return draw
        """,
    "shared_code/toolbox/templates/page.html": "<html></html>\n",
    "shared_code/plots.py": "def draw():\n    return 1\n",
    "shared_code/unused.py": "",
    "model_x/__init__.py": "",
    "model_x/aml_pipeline.py": "from shared_code.toolbox import run_step\n",
    "model_x/config/model_config.yml": "model: {}\n",
    "model_x/model.py": "from shared_code import plots\n",
    "testing/conftest.py": "import pytest\n",
    "testing/testing_helpers.py": "from shared_code.toolbox.launcher import COMMAND\n",
    "testing/model_x/test_model.py": "from model_x import model\n",
    "testing/model_x/test_pipeline.py": "import pytest\n",
    "testing/shared_code/toolbox/test_errors.py":
        "from shared_code.toolbox.errors import UserError\n",
    "testing/shared_code/toolbox/test_launcher.py": "import testing_helpers\n",
    "testing/shared_code/toolbox/test_menu.py": "from shared_code.toolbox.menu import command\n",
    "testing/shared_code/test_runs_model_x.py": "MODEL = 'model_x'\n",
    "testing/shared_code/test_page.py": "PAGE = 'templates/page.html'\n",
}


@pytest.fixture(name="small_repository")
def fixture_small_repository(tmp_path) -> Path:
    """SMALL_REPOSITORY written under a temporary folder; its root."""
    for name, text in SMALL_REPOSITORY.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return tmp_path
