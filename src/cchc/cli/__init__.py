"""The `cchc` command line: a thin layer over the services."""
