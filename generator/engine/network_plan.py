"""Detection -> NetworkPlan: the PyTorch / Keras part of a plan, every string final (R05 R17-R19).

Each branch (one per selector value, or one) assigns the variables its architecture snippet reads;
training settings every branch shares are read once before the branches.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from trainfn_gen.errors import GeneratorError
from trainfn_gen.knowledge.families import BY_NAME
from trainfn_gen.knowledge.values import estimator_value
from trainfn_gen.space.model import SpaceModel, native
from trainfn_gen.space.names import compact, decode_name

from .detect import Detection
from .expressions import Arg as Line
from .expressions import log_arg
from .options import Options
from .selector import selector_values


@dataclass(frozen=True)
class NetBranch:
    value: str | None
    architecture: str
    title: str
    snippet: str
    lines: tuple[Line, ...]
    has_norm: bool
    has_conv_switch: bool
    layer_dropout: bool = False  # `dropouts`: one rate per hidden layer
    input_dropout: bool = False  # `input_dropout`: dropout on the inputs (deepnet's dropout_0)
    layer_l2: bool = False  # `layer_l2`: one L2 coefficient per hidden layer
    pool_size: bool = False  # `pool_size`: the space sets the pooling window (else 2)
    global_pooling: bool = False  # `global_pooling`: True averages each channel over the sides before the dense layers


@dataclass(frozen=True)
class Optimizer:
    value: str
    call: str


@dataclass(frozen=True)
class NetworkPlan:
    framework: str
    snippet: str
    seed_snippet: str
    save_snippet: str
    # Restores the process-wide settings the seed snippet changed, before train() returns ("" for none).
    restore_snippet: str
    saved_suffix: str
    common: tuple[Line, ...]
    branches: tuple[NetBranch, ...]
    optimizers: tuple[Optimizer, ...]
    schedules: tuple[str, ...]
    augmentations: tuple[str, ...]
    has_rnn: bool
    tokens: bool
    l1: bool
    weight_decay: bool
    layer_l2: bool = False
    # The space has a scaler setting (R15): for images and sequences it decides whether values are standardized.
    scaler_switch: bool = False


# Per-framework class names for canonical choice values.
NAMES = {
    "torch": {
        "activation": {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "elu": "ELU", "leaky_relu": "LeakyReLU", "gelu": "GELU", "selu": "SELU", "silu": "SiLU", "linear": "Identity"},
        "pooling": {"max": "MaxPool", "avg": "AvgPool"},
        "cell": {"LSTM": "LSTM", "GRU": "GRU", "RNN": "RNN"},
    },
    "tensorflow": {
        "activation": {},
        "pooling": {"max": "MaxPooling", "avg": "AveragePooling"},
        "cell": {"LSTM": "LSTM", "GRU": "GRU", "RNN": "SimpleRNN"},
    },
}
OPTIMIZER_CLASSES = {"adam": "Adam", "adamw": "AdamW", "sgd": "SGD", "rmsprop": "RMSprop", "adagrad": "Adagrad"}
for _names in NAMES.values():
    _names["dense_activation"] = _names["activation"]
    _names["optimizer_name"] = OPTIMIZER_CLASSES

# Training settings: variable -> (default literal, comment when the space does not set it).
TRAINING_DEFAULTS = {
    "learning_rate": ("0.001", "fixed: the space sets no learning rate"),
    "batch_size": ("64", "fixed: the space sets no batch size"),
    "epochs": ("20", "fixed: the space sets no number of epochs"),
    "patience": ("5", "early-stopping patience in epochs (fixed: the space sets none)"),
}
# Optional training settings: used only when some branch sets them; the others get the default.
OPTIONAL_DEFAULTS = {
    "weight_decay": "0.0", "l1": "0.0", "momentum": "0.0", "nesterov": "False", "beta_1": "0.9",
    "beta_2": "0.999", "rho": "0.9", "epsilon": "1e-07", "lr_schedule": '"constant"', "augmentation": '"none"',
    "rotation_degree": "15.0",
}
ORDER = ("learning_rate", "optimizer_name", "lr_schedule", "momentum", "nesterov", "beta_1", "beta_2", "rho", "epsilon", "weight_decay", "l1", "batch_size", "epochs", "patience", "augmentation", "rotation_degree")

ARCH_DEFAULTS = {
    "mlp": {"activation": '"relu"', "dropout": "0.0"},
    "cnn": {"activation": '"relu"', "dropout": "0.0", "pooling": '"max"'},
    "rnn": {"dropout": "0.0", "bidirectional": "False"},
}


def build_network(space: SpaceModel, detection: Detection, options: Options, keys, helpers: set, value_expr, budget) -> NetworkPlan:
    framework = options.framework if options.framework in ("torch", "tensorflow") else "torch"
    per_branch = [_branch_values(space, detection, value, family, helpers, value_expr, framework) for value, family in keys]
    training = _training(per_branch, budget, detection, space)
    common = tuple(line for line in training if line is not None and not isinstance(line, dict))
    branch_training = [line for line in training if isinstance(line, dict)]
    layer_l2 = any("layer_l2[]" in values for values in per_branch)
    branches = tuple(
        _branch(value, family, values, [(d["name"], d["exprs"][i], d["comment"]) for d in branch_training], framework, layer_l2)
        for i, ((value, family), values) in enumerate(zip(keys, per_branch))
    )
    names = {line.name for line in common} | {line.name for b in branches for line in b.lines}
    optimizers = _optimizers(space, detection, framework, names)
    schedules = _choices(space, detection, "lr_schedule", ("adaptive", "invscaling", "cosine", "step"))
    augmentations = _choices(space, detection, "augmentation", ("horizontal_flip", "random_rotation"))
    has_rnn = any(BY_NAME[f].network == "rnn" for _, f in keys)
    tokens = all(BY_NAME[f].network == "rnn" for _, f in keys) and any("embedding_dim" in v for v in per_branch)
    return NetworkPlan(
        framework=framework,
        snippet=f"network/{framework}.py.jinja",
        seed_snippet=f"network/{framework}_seed.py.jinja",
        save_snippet=f"network/{framework}_save.py.jinja",
        restore_snippet=f"network/{framework}_restore.py.jinja",
        saved_suffix="pt" if framework == "torch" else "keras",
        common=common,
        branches=branches,
        optimizers=optimizers,
        schedules=schedules,
        augmentations=augmentations,
        has_rnn=has_rnn,
        tokens=tokens,
        l1="l1" in names,
        weight_decay="weight_decay" in names,
        layer_l2=layer_l2,
        scaler_switch=any(p.role == "scaler" for p in detection.placements),
    )


def _branch_values(space, detection: Detection, value, family: str, helpers: set, value_expr, framework: str) -> dict:
    """Canonical variable -> (expr, hyperparameter names) for one branch; per-layer lists as lists."""
    values: dict = {}
    layered: dict[str, list] = {}
    for placement in detection.placements:
        for use in placement.uses:
            if use.family != family or (value is not None and not _active_for(space, detection, placement.name, value)):
                continue
            hp = space[placement.name]
            param = use.param
            if param.pattern:
                index = int(re.fullmatch(param.pattern, decode_name(placement.base)[0].lower()).group(1))
                layered.setdefault(param.arg, []).append((index, _decoded(hp, use, placement, detection, helpers, value_expr, framework), placement.name))
            elif param.arg not in values:
                expr = _decoded(hp, use, placement, detection, helpers, value_expr, framework) if use.log_base or decode_name(placement.base)[2] else _expr(hp, param, detection, helpers, value_expr, framework)
                values[param.arg] = (expr, placement.name)
    for arg, entries in layered.items():
        values[f"{arg}[]"] = sorted(entries)
    return values


class _Imports:
    """log_arg's import sink: PyTorch files import math; Keras files get np.exp instead."""

    def module(self, name: str) -> None:
        pass


