"""`trainfn-gen run`: a real SMAC optimization of a generated train(), local or on Dask workers, its report,
the incumbent refit into best/ and the loading of saved models."""

from .trial import adapt

__all__ = ["adapt"]  # `from trainfn_gen.run import adapt` (README: the metrics contract under plain SMAC)
