"""book layer of dispatch-gen."""
