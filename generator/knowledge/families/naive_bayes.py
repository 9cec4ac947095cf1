"""Naive Bayes (classification only): Gaussian, multinomial, Bernoulli and complement variants.

One family per variant; the tokens `nb` / `naive_bayes` name all four and the space's names pick
one (var_smoothing -> Gaussian, alpha -> multinomial, binarize -> Bernoulli, norm -> complement;
ties -> Gaussian). A selector such as `nb_type` with values gaussian/multinomial/... picks them
as it picks any family. Multinomial and complement NB need non-negative counts: their numbers are
min-max scaled to [0, 1] (clipped, so validation rows stay non-negative), after any scaler of the
space. Bernoulli NB takes any sign and binarizes at `binarize` (0.0 by default): its threshold means
something on standardized numbers (auto-sklearn scales by the space's rescaling first), so it is
standardized only when the space has no scaler of its own; a min-max scaler would put almost every value
above 0 and every row in one bin.
"""

from .spec import Family, Fidelity, Param

ROWS = Fidelity("rows", "", (0.1, 1.0), "fraction of the training rows")
ALPHA = Param("alpha", ("smoothing", "laplace", "additive_smoothing"), "float", low=1e-10)
FIT_PRIOR = Param("fit_prior", ("learn_prior",), "bool")
MIN_MAX = {"scale": True, "scale_always": True, "scaler_last": True, "scaler": "sklearn.preprocessing.MinMaxScaler", "scaler_args": (("clip", True),),
    "scaler_note": "Naive Bayes on counts: min-max scale numbers to [0, 1] (clipped), so that every value is non-negative.",
}
TOKENS = ("nb", "naivebayes", "bayes")

GAUSSIAN = Family(
    name="gaussian_nb",
    title="Gaussian naive Bayes",
    aliases=(*TOKENS, "gaussiannb", "gaussian", "gnb"),
    estimators={"classification": "sklearn.naive_bayes.GaussianNB"},
    params=(Param("var_smoothing", ("smoothing", "variance_smoothing"), "float", low=0.0),),
    fidelity=ROWS,
    seeded=False,
    priority=82,
)

MULTINOMIAL = Family(
    name="multinomial_nb",
    title="multinomial naive Bayes",
    aliases=(*TOKENS, "multinomialnb", "multinomial", "mnb"),
    estimators={"classification": "sklearn.naive_bayes.MultinomialNB"},
    params=(ALPHA, FIT_PRIOR),
    fidelity=ROWS,
    seeded=False,
    priority=83,
    **MIN_MAX,
)

BERNOULLI = Family(
    name="bernoulli_nb",
    title="Bernoulli naive Bayes",
    aliases=(*TOKENS, "bernoullinb", "bernoulli", "bnb"),
    estimators={"classification": "sklearn.naive_bayes.BernoulliNB"},
    params=(ALPHA, FIT_PRIOR, Param("binarize", ("threshold", "binarize_threshold"), "float", low=0.0, none_values=("None", "none"))),
    fidelity=ROWS,
    seeded=False,
    priority=84,
    scale=True,
    scaler_note="Bernoulli NB binarizes at `binarize`: standardize numbers first, so that the threshold is relative to each feature's mean.",
)

COMPLEMENT = Family(
    name="complement_nb",
    title="complement naive Bayes",
    aliases=(*TOKENS, "complementnb", "complement", "cnb"),
    estimators={"classification": "sklearn.naive_bayes.ComplementNB"},
    params=(ALPHA, FIT_PRIOR, Param("norm", ("normalize_weights",), "bool")),
    fidelity=ROWS,
    seeded=False,
    priority=85,
    **MIN_MAX,
)

FAMILIES = (GAUSSIAN, MULTINOMIAL, BERNOULLI, COMPLEMENT)
