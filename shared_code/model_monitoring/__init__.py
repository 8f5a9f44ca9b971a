"""Model monitoring, beside the core toolbox: a model card for every registered version, and
drift checks of new data against a version's own training data.

The core (shared_code/amltoolbox) never imports this package: its command line reaches it
through `models card` and `drift`, imported when they run, and a local registration calls
card_hook.after_registration by name (amltoolbox/local/registration_hooks.py).
"""
