"""Code shared by classification models: metrics that say how each class fares."""
