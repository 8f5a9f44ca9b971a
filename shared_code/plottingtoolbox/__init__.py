"""Plots for evaluation and data exploration, as matplotlib figures to save or log."""
