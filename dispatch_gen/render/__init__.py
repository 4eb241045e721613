"""render layer of dispatch-gen."""
