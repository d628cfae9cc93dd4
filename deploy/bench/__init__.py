"""`make bench`: the stack measured against a bare Temporal workflow of the same shape."""
