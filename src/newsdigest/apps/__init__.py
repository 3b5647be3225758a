"""Hosts around the pure core: the command line (and, next, the web desk and batch runners)."""