def _decoded(hp, use, placement, detection, helpers: set, value_expr, framework: str) -> str:
    """The value of an encoded name (hyperopt / HPOlib): log_base ** x, then a multiple of the quantum (`Q16_`)."""
    quantum = decode_name(placement.base)[2]
    param = use.param
    if use.log_base is None:
        expr = value_expr(hp, param, detection, helpers)
    else:
        expr = log_arg(hp, replace(param, kind="float"), use.log_base, detection, _Imports(), helpers).expr
        if framework != "torch" and expr.startswith("math.exp("):
            expr = f"float(np.exp({expr[len('math.exp('):-1]}))"  # Keras files do not import math
    if quantum:
        q = int(quantum) if quantum == int(quantum) else quantum
        expr = f"max({q}, round({expr} / {q}) * {q})"
        return f"int({expr})" if param.kind == "int" and not isinstance(q, int) else expr
    if param.kind == "int" and use.log_base is not None:
        expr = f"max({int(param.low if param.low is not None else 1)}, round({expr}))"
    return expr


def encoding_note(name: str) -> str:
    """`Q16_LOG_nhid1 = exp(x), a multiple of 16` for a hyperopt / HPOlib-encoded name; '' for a plain one."""
    _, log_base, quantum = decode_name(name)
    if log_base is None and not quantum:
        return ""
    value = "x" if log_base is None else "exp(x)" if log_base == math.e else f"{log_base:g} ** x"
    rounded = f", rounded to a multiple of {quantum:g}" if quantum else ""
    return f"{name} holds an encoded x: the value is {value}{rounded}"


