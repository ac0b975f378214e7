"""Checks of the finished print-shop files and of their sources (prepress)."""
