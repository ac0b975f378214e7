"""Further `kot` commands, one module each; cli.py registers them at its end."""