def _active_for(space, detection: Detection, name: str, value) -> bool:
    found = selector_values(space, name, detection.selector)
    return not found or value in found


def _expr(hp, param, detection, helpers: set, value_expr, framework: str) -> str:
    mapping = NAMES[framework].get(param.arg)
    if mapping is None or not hp.is_categorical:
        return value_expr(hp, param, detection, helpers)
    helpers.add("as_choice")
    mapped = {str(native(v)): _mapped(param, v, mapping) for v in hp.choices}
    default = repr(str(native(hp.default_value)))
    if all(key == value for key, value in mapped.items()):
        return f"as_choice(cfg.get({hp.name!r}), {default}, {tuple(mapped)!r})"
    pairs = ", ".join(f"{key!r}: {value!r}" for key, value in mapped.items())
    return f"as_choice(cfg.get({hp.name!r}), {default}, {{{pairs}}})"


def _mapped(param, raw, mapping: dict) -> str:
    canonical = estimator_value(param, raw)
    return mapping.get(canonical, canonical)


def _training(per_branch: list[dict], budget, detection: Detection, space: SpaceModel) -> list:
    """Training settings: a Line when every branch reads the same, else a dict of per-branch exprs."""
    out = []
    for name in ORDER:
        found = [v.get(name) for v in per_branch]
        if name not in TRAINING_DEFAULTS and name != "optimizer_name" and not any(found):
            continue
        if name == "optimizer_name" and not any(found):
            continue
        default, default_comment = TRAINING_DEFAULTS.get(name, (OPTIONAL_DEFAULTS.get(name, '"Adam"'), ""))
        exprs = [f[0] if f else default for f in found]
        hps = sorted({f[1] for f in found if f})
        comment = default_comment if not hps else "; ".join(note for hp in hps if (note := encoding_note(hp)))
        if name == "epochs" and budget is not None:
            # A searched epochs is the full-budget value, scaled by the budget (issue 14), never below its lower bound.
            lows = [max(1, int(1 if space[f[1]].lower is None else space[f[1]].lower)) if f else 1 for f in found]
            exprs = [f"{e} if budget is None else " + (f"max({low}, round({e} * budget / {budget.literal_high}))" if f else "max(1, int(budget))") for e, f, low in zip(exprs, found, lows)]
            comment = f"R12: the searched {', '.join(hps)} is the number of training epochs at the full budget {budget.literal_high}; a lower budget scales it down" if hps else "R12: the budget is the number of training epochs"
        if len(set(exprs)) == 1:
            out.append(Line(name, exprs[0], comment))
        else:
            out.append({"name": name, "exprs": exprs, "comment": comment or f"{name}: not set for every model; the others use {default}"})
    return out


