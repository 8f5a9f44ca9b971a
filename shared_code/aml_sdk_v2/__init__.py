"""The Azure ML SDK v2 (azure-ai-ml) side of the toolbox, compiled from the same step lists.

A model's steps become a v2 pipeline job (one command job per step), its datasets data
assets, its deployments managed or Kubernetes online endpoints; inside a v2 job the steps
get the same run context surface through MLflow and mltable.

Nothing on the local or SDK v1 path imports this package. azure-ai-ml lives in its own
environment (virtualenvs/requirements-v2.txt, `tox -e v2`), so the modules that need it
import it where they are used; step_io.py, which a running step reads, needs nothing.
"""
