"""The studio's Flask app: read-only pages over one local workspace.

Every route answers GET (and HEAD); any other method gets 405. No route writes: the
workspace is opened per request only when its index exists (opening a missing one would
create it), and files are served only from inside the workspace, only images.
"""
from pathlib import Path

from flask import Flask, abort, current_app, g, render_template, request, send_file, url_for
from werkzeug.exceptions import MethodNotAllowed

from shared_code.amltoolbox.local.datasets import DatasetNotFoundError
from shared_code.amltoolbox.local.models import ModelNotFoundError
from shared_code.amltoolbox.local.runs import RunNotFoundError
from shared_code.amltoolbox.local.store import INDEX_FILE
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from . import display
from .card_views import card_page, version_checks
from .dataset_views import dataset_versions
from .model_views import all_models, compare_versions, versions_of
from .run_views import RUN_STATUSES, run_models, run_page, run_rows
from .workspace_files import OutsideWorkspaceError, image_type, resolve_inside

READ_METHODS = ("GET", "HEAD")
REFRESH_SECONDS = 5  # how often a running pipeline's page reloads itself
SECURITY_HEADERS = {
    # Pages load only their own stylesheet and images (inline images as data: URIs); no
    # script runs, no form posts elsewhere, no other site frames them.
    "Content-Security-Policy": "default-src 'none'; img-src 'self' data:; style-src 'self'; "
                               "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
NOT_FOUND_ERRORS = (RunNotFoundError, ModelNotFoundError, DatasetNotFoundError)


def create_app(workspace_root: Path, trusted_hosts: list[str] | None = None) -> Flask:
    """The studio over the workspace at `workspace_root`.

    `trusted_hosts` are the host names the pages answer to (others get 400), so that a web
    page elsewhere cannot reach a loopback studio through a name it controls (DNS
    rebinding); None answers any.
    """
    app = Flask(__name__)
    app.config.update(WORKSPACE_ROOT=Path(workspace_root), TRUSTED_HOSTS=trusted_hosts)
    app.before_request(_only_reads)
    app.after_request(_security_headers)
    app.teardown_appcontext(_close_workspace)
    for error in NOT_FOUND_ERRORS:
        app.register_error_handler(error, _not_found)
    app.register_error_handler(OutsideWorkspaceError, _outside_workspace)
    app.add_template_global(display.duration_text, "duration_text")
    app.add_template_global(display.time_text, "time_text")
    app.add_template_global(display.value_text, "value_text")
    for rule, endpoint, view in (("/", "runs", show_runs), ("/runs", "runs", show_runs),
                                 ("/runs/<run_id>", "run", show_run),
                                 ("/models", "models", show_models),
                                 ("/models/<name>", "model", show_model),
                                 ("/models/<name>/<int:version>/card", "card", show_card),
                                 ("/datasets", "datasets", show_datasets),
                                 ("/files/<path:relative>", "file", send_workspace_file)):
        app.add_url_rule(rule, endpoint, view, methods=READ_METHODS)
    return app


def _only_reads():
    if request.method not in READ_METHODS:
        raise MethodNotAllowed(valid_methods=list(READ_METHODS))


def _security_headers(response):
    response.headers.update(SECURITY_HEADERS)
    return response


def _root() -> Path:
    return current_app.config["WORKSPACE_ROOT"]


def workspace() -> LocalWorkspace | None:
    """This request's workspace, or None while it has no index (nothing has run yet)."""
    if "workspace" not in g:
        g.workspace = LocalWorkspace(_root()) if (_root() / INDEX_FILE).is_file() else None
    return g.workspace


def _close_workspace(_error) -> None:
    opened = g.pop("workspace", None)
    if opened is not None:
        opened.close()


def server_context() -> dict:
    """What every page's template needs when served: links and images by URL."""
    return {"href": url_for, "image_src": lambda image: url_for("file", relative=image.relative),
            "css": None, "standalone": False, "workspace_root": _root()}


def page(template: str, **context) -> str:
    """A page of the studio, rendered with the server's links."""
    return render_template(template, **server_context(), **context)


def show_runs():
    """The latest runs, newest first, filtered by model and status."""
    model, status = request.args.get("model", ""), request.args.get("status", "")
    opened = workspace()
    rows = run_rows(opened, model, status) if opened else []
    return page("runs.html", rows=rows, models=run_models(opened) if opened else [],
                statuses=RUN_STATUSES, model=model, status=status, empty=opened is None)


def show_run(run_id: str):
    """One run: steps, metrics, images, summary.json and logs."""
    opened = workspace()
    if opened is None:
        raise RunNotFoundError(f"no run '{run_id}': the workspace {_root()} is empty")
    shown = run_page(opened, run_id)
    return page("run.html", page=shown, refresh=REFRESH_SECONDS if shown.running else None)


def show_models():
    """Every registered model and its versions."""
    opened = workspace()
    return page("models.html", models=all_models(opened) if opened else {})


def show_model(name: str):
    """One model's versions in full, and two of them side by side."""
    opened = workspace()
    if opened is None:
        raise ModelNotFoundError(f"no model '{name}': the workspace {_root()} is empty")
    versions = versions_of(opened, name)
    left = _chosen(versions, "left", versions[max(0, len(versions) - 2)])
    right = _chosen(versions, "right", versions[-1])
    comparison = compare_versions(left, right) if left is not right else []
    return page("model.html", name=name, versions=versions, left=left, right=right,
                comparison=comparison, checks=version_checks(opened, [v.id for v in versions]))


def show_card(name: str, version: int):
    """A version's model card, with the latest checks of it."""
    opened = workspace()
    if opened is None:
        raise ModelNotFoundError(f"no model '{name}': the workspace {_root()} is empty")
    shown = card_page(opened, name, version,
                      lambda relative: url_for("file", relative=relative))
    return page("model_card.html", page=shown, checks=shown.checks, name=name, version=version)


def _chosen(versions, argument: str, default):
    """The version the query names in `argument` (?left=1), else `default`."""
    number = request.args.get(argument, type=int)
    return next((v for v in versions if v.version == number), default)


def show_datasets():
    """Every registered dataset version and the models that use it."""
    opened = workspace()
    return page("datasets.html", datasets=dataset_versions(opened) if opened else [])


def send_workspace_file(relative: str):
    """An image file of the workspace; anything outside it is refused (403)."""
    path = resolve_inside(_root(), relative)
    media_type = image_type(path)
    if media_type is None or not path.is_file():
        abort(404, description=f"no image {relative} in the workspace")
    return send_file(path, mimetype=media_type, max_age=0)


def _not_found(error):
    return page("error.html", message=str(error), status=404), 404


def _outside_workspace(error):
    return page("error.html", message=str(error), status=403), 403
