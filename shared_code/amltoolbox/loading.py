"""Code named by a string and imported when first used: the core never imports a wing (a
package of its own under shared_code/), it names what it needs in tables of `module:attribute`
strings (testing/shared_code/amltoolbox/test_wings.py holds both rules)."""
import importlib
import sys


def load(reference: str):
    """The object `module:attribute` names (the module itself without `:attribute`)."""
    module, _, attribute = reference.partition(":")
    loaded = importlib.import_module(module)
    return getattr(loaded, attribute) if attribute else loaded


def load_optional(reference: str, absent: str):
    """What `reference` names, or None when its package is not in this project (a wing a team
    removed), after printing '<absent>: <module> is not in this project'. A package that is
    there but lacks something it needs is a bug: its error goes on."""
    module = reference.partition(":")[0]
    try:
        return load(reference)
    except ModuleNotFoundError as error:
        if not module.startswith(error.name or "\0"):
            raise
        print(f"{absent}: {module} is not in this project", file=sys.stderr)
        return None
