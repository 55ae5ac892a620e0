"""Sub-commands of ``offlabel``: one module per domain, each exporting ``command``."""
