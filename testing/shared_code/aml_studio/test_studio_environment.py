"""`tox -e studio` installs only the studio's own dependencies (tox.ini), so the studio must
import nothing else: not numpy, pandas or azureml, which only the full lock brings."""
import configparser
import json
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, packages_distributions, requires

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from shared_code.amltoolbox.paths import REPO_ROOT

# What the studio and `runs show --html` import, run in a fresh interpreter: the command
# line, every page, and the stand-alone file.
IMPORTS = """
import json, sys
started_with = set(sys.modules)  # the interpreter's own start-up (site, .pth files)
from pathlib import Path
from shared_code.amltoolbox.cli.main import build_parser
from shared_code.aml_studio.app import create_app
from shared_code.aml_studio.server import serve_studio
from shared_code.aml_studio.standalone import write_run_html
build_parser()
client = create_app(Path(sys.argv[1])).test_client()
for url in ("/", "/models", "/datasets"):
    client.get(url)
print(json.dumps(sorted({name.split(".")[0] for name in set(sys.modules) - started_with})))
"""


def _studio_requirements() -> list[str]:
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(REPO_ROOT / "tox.ini", encoding="utf-8")
    return [line.strip() for line in ini["testenv:studio"]["deps"].splitlines()
            if line.strip() and not line.strip().startswith("-")]


def _with_dependencies(names: list[str]) -> set[str]:
    """The distributions `names` install, their own requirements included."""
    wanted, seen = [canonicalize_name(n) for n in names], set()
    while wanted:
        name = wanted.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            required = requires(name) or []
        except PackageNotFoundError:
            continue
        for line in required:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                wanted.append(canonicalize_name(requirement.name))
    return seen


def test_the_studio_imports_only_what_its_tox_environment_installs(tmp_path):
    imported = json.loads(subprocess.run(
        [sys.executable, "-c", IMPORTS, str(tmp_path / "workspace")], cwd=REPO_ROOT,
        capture_output=True, text=True, check=True).stdout)
    installed = _with_dependencies(_studio_requirements())
    owners = packages_distributions()
    outside = sorted(
        module for module in imported
        if module in owners and module not in sys.stdlib_module_names
        and not {canonicalize_name(d) for d in owners[module]} & installed)
    assert not outside, f"the studio imports {outside}, which tox -e studio does not install: " \
                        "import them only where used, or add them to its deps in tox.ini"
    assert {"flask", "werkzeug", "jinja2", "pyyaml"} <= installed
