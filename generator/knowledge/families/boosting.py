"""What XGBoost and LightGBM share: settings their scikit-learn wrappers take that train() cannot honour."""

# Early stopping needs an evaluation set inside fit(); the only held-out rows are the validation split that
# scores the trial, and stopping on them would leak it into training (R16).
WHY = (
    "early stopping watches an evaluation set during fit(); the only held-out rows are the validation split "
    "that scores the trial, and stopping on them would leak it (R16): the number of rounds is searched instead"
)
EARLY_STOPPING = tuple((name, WHY) for name in ("early_stopping_rounds", "early_stopping_round", "early_stopping", "n_iter_no_change"))
