"""profiles layer of dispatch-gen."""
