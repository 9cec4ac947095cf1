"""What published network spaces hold besides a model's settings: architecture-search cells, graph
networks, index-encoded choices, and the user's own names for networks. Data and small predicates that
the rule engine (detect.py) calls; no code text.
"""

from __future__ import annotations

import re

from trainfn_gen.errors import GeneratorError
from trainfn_gen.space.model import SpaceModel
from trainfn_gen.space.names import compact, snake

# Words of NAS cell spaces' names (DARTS / NAS-Bench-101/201/301: an operation per edge of a cell) and
# the operations they choose between.
_CELL_NAME = re.compile(r"(?:^|_)(?:edge|edges|cell|op|ops|operation|inputs?_node|node_input|arch)(?:_|$)")
_CELL_OP = re.compile(r"^(?:sep_conv|dil_conv|nor_conv|conv_?\d+x\d+|conv\d+x\d+|skip_connect|max_pool|avg_pool|maxpool|avgpool|none|zero|zeroize|identity)", re.IGNORECASE)
# Graph neural networks: layer kinds and words of their settings.
_GRAPH_WORDS = frozenset({"gnn", "gcn", "gat", "gatv2", "gin", "sage", "graphsage", "mpnn", "graph", "message", "messagepassing", "chebconv", "graphconv", "edgeconv", "readout"})
_GRAPH_VALUES = frozenset({"gcn", "gat", "gatv2", "gin", "sage", "graphsage", "mpnn", "chebconv", "graphconv", "edgeconv", "gine", "pna"})


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[^a-z0-9]+", snake(name).lower()) if w]


def _cell_hyperparameter(space: SpaceModel, name: str) -> bool:
    """A cell edge's operation, or the inputs of a cell's node: a name with a cell word, or values that are operations."""
    hp = space[name]
    if not hp.is_categorical:
        return False
    values = [str(v) for v in hp.choices]
    ops = sum(bool(_CELL_OP.match(v)) for v in values)
    return ops * 2 > len(values) or bool(_CELL_NAME.search(snake(name).lower().replace(":", "_")))


def refuse_architecture_search(space: SpaceModel, source: str) -> None:
    """Refuse a neural-architecture cell space or a graph network space with one paragraph naming what it is."""
    names = list(space)
    cells = [n for n in names if _cell_hyperparameter(space, n)]
    if len(cells) >= 3 and len(cells) * 2 >= len(names):
        sample = ", ".join(f"'{n}'" for n in sorted(cells)[:2])
        raise GeneratorError(
            f"this is a neural-architecture search space: {len(cells)} of its {len(names)} hyperparameters (such as "
            f"{sample}) choose the operation on an edge of a cell or the inputs of a cell's node (a DARTS / NAS-Bench "
            "cell), not a model's hyperparameters; a train() that fits a classifier or regressor cannot build "
            "such a cell. Optimize it with SMAC directly, with a target function that builds and trains the cell.",
            source=source,
        )
    graph = [n for n in names if _GRAPH_WORDS & set(_words(n)) or any(compact(v) in _GRAPH_VALUES for v in _values(space, n))]
    if graph:
        raise GeneratorError(
            f"this is a graph neural network's space ({', '.join(repr(n) for n in sorted(graph)[:3])}: message passing "
            "over a graph's nodes and edges), not a model over rows of features; trainfn-gen generates MLPs, CNNs and "
            "RNNs on (X, y) arrays and cannot build a graph network. Optimize it with SMAC directly, with a target "
            "function that trains the graph network (e.g. PyTorch Geometric or DGL).",
            source=source,
        )


def _values(space, name: str) -> list[str]:
    hp = space[name]
    return [str(v) for v in hp.choices] if hp.is_categorical else []


def index_choice(hp) -> bool:
    """Choices that are exactly 0, 1, ..., k-1: in classic pcs files (HPOlib, hyperopt exports) an index into a
    list of values that only the file's comments hold (`batch_size {0, 1} # {20, 100}`); ConfigSpace drops them."""
    if not hp.is_categorical:
        return False
    values = [str(v).strip() for v in hp.choices]
    return len(values) >= 2 and sorted(values, key=lambda v: (len(v), v)) == [str(i) for i in range(len(values))]


def index_keeps(param) -> bool:
    """Can 0..k-1 be this argument's own values? A switch or a count from 0 (depth) yes; a real number or a
    count that starts above 0 (batch size, width) no."""
    return param.kind in ("bool", "choice") or (param.kind == "int" and (param.low is None or param.low <= 0))


INDEX_REASON = (
    "its values 0..{last} index a list of values kept only in the file's comments, which ConfigSpace does not "
    "read; passing the index as the value would misread it (write the values themselves to tune it)"
)


def index_reason(space: SpaceModel, name: str) -> str:
    """Why an index choice, or a hyperparameter active only under one, is unused; '' for other names."""
    hp = space[name]
    if index_choice(hp):
        return INDEX_REASON.format(last=len(hp.choices) - 1)
    for parent in space.parents_of(name):
        if index_choice(parent):
            return f"active only for some values of '{parent.name}', an index whose values only the file's comments name"
    return ""


# Network families a selector value may name among other words (`cnn_regressor_v2`, `mlp_auto`).
_VERSION = re.compile(r"^(?:v\d+|\d+)$")


def network_words(value, tokens: dict, networks: set) -> tuple[str, ...]:
    """The network families one word of a selector value names, when exactly one kind of network is named."""
    found = {tokens[w] for w in re.split(r"[^a-z0-9]+|(?<=[a-z])(?=\d)", str(value).lower()) if w and not _VERSION.match(w) and w in tokens and set(tokens[w]) & networks}
    return next(iter(found)) if len(found) == 1 else ()