def _branch(value, family: str, values: dict, training: list, framework: str, any_l2: bool = False) -> NetBranch:
    spec = BY_NAME[family]
    architecture = spec.network
    lines = [Line(name, expr, comment) for name, expr, comment in training]
    defaults = dict(ARCH_DEFAULTS[architecture])
    per_layer = architecture == "mlp" and ("layer_dropout[]" in values or "max_dropout" in values)
    if per_layer and "dropout" not in values:
        del defaults["dropout"]
    for name, expr in defaults.items():
        expr = repr(NAMES[framework].get(name, {}).get(expr.strip('"'), expr.strip('"'))) if expr.startswith('"') else expr
        found = values.get(name)
        lines.append(Line(name, found[0] if found else expr, "" if found else f"fixed: the space sets no {name.replace('_', ' ')} for this model"))
    if "norm" in values:
        lines.append(Line("norm", values["norm"][0], ""))
    input_dropout = False
    if architecture == "mlp":
        lines += _shaped(values) if "max_units" in values else _dense(values, "n_layers", 2)
        if per_layer:
            dropout_lines, input_dropout = _dropouts(values)
            lines += dropout_lines
        if "layer_l2[]" in values:
            l2, _, _ = _layer_list(values, "", "layer_l2", "0.0")
            names = ", ".join(name for _, _, name in values["layer_l2[]"])
            lines.append(Line("layer_l2", l2, f"per-layer L2 penalties from {names} on each hidden layer's weights; layers past the list reuse its last entry"))
    elif architecture == "cnn":
        lines += _conv(values)
        lines.append(Line("dense_activation", values["dense_activation"][0] if "dense_activation" in values else "activation", ""))
        lines += _dense(values, "dense_layers", 0)
    else:
        lines += _recurrent(value, values, framework)
    if any_l2 and "layer_l2[]" not in values:
        lines.append(Line("layer_l2", "[0.0]", "this model sets no per-layer L2 penalty"))
    return NetBranch(
        value=None if value is None else repr(str(value)),
        architecture=architecture,
        title=spec.title,
        snippet=f"network/{framework}_{architecture}.py.jinja",
        lines=tuple(lines),
        has_norm="norm" in values,
        has_conv_switch="use_conv" in values,
        pool_size="pool_size" in values,
        global_pooling="global_pooling" in values,
        layer_dropout=per_layer,
        input_dropout=input_dropout,
        layer_l2=architecture == "mlp" and "layer_l2[]" in values,
    )


def _shaped(values: dict) -> list[Line]:
    """Auto-PyTorch's shaped MLP as LCBench trains it (funnel): `num_layers` counts the output layer, and the
    num_layers - 1 hidden widths fall in equal integer steps from max(inputs, max_units) towards the output width."""
    units, name = values["max_units"]
    depth = values["n_layers"][0] if "n_layers" in values else "3"
    return [
        Line("max_units", units, f"{name}: the first (widest) hidden layer of a funnel-shaped MLP (Auto-PyTorch's shaped MLP, as in LCBench)"),
        Line("n_layers", f"{depth} - 1", "the space's number of layers counts the output layer (Auto-PyTorch's num_layers)"),
        Line("top", "max(int(np.prod(X_train.shape[1:])), max_units)", ""),
        Line("hidden", "[top - index * ((top - n_outputs) // max(1, n_layers)) for index in range(n_layers)] or [top]", "widths fall by equal steps towards the output width (funnel)"),
    ]


def _dropouts(values: dict) -> tuple[list[Line], bool]:
    """Per-layer dropout: `dropout_k` follows the layer of `num_units_k`; one indexed below every width drops inputs."""
    if "max_dropout" in values:
        rate, name = values["max_dropout"]
        return [
            Line("max_dropout", rate, f"{name}: the first hidden layer's dropout; later layers' rates fall in equal steps towards 0 (Auto-PyTorch's funnel shape)"),
            Line("dropouts", "[max_dropout * (1000 - index * (1000 // max(1, n_layers))) / 1000 for index in range(n_layers)] or [0.0]", ""),
        ], False
    entries = list(values["layer_dropout[]"])
    widths = [index for index, _, _ in values.get("layer_units[]", [])]
    lines = []
    if widths and entries[0][0] < min(widths):
        index, expr, name = entries.pop(0)
        lines.append(Line("input_dropout", expr, f"{name}: dropout on the inputs (layer {index} is the input layer)"))
    items = [expr for _, expr, _ in entries] or ["0.0"]
    names = ", ".join(name for _, _, name in entries)
    comment = f"per-layer dropout from {names}; layers past the list reuse its last entry" if entries else "no hidden layer sets a dropout"
    lines.append(Line("dropouts", "[" + ", ".join(items) + "]", comment))
    return lines, bool(lines[0].name == "input_dropout")


