"""Hooks added to the inference server's routes while it sets them up, once per app.

azureml-inference-server-http 1.5.1 imports the entry script and calls its init() while it
registers its routes: server/create_app.py:20 registers the blueprint, whose register()
(server/aml_blueprint.py:142) calls setup(), which loads the script at :91 and calls init() at
:109, before Flask's Blueprint.register at :144. A before_request hook or an error handler
added to the routes then is part of the app, locally and in Azure ML; once they are
registered, Flask refuses more (an AssertionError). Each hook is added once per app, so the
server's entry script (server_entry_script.py) and a model's init() may both ask for it.
"""
import sys
from typing import Callable

SERVER_ROUTES_MODULE = "azureml_inference_server_http.server.routes"
_INSTALLED = "_amltoolbox_hooks"  # on the blueprint: the hooks it has; a new app, a new one


def install_once(hook: str, install: Callable) -> bool:
    """Call `install(blueprint)` on the server's routes unless `hook` is on them already;
    whether the hook is on them. Outside the server's set-up (init() called directly, with or
    without a server in the process) there is nothing to add to."""
    routes = sys.modules.get(SERVER_ROUTES_MODULE)
    if routes is None:
        return False
    blueprint = routes.main_blueprint
    installed = blueprint.__dict__.setdefault(_INSTALLED, set())
    if hook not in installed:
        try:
            install(blueprint)
        except AssertionError:
            return False  # Flask's answer once the routes are set up: not the server's init()
        installed.add(hook)
    return True
