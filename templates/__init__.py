"""Default docxtpl templates, generated from the format profile by `dispatch-gen templates build`."""