def _layer_list(values: dict, shared: str, layered: str, default: str) -> tuple[str, str, bool]:
    """A per-layer list expression: per-layer hyperparameters in index order, led by the shared one when it covers layer 0."""
    entries = values.get(f"{layered}[]", [])
    items = [expr for _, expr, _ in entries]
    names = [name for _, _, name in entries]
    if shared in values and (not entries or entries[0][0] >= 1):
        items.insert(0, values[shared][0])
        names.insert(0, values[shared][1])
    if not items:
        return f"[{default}]", "", False
    if not entries:
        return "[" + ", ".join(items) + "]", "", False
    comment = f"per-layer sizes from {', '.join(names)}; layers past the active count are ignored, layers past the list reuse its last entry"
    notes = [note for name in names if (note := encoding_note(name))]
    comment += "".join(f"; {note}" for note in notes)
    return "[" + ", ".join(items) + "]", comment, True


def _dense(values: dict, depth: str, default_depth: int) -> list[Line]:
    if "hidden_layer_sizes" in values:
        sizes, _ = values["hidden_layer_sizes"]
        lines = [Line("hidden", f"list({sizes})", "hidden layer sizes straight from the space")]
        count = values[depth][0] if depth in values else "len(hidden)"
        return lines + [Line(depth, count, "")]
    hidden, comment, given = _layer_list(values, "units", "layer_units", "128")
    fixed = "" if "units" in values else "fixed: the space sets no layer width (128 units)"
    lines = [Line("hidden", hidden, comment or fixed)]
    if depth in values:
        lines.append(Line(depth, values[depth][0], ""))
    elif given:
        lines.append(Line(depth, "len(hidden)", "one dense layer per width given"))
    elif "units" in values and default_depth == 0:
        # A searched width with no count means one layer of it (a CNN's `num_units`): with none it would be inert.
        lines.append(Line(depth, "1", "one dense layer of the searched width: the space sets no number of dense layers"))
    else:
        lines.append(Line(depth, str(default_depth), f"fixed: the space sets no number of dense layers ({default_depth})"))
    return lines


def _conv(values: dict) -> list[Line]:
    lines = []
    if "use_conv" in values:
        lines.append(Line("use_conv", values["use_conv"][0], f"{values['use_conv'][1]}: False skips the convolutions (a plain MLP)"))
    entries = values.get("layer_filters[]")
    if "first_filters" in values and not entries:
        first, name = values["first_filters"]
        filters = Line("first_filters", first, "")
        lines.append(filters)
        depth = values["conv_layers"][0] if "conv_layers" in values else "2"
        lines.append(Line("conv_layers", depth, "" if "conv_layers" in values else "fixed: the space sets no number of convolution blocks (2)"))
        lines.append(Line("filters", "[first_filters * 2**index for index in range(conv_layers)]", f"{name} sets the first block; each later block doubles it (the usual CNN widening)"))
    else:
        filters, comment, given = _layer_list(values, "filters", "layer_filters", "32")
        lines.append(Line("filters", filters, comment or ("" if "filters" in values else "fixed: the space sets no number of filters (32)")))
        if "conv_layers" in values:
            lines.append(Line("conv_layers", values["conv_layers"][0], ""))
        else:
            lines.append(Line("conv_layers", "len(filters)" if given else "2", "one convolution block per filter count given" if given else "fixed: the space sets no number of convolution blocks (2)"))
    kernels, comment, _ = _layer_list(values, "kernel_size", "kernel_size", "3")
    lines.append(Line("kernel_sizes", kernels, comment or ("" if "kernel_size" in values else "fixed: the space sets no kernel size (3)")))
    if "pool_size" in values:
        lines.append(Line("pool_size", values["pool_size"][0], f"{values['pool_size'][1]}: the pooling window after each convolution block"))
    if "global_pooling" in values:
        lines.append(Line("global_pooling", values["global_pooling"][0], f"{values['global_pooling'][1]}: True averages each channel over the whole feature map before the dense layers"))
    return lines


def _recurrent(value, values: dict, framework: str) -> list[Line]:
    cell = _cell(value, values)
    lines = [Line("cell", values["cell"][0] if "cell" in values else repr(NAMES[framework]["cell"][cell]), "" if "cell" in values else f"the recurrent cell ({cell})")]
    for name, default in (("hidden_size", "64"), ("rnn_layers", "1")):
        found = values.get(name)
        lines.append(Line(name, found[0] if found else default, "" if found else f"fixed: the space sets no {name.replace('_', ' ')} ({default})"))
    if "embedding_dim" in values:
        lines.append(Line("embedding_dim", values["embedding_dim"][0], "used only when X holds integer token ids"))
    return lines


