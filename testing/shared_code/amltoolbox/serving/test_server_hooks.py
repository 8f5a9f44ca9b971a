"""Hooks added to the server's routes while it sets them up, each once per app."""
import sys
import types

import flask

from shared_code.amltoolbox.serving.server_hooks import SERVER_ROUTES_MODULE, install_once


def _routes(monkeypatch) -> flask.Blueprint:
    blueprint = flask.Blueprint("main", __name__)
    monkeypatch.setitem(sys.modules, SERVER_ROUTES_MODULE,
                        types.SimpleNamespace(main_blueprint=blueprint))
    return blueprint


def test_a_hook_is_added_once_however_often_it_is_asked_for(monkeypatch):
    blueprint, calls = _routes(monkeypatch), []
    assert install_once("hook", calls.append)
    assert install_once("hook", calls.append)
    assert install_once("another", calls.append)
    assert calls == [blueprint, blueprint]


def test_a_new_app_gets_its_hooks_again(monkeypatch):
    calls = []
    first = _routes(monkeypatch)
    install_once("hook", calls.append)
    second = _routes(monkeypatch)  # the server reloads its routes for each app it creates
    install_once("hook", calls.append)
    assert calls == [first, second]


def test_outside_the_servers_set_up_nothing_is_added(monkeypatch):
    monkeypatch.delitem(sys.modules, SERVER_ROUTES_MODULE, raising=False)
    assert not install_once("hook", lambda blueprint: None)


def test_routes_already_set_up_are_left_as_they_are_and_asked_again_next_time(monkeypatch):
    _routes(monkeypatch)

    def refused(blueprint):
        raise AssertionError("The setup method 'before_request' can no longer be called")
    assert not install_once("hook", refused)
    calls = []
    assert install_once("hook", calls.append) and len(calls) == 1
