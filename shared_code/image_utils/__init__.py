"""Code shared by models that learn from image files: File datasets of one folder per class."""
