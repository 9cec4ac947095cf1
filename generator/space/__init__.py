"""Reading a search space: every file format, the names of its hyperparameters and their kinds and values.

Nothing here knows about estimators; every later stage reads the space through this package."""
