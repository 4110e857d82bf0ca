"""The curriculum's checks: one module per kind of file, on shared YAML reading (``documents``)."""
