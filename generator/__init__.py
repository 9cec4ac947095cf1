"""trainfn-gen: deterministic SMAC train() generator (load -> detect -> plan -> render -> format -> write)."""

__version__ = "0.1.0"
