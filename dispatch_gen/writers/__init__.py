"""writers layer of dispatch-gen."""
