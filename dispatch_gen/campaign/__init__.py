"""campaign layer of dispatch-gen."""
