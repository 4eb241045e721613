"""check layer of dispatch-gen."""
