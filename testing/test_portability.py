"""The README's commands start on Windows, macOS and Linux: tox.ini names no POSIX-only path
or shell construct, and virtualenvs/tox.py builds each platform's venv paths. Only Linux runs
here, so the other platforms' branches are checked with the platform faked where that is
honest (a path built, a choice made), not by running them."""
import configparser
import importlib.util
import re

import pytest

from shared_code.amltoolbox.paths import REPO_ROOT

TOX_INI = REPO_ROOT / "tox.ini"
# A venv's bin/ folder (Scripts\ on Windows), a root-anchored path, a shell operator or
# substitution: none of them means the same on every platform. A '/' inside an argument is
# fine: Python and the tools it runs read it as a separator on Windows too.
POSIX_ONLY = {
    "a venv's bin/ folder": re.compile(r"(^|[{}/\\])bin(\{/\}|/)"),
    "an absolute POSIX path": re.compile(r"(^|\s)/(usr|bin|tmp|etc|dev|opt)\b"),
    "a shell operator": re.compile(r"(&&|\|\||;\s|\$\(|`|(?<![<>=!])>(?!=)|\|(?!\|))"),
}


def _tox_values():
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(TOX_INI, encoding="utf-8")
    for section in ini.sections():
        for key in ("commands", "commands_pre", "python", "ensure", "set_env", "deps",
                    "allowlist_externals"):
            if ini.has_option(section, key):
                yield f"[{section}] {key}", ini.get(section, key)


def _strip_prose(value: str) -> str:
    """The value without comments, version specifiers and the tox requires line's '>='."""
    lines = [line.split("#", 1)[0] for line in value.splitlines()]
    return "\n".join(line for line in lines if not line.strip().startswith(("-c ", "-r ")))


@pytest.mark.parametrize("what", sorted(POSIX_ONLY))
def test_tox_ini_has_nothing_posix_only(what):
    found = [f"{where}: {line.strip()}" for where, value in _tox_values()
             for line in _strip_prose(value).splitlines() if POSIX_ONLY[what].search(line)]
    assert not found, f"{what} in tox.ini:\n" + "\n".join(found)


def test_the_check_would_see_the_old_posix_interpreter_path():
    """The rule catches what tox.ini once had: the tests env's python as bin/python."""
    assert POSIX_ONLY["a venv's bin/ folder"].search("{work_dir}{/}tests{/}bin{/}python")


def test_envs_that_run_the_tests_python_ask_tox_for_its_path():
    """tox gives env_python per platform (bin/python or Scripts\\python.exe: virtualenv's
    describe, tox/tox_env/python/virtual_env/api.py, VirtualEnv.env_python)."""
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(TOX_INI, encoding="utf-8")
    assert ini.get("shared", "python").strip() == "{[testenv:tests]env_python}"


@pytest.fixture(name="bootstrap")
def fixture_bootstrap():
    spec = importlib.util.spec_from_file_location("tox_bootstrap_portability",
                                                  REPO_ROOT / "virtualenvs" / "tox.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("os_name, expected", [("posix", ("bin", "tox")),
                                               ("nt", ("Scripts", "tox.exe"))])
def test_the_bootstrap_finds_tox_in_each_platforms_venv(bootstrap, monkeypatch, os_name,
                                                        expected):
    monkeypatch.setattr(bootstrap.os, "name", os_name)
    assert bootstrap.tools_bin("tox").parts[-2:] == expected


def test_on_windows_the_bootstrap_waits_for_tox_instead_of_exec(bootstrap, monkeypatch, mocker):
    monkeypatch.setattr(bootstrap.os, "name", "nt")
    monkeypatch.setattr(bootstrap.os, "chdir", lambda _: None)
    run = mocker.patch.object(bootstrap.subprocess, "run", return_value=mocker.Mock(returncode=3))
    execv = mocker.patch.object(bootstrap.os, "execv")
    with pytest.raises(SystemExit) as exited:
        bootstrap.run_tox(["-e", "pipeline"])
    assert exited.value.code == 3 and run.called and not execv.called
