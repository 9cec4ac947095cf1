"""Recurrent networks (LSTM / GRU / simple RNN) in PyTorch / TensorFlow, with an optional embedding."""

from .network import TRAINING
from .spec import Family, Fidelity, Param

FAMILY = Family(
    name="rnn",
    title="recurrent network (LSTM / GRU / RNN)",
    aliases=("rnn", "lstm", "gru", "recurrent", "recurrentnetwork", "simplernn", "bilstm", "lstmclassifier", "lstmregressor"),
    estimators={"classification": "network.RNN", "regression": "network.RNN"},
    params=(
        *TRAINING,
        Param("hidden_size", ("units", "lstm_units", "gru_units", "rnn_units", "hidden_dim", "num_units", "n_units", "lstm_hidden_size", "hidden_units"), "int", low=1),
        Param("rnn_layers", ("layers", "num_layers", "n_layers", "lstm_layers", "gru_layers", "num_rnn_layers", "num_lstm_layers", "stacked_layers"), "int", low=1, high=16),
        Param("embedding_dim", ("embedding_size", "embed_dim", "emb_dim", "embedding_dimension"), "int", low=1),
        Param("bidirectional", ("use_bidirectional", "is_bidirectional"), "bool"),
        Param("cell", ("cell_type", "rnn_type", "rnn_cell", "recurrent_cell", "cell"), "choice", choices=("LSTM", "GRU", "RNN"), renamed=(("lstm", "LSTM"), ("gru", "GRU"), ("rnn", "RNN"), ("simple_rnn", "RNN"), ("SimpleRNN", "RNN"))),
    ),
    fidelity=Fidelity("count", "epochs", (5, 50), "number of training epochs", default=20),
    seeded=False,
    snippet="network/rnn",
    priority=43,
    network="rnn",
)