def _cell(value, values: dict) -> str:
    tokens = [compact(value)] if value is not None else []
    tokens += [compact(found[1]) for key, found in values.items() if not key.endswith("[]")]
    tokens += [compact(name) for key, entries in values.items() if key.endswith("[]") for _, _, name in entries]
    for token in tokens:
        for cell, words in (("LSTM", ("lstm",)), ("GRU", ("gru",)), ("RNN", ("rnn",))):
            if any(word in token for word in words):
                return cell
    return "LSTM"


def _choices(space, detection: Detection, arg: str, wanted: tuple[str, ...]) -> tuple[str, ...]:
    found: set = set()
    for placement in detection.placements:
        for use in placement.uses:
            if use.param.arg == arg and space[placement.name].is_categorical:
                found.update(estimator_value(use.param, v) for v in space[placement.name].choices)
    return tuple(w for w in wanted if w in found)


OPTIMIZER_ARGS = {
    "torch": {
        "Adam": (("betas", "(beta_1, beta_2)", ("beta_1", "beta_2")), ("eps", "epsilon", ("epsilon",)), ("weight_decay", "weight_decay", ("weight_decay",))),
        "AdamW": (("betas", "(beta_1, beta_2)", ("beta_1", "beta_2")), ("eps", "epsilon", ("epsilon",)), ("weight_decay", "weight_decay", ("weight_decay",))),
        "SGD": (("momentum", "momentum", ("momentum",)), ("nesterov", "nesterov and momentum > 0", ("nesterov",)), ("weight_decay", "weight_decay", ("weight_decay",))),
        "RMSprop": (("alpha", "rho", ("rho",)), ("momentum", "momentum", ("momentum",)), ("eps", "epsilon", ("epsilon",)), ("weight_decay", "weight_decay", ("weight_decay",))),
        "Adagrad": (("eps", "epsilon", ("epsilon",)), ("weight_decay", "weight_decay", ("weight_decay",))),
    },
    "tensorflow": {
        "Adam": (("beta_1", "beta_1", ("beta_1",)), ("beta_2", "beta_2", ("beta_2",)), ("epsilon", "epsilon", ("epsilon",))),
        "AdamW": (("beta_1", "beta_1", ("beta_1",)), ("beta_2", "beta_2", ("beta_2",)), ("epsilon", "epsilon", ("epsilon",))),
        "SGD": (("momentum", "momentum", ("momentum",)), ("nesterov", "nesterov and momentum > 0", ("nesterov",))),
        "RMSprop": (("rho", "rho", ("rho",)), ("momentum", "momentum", ("momentum",)), ("epsilon", "epsilon", ("epsilon",))),
        "Adagrad": (("epsilon", "epsilon", ("epsilon",)),),
    },
}


def _optimizers(space, detection: Detection, framework: str, names: set) -> tuple[Optimizer, ...]:
    found: list[str] = []
    for placement in detection.placements:
        for use in placement.uses:
            if use.param.arg == "optimizer_name":
                for v in space[placement.name].choices:
                    name = OPTIMIZER_CLASSES[estimator_value(use.param, v)]
                    if name not in found:
                        found.append(name)
    if not found:
        # Momentum (and Nesterov) mean something only to SGD: a space that tunes them without naming an optimizer
        # trains with SGD (LCBench, ParamNet), else with Adam.
        found = ["SGD"] if "momentum" in names or "nesterov" in names else ["Adam"]
    if framework == "torch":
        head = "torch.optim.{}(network.parameters(), lr=learning_rate"
    else:
        head = "keras.optimizers.{}(learning_rate=learning_rate"
    calls = []
    for name in found:
        args = [f", {arg}={expr}" for arg, expr, needs in OPTIMIZER_ARGS[framework][name] if all(n in names for n in needs)]
        calls.append(Optimizer(name, head.format(name) + "".join(args) + ")"))
    return tuple(calls)


def refuse_mixed(detection: Detection, sklearn_families) -> None:
    titles = ", ".join(sorted({BY_NAME[f].title for f in sklearn_families}))
    raise GeneratorError(
        f"the selector mixes scikit-learn models ({titles}) with neural networks that need PyTorch or "
        "TensorFlow; generate one file per framework with --family, or --framework sklearn.",
        source=detection.source,
        hyperparameter=detection.selector,
    )
