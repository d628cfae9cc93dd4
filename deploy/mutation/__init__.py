"""`make mutation`: mutmut over the pure rule modules, scored per module (not in `make test`)."""
