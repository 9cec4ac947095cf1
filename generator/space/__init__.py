"""Reading a search space: every file format, the names of its hyperparameters and their kinds and values.

Nothing here knows about estimators. load.read_model reads a space once into model.py's plain, frozen data,
which every later stage of generate queries: on that path only this package touches ConfigSpace objects
(analyze/ and run/ sample configurations from the ConfigurationSpace itself)."""
