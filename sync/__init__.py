"""Generic offline-first sync engine: capture, signed feeds, bundles and their carriers."""
