"""The user-facing layers: the command line, the Python API, sync, demo and explain, over the engine."""
