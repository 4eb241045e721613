"""readers layer of dispatch-gen."""
