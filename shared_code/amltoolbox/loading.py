"""Code named by a string and imported when first used.

The core never imports a wing (shared_code/aml_emulator, aml_sdk_v2, aml_studio): it names
what it needs from one in a table of `module:attribute` strings, and load() imports it
when a command or a step asks for it (testing/shared_code/amltoolbox/test_wings.py holds
both rules by reading every import).
"""
import importlib


def load(reference: str):
    """The object `module:attribute` names (the module itself without `:attribute`)."""
    module, _, attribute = reference.partition(":")
    loaded = importlib.import_module(module)
    return getattr(loaded, attribute) if attribute else loaded
