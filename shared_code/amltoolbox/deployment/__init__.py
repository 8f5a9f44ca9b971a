"""Deploying a registered model: deployment configs, the web service, the release artifact."""
