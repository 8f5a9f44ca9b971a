"""Warm step starts for the local runner on Linux: a server process imports the third-party
modules a model's steps use once, then forks each step from it, so a step does not spend a
second importing pandas, scikit-learn and xgboost again. Each step still runs in a process of
its own, in its own process group, with its own environment, log and exit status; nothing of
the repository's code is imported before the fork, so an edit always reaches the next step.
Without this package (or off Linux) every step starts cold, as `python SCRIPT` would."""
