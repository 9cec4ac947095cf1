"""The rule engine (detect): selector, hyperparameter -> family argument, task, refusals.

Rules: R06 (every hyperparameter read, or its non-use stated with a reason), R11 (the families of
the space are the ones implemented, chosen by the selector), R15 (preprocessing roles), R17 (the
task decides the estimator), R09 (categorical values validated against what the estimator accepts).
Naming conventions follow section 9 of /work/shared/SPACES_IN_THE_WILD.md.
"""

from __future__ import annotations

import pytest
from ConfigSpace import (
    AndConjunction,
    Categorical,
    ConfigurationSpace,
    Constant,
    EqualsCondition,
    Float,
    InCondition,
    Integer,
)
from trainfn_gen.engine.detect import Detection, detect
from trainfn_gen.errors import GeneratorError
from trainfn_gen.space.model import space_model

SOURCE = "test.json"


def run(
    space: ConfigurationSpace, task: str | None = "classification", family: str | None = None, strict: bool = False
) -> Detection:
    return detect(space_model(space), SOURCE, task=task, family=family, strict=strict)


def placement(detection: Detection, name: str):
    (found,) = [p for p in detection.placements if p.name == name]
    return found


def uses(detection: Detection, name: str) -> list[tuple[str, str]]:
    return [(use.family, use.param.arg) for use in placement(detection, name).uses]


def refusal(
    space: ConfigurationSpace, task: str | None = "classification", family: str | None = None, strict: bool = False
) -> GeneratorError:
    with pytest.raises(GeneratorError) as caught:
        run(space, task=task, family=family, strict=strict)
    return caught.value


def conditioned(hyperparameters: dict, conditions) -> ConfigurationSpace:
    """A space plus conditions given as (child, parent, value-or-values) triples."""
    space = ConfigurationSpace(hyperparameters)
    for child, parent, value in conditions:
        if isinstance(value, list):
            space.add(InCondition(space[child], space[parent], value))
        else:
            space.add(EqualsCondition(space[child], space[parent], value))
    return space


# --- R11: the selector, under many names and value styles -------------------------------------

SELECTOR_NAMES = [
    "classifier",
    "model_type",
    "classifier_type",
    "algorithm",
    "estimator",
    "model",
    "classifier:__choice__",
]
VALUE_STYLES = [
    (("SVM", "RandomForest"), ("svm", "random_forest")),
    (("svm", "random_forest"), ("svm", "random_forest")),
    (("SVC", "rf"), ("svm", "random_forest")),
    (("gradient_boosting", "mlp"), ("gradient_boosting", "mlp")),
    (("GradientBoostingClassifier", "svm"), ("gradient_boosting", "svm")),
    (("libsvm_svc", "extra_trees"), ("svm", "extra_trees")),
]


@pytest.mark.parametrize("values, families", VALUE_STYLES, ids=lambda v: "-".join(v))
@pytest.mark.parametrize("name", SELECTOR_NAMES)
def test_r11_selector_found_under_any_name_and_value_style(name, values, families):
    detection = run(ConfigurationSpace({name: Categorical(name, list(values))}))
    assert detection.selector == name
    assert detection.choices == tuple(zip(values, families))
    assert detection.families == families


def test_r11_single_valued_selector_counts_when_its_name_says_so():
    detection = run(ConfigurationSpace({"classifier": ["SVM"], "C": (0.01, 10.0)}))
    assert detection.selector == "classifier"
    assert detection.families == ("svm",)
    assert uses(detection, "C") == [("svm", "C")]


def test_r11_unnamed_categorical_with_two_family_values_is_the_selector():
    detection = run(ConfigurationSpace({"which": ["rf", "svm"]}))
    assert detection.selector == "which"
    assert detection.families == ("random_forest", "svm")


def test_r11_two_spellings_of_one_family_give_one_family_two_choices():
    detection = run(ConfigurationSpace({"classifier": ["RandomForest", "rf"]}))
    assert detection.choices == (("RandomForest", "random_forest"), ("rf", "random_forest"))
    assert detection.families == ("random_forest",)


def test_r11_selector_is_not_placed_as_a_hyperparameter():
    detection = run(ConfigurationSpace({"classifier": ["rf", "svm"], "rf_max_depth": (1, 20)}))
    assert [p.name for p in detection.placements] == ["rf_max_depth"]


def test_r11_gradient_boosting_value_with_histogram_parameters_is_hist_gradient_boosting():
    """auto-sklearn's `gradient_boosting` is HistGradientBoosting: its parameters decide (section 9.3)."""
    detection = run(
        ConfigurationSpace(
            {
                "classifier:__choice__": ["gradient_boosting", "random_forest"],
                "classifier:gradient_boosting:max_iter": (10, 100),
                "classifier:gradient_boosting:l2_regularization": (0.0, 1.0),
                "classifier:gradient_boosting:max_leaf_nodes": (2, 64),
                "classifier:random_forest:max_depth": (1, 20),
            }
        )
    )
    assert detection.choices == (
        ("gradient_boosting", "hist_gradient_boosting"),
        ("random_forest", "random_forest"),
    )
    assert uses(detection, "classifier:gradient_boosting:max_iter") == [
        ("hist_gradient_boosting", "max_iter")
    ]


def test_r11_gradient_boosting_value_with_classic_parameters_stays_gradient_boosting():
    detection = run(
        ConfigurationSpace(
            {
                "model": ["gradient_boosting", "svm"],
                "gradient_boosting_n_estimators": (10, 100),
                "gradient_boosting_subsample": (0.5, 1.0),
            }
        )
    )
    assert detection.choices[0] == ("gradient_boosting", "gradient_boosting")
    assert uses(detection, "gradient_boosting_subsample") == [("gradient_boosting", "subsample")]


# --- R06: prefixes with `_`, `__`, `:` and `.` --------------------------------------------------


def test_r06_underscore_prefix_assigns_family():
    detection = run(
        ConfigurationSpace(
            {"classifier": ["rf", "svm"], "rf_max_depth": (1, 20), "svm_C": (0.01, 10.0)}
        )
    )
    assert uses(detection, "rf_max_depth") == [("random_forest", "max_depth")]
    assert uses(detection, "svm_C") == [("svm", "C")]
    assert placement(detection, "svm_C").base == "C"
    assert placement(detection, "svm_C").reason == "prefix 'svm'"


def test_r06_double_underscore_pipeline_prefix_assigns_family():
    detection = run(
        ConfigurationSpace(
            {"model": ["rf", "svm"], "rf__max_depth": (1, 20), "svm__C": (0.01, 10.0)}
        )
    )
    assert uses(detection, "rf__max_depth") == [("random_forest", "max_depth")]
    assert uses(detection, "svm__C") == [("svm", "C")]


def test_r06_colon_path_uses_second_to_last_segment():
    detection = run(
        ConfigurationSpace(
            {
                "classifier:__choice__": ["random_forest", "libsvm_svc"],
                "classifier:random_forest:max_depth": Integer(
                    "classifier:random_forest:max_depth", (1, 20)
                ),
                "classifier:libsvm_svc:C": Float("classifier:libsvm_svc:C", (0.01, 10.0), log=True),
            }
        )
    )
    assert uses(detection, "classifier:random_forest:max_depth") == [("random_forest", "max_depth")]
    assert placement(detection, "classifier:random_forest:max_depth").base == "max_depth"
    assert uses(detection, "classifier:libsvm_svc:C") == [("svm", "C")]


def test_r06_dot_prefix_and_alias_svm_cost_is_C():
    detection = run(
        ConfigurationSpace(
            {"learner": ["ranger", "svm"], "svm.cost": (0.01, 10.0), "ranger.num.trees": (10, 100)}
        )
    )
    assert detection.choices == (("ranger", "random_forest"), ("svm", "svm"))
    assert uses(detection, "svm.cost") == [("svm", "C")]
    assert uses(detection, "ranger.num.trees") == [("random_forest", "n_estimators")]


def test_r06_dot_prefix_without_selector_names_the_single_family():
    detection = run(ConfigurationSpace({"svm.cost": (0.01, 10.0), "svm.gamma": (1e-4, 1.0)}))
    assert detection.selector is None
    assert detection.families == ("svm",)
    assert uses(detection, "svm.gamma") == [("svm", "gamma")]


# --- R10/R11: conditions assign hyperparameters to families -------------------------------------


def test_r11_equals_condition_assigns_unprefixed_names():
    space = conditioned(
        {"classifier": ["svm", "random_forest"], "C": (0.01, 10.0), "max_depth": (1, 20)},
        [("C", "classifier", "svm"), ("max_depth", "classifier", "random_forest")],
    )
    detection = run(space)
    assert uses(detection, "C") == [("svm", "C")]
    assert uses(detection, "max_depth") == [("random_forest", "max_depth")]
    assert placement(detection, "C").reason == "active when classifier is svm"


def test_r11_in_condition_shares_one_hyperparameter_between_families():
    space = conditioned(
        {
            "classifier": ["gradient_boosting", "random_forest", "svm"],
            "max_depth": (1, 20),
            "C": (0.1, 1.0),
        },
        [
            ("max_depth", "classifier", ["gradient_boosting", "random_forest"]),
            ("C", "classifier", "svm"),
        ],
    )
    detection = run(space)
    assert uses(detection, "max_depth") == [
        ("gradient_boosting", "max_depth"),
        ("random_forest", "max_depth"),
    ]
    assert (
        placement(detection, "max_depth").reason
        == "active when classifier is gradient_boosting, random_forest"
    )


def test_r10_nested_condition_chain_is_followed_up_to_the_selector():
    """svm_degree | svm_kernel == poly, svm_kernel | classifier == svm: degree belongs to the SVM."""
    space = conditioned(
        {
            "classifier": ["svm", "rf"],
            "svm_kernel": ["rbf", "poly"],
            "svm_degree": (2, 5),
            "rf_max_depth": (1, 20),
        },
        [
            ("svm_kernel", "classifier", "svm"),
            ("svm_degree", "svm_kernel", "poly"),
            ("rf_max_depth", "classifier", "rf"),
        ],
    )
    detection = run(space)
    assert uses(detection, "svm_degree") == [("svm", "degree")]
    assert placement(detection, "svm_degree").reason == "active when classifier is svm"
    assert uses(detection, "svm_kernel") == [("svm", "kernel")]


def test_r10_nested_chain_without_prefixes_still_reaches_the_family():
    space = conditioned(
        {
            "classifier": ["svm", "rf"],
            "kernel": ["rbf", "poly"],
            "degree": (2, 5),
            "max_depth": (1, 20),
        },
        [
            ("kernel", "classifier", "svm"),
            ("degree", "kernel", "poly"),
            ("max_depth", "classifier", "rf"),
        ],
    )
    detection = run(space)
    assert uses(detection, "degree") == [("svm", "degree")]
    assert uses(detection, "max_depth") == [("random_forest", "max_depth")]


def test_r10_and_conjunction_components_are_followed():
    space = ConfigurationSpace(
        {"classifier": ["svm", "rf"], "kernel": ["rbf", "poly"], "degree": (2, 5)}
    )
    space.add(EqualsCondition(space["kernel"], space["classifier"], "svm"))
    space.add(
        AndConjunction(
            EqualsCondition(space["degree"], space["kernel"], "poly"),
            EqualsCondition(space["degree"], space["classifier"], "svm"),
        )
    )
    detection = run(space)
    assert uses(detection, "degree") == [("svm", "degree")]
    assert placement(detection, "degree").reason == "active when classifier is svm"


# --- R11: single-family spaces without family words (section 9.5) -------------------------------

SINGLE_FAMILY = [
    ({"C": (0.01, 10.0), "gamma": (1e-4, 1.0), "kernel": ["rbf", "poly"], "degree": (2, 5)}, "svm"),
    (
        {"n_estimators": (10, 100), "max_depth": (1, 20), "min_samples_split": (2, 10)},
        "random_forest",
    ),
    (
        {
            "n_estimators": (10, 100),
            "max_depth": (1, 20),
            "min_samples_split": (2, 10),
            "learning_rate": (0.01, 1.0),
            "subsample": (0.5, 1.0),
        },
        "gradient_boosting",
    ),
    (
        {"max_iter": (10, 100), "l2_regularization": (0.0, 1.0), "max_leaf_nodes": (2, 64)},
        "hist_gradient_boosting",
    ),
    (
        {
            "hidden_layer_sizes": (16, 256),
            "alpha": (1e-6, 1e-1),
            "learning_rate_init": (1e-4, 1e-1),
        },
        "mlp",
    ),
]


@pytest.mark.parametrize(
    "hyperparameters, family", SINGLE_FAMILY, ids=[f for _, f in SINGLE_FAMILY]
)
def test_r11_family_inferred_from_parameter_names_alone(hyperparameters, family):
    detection = run(ConfigurationSpace(hyperparameters))
    assert detection.selector is None
    assert detection.choices == ()
    assert detection.families == (family,)
    for name in hyperparameters:
        assert uses(detection, name) == [(family, placement(detection, name).base)]
        assert placement(detection, name).reason == "name"


def test_r09_mlp_learning_rate_categorical_is_the_schedule():
    """Section 9.4: `learning_rate` is a schedule for the sklearn MLP when categorical."""
    detection = run(
        ConfigurationSpace(
            {
                "hidden_layer_sizes": (16, 256),
                "learning_rate": ["constant", "adaptive"],
                "learning_rate_init": (1e-4, 0.1),
            }
        )
    )
    assert uses(detection, "learning_rate") == [("mlp", "learning_rate")]


def test_r09_mlp_learning_rate_float_is_learning_rate_init():
    detection = run(
        ConfigurationSpace({"classifier": ["mlp", "svm"], "mlp_learning_rate": (1e-4, 0.1)})
    )
    assert uses(detection, "mlp_learning_rate") == [("mlp", "learning_rate_init")]


def test_r09_svm_gamma_as_scale_auto_category():
    """Issue 22: after the family's StandardScaler 'scale' is 'auto' (X.var() is 1): stated unused, with why. With
    a scaler or a feature step the space chooses, or a numeric companion, the choice matters and is used."""
    detection = run(ConfigurationSpace({"C": (0.01, 10.0), "gamma": ["scale", "auto"]}))
    assert uses(detection, "gamma") == []
    assert "1 / n_features" in next(p.reason for p in detection.placements if p.name == "gamma")
    detection = run(ConfigurationSpace({"C": (0.01, 10.0), "gamma": ["scale", "auto"], "scaling": ["standard", "minmax"]}))
    assert uses(detection, "gamma") == [("svm", "gamma")]


def test_affine_scalers_before_trees_are_stated_unused():
    """Issue 22 (corpus 48): standard / min-max scaling keeps every split of a forest: no scaler runs, the setting is
    stated unused with why. A quantile transformer among the choices, or a scale-sensitive family, keeps it."""
    forest = {"n_estimators": (10, 100), "criterion": ["gini", "entropy"]}
    detection = run(ConfigurationSpace({**forest, "scaling": ["none", "standard", "minmax"]}), family="random_forest")
    scaling = next(p for p in detection.placements if p.name == "scaling")
    assert scaling.role is None and "order of each feature" in scaling.reason
    detection = run(ConfigurationSpace({**forest, "scaling": ["none", "quantile"]}), family="random_forest")
    assert next(p for p in detection.placements if p.name == "scaling").role == "scaler"
    detection = run(ConfigurationSpace({"C": (0.01, 10.0), "scaling": ["none", "standard"]}), family="svm")
    assert next(p for p in detection.placements if p.name == "scaling").role == "scaler"


# --- R17: task inference ----------------------------------------------------------------------


def test_r17_criterion_gini_means_classification():
    detection = run(
        ConfigurationSpace({"n_estimators": (10, 100), "criterion": ["gini", "entropy"]}), task=None
    )
    assert detection.task == "classification"
    assert uses(detection, "criterion") == [("random_forest", "criterion")]


def test_r17_criterion_mse_means_regression():
    detection = run(
        ConfigurationSpace({"n_estimators": (10, 100), "criterion": ["mse", "mae"]}), task=None
    )
    assert detection.task == "regression"
    assert placement(detection, "criterion").uses[0].param.task == "regression"


def test_r17_epsilon_on_svm_means_regression():
    detection = run(
        ConfigurationSpace({"C": (0.01, 10.0), "gamma": (1e-4, 1.0), "epsilon": (0.01, 1.0)}),
        task=None,
    )
    assert detection.task == "regression"
    assert uses(detection, "epsilon") == [("svm", "epsilon")]


@pytest.mark.parametrize(
    "values, task",
    [(("SVR", "rf"), "regression"), (("RandomForestClassifier", "svm"), "classification")],
)
def test_r17_selector_value_names_the_task(values, task):
    assert run(ConfigurationSpace({"classifier": list(values)}), task=None).task == task


def test_r17_no_task_hint_leaves_the_task_to_run_time():
    assert run(ConfigurationSpace({"C": (0.01, 10.0), "gamma": (1e-4, 1.0)}), task=None).task == "auto"


def test_r17_class_balancing_implies_classification():
    space = ConfigurationSpace({"C": (0.01, 10.0), "balancing:strategy": ["none", "weighting"]})
    assert run(space, task=None).task == "classification"


def test_r17_hints_for_both_tasks_are_refused():
    error = refusal(
        ConfigurationSpace(
            {"C": (0.01, 10.0), "epsilon": (0.01, 1.0), "class_weight": ["balanced", "None"]}
        ),
        task=None,
    )
    assert "points to both tasks" in error.message
    assert "classification: 'class_weight'" in error.message
    assert "regression: 'epsilon'" in error.message
    assert "--task" in error.message


def test_r17_given_task_is_kept_without_inference():
    detection = run(ConfigurationSpace({"C": (0.01, 10.0), "gamma": (1e-4, 1.0)}), task="regression")
    assert detection.task == "regression"


def test_a_lone_ambiguous_hyperparameter_is_refused():
    """Corpus 34: `C` alone belongs to several families; nothing says which model to train."""
    error = refusal(ConfigurationSpace({"C": (0.01, 10.0)}))
    assert error.hyperparameter == "C"
    assert "support vector machine" in error.message and "logistic regression" in error.message
    assert "--family" in error.message and "selector" in error.message


# --- R06 / R15: non-model and preprocessing hyperparameters ------------------------------------


@pytest.mark.parametrize(
    "name, values, fragment",
    [
        ("n_jobs", [1, 2], "single-threaded"),
        ("random_state", (0, 100), "R21"),
        ("verbose", [0, 1], "R22"),
    ],
)
def test_r06_non_model_names_are_placed_unused_with_a_reason(name, values, fragment):
    detection = run(
        ConfigurationSpace({"n_estimators": (10, 100), "max_depth": (1, 20), name: values})
    )
    found = placement(detection, name)
    assert found.uses == ()
    assert found.role is None
    assert fragment in found.reason


def test_r06_non_model_name_beside_a_selector_is_unused():
    detection = run(ConfigurationSpace({"classifier": ["rf", "svm"], "seed": (0, 100)}))
    assert placement(detection, "seed").uses == ()
    assert "seed" in placement(detection, "seed").reason


def test_r06_parameter_of_another_family_is_unused_with_owner():
    """`penalty` is logistic regression's argument; beside a forest it is placed unused, owner named."""
    detection = run(ConfigurationSpace({"n_estimators": (10, 100), "penalty": ["l1", "l2"]}))
    assert placement(detection, "penalty").uses == ()
    assert placement(detection, "penalty").reason.startswith("a parameter of logistic regression")


def test_r15_scaler_and_one_hot_get_preprocessing_roles():
    detection = run(
        ConfigurationSpace(
            {
                "C": (0.01, 10.0),
                "kernel": ["rbf", "linear"],
                "scaler": ["standard", "minmax", "none"],
                "use_one_hot_encoding": Categorical("use_one_hot_encoding", [True, False]),
            }
        )
    )
    assert detection.families == ("svm",)
    assert placement(detection, "scaler").role == "scaler"
    assert placement(detection, "use_one_hot_encoding").role == "one_hot"
    assert placement(detection, "scaler").uses == ()
    assert placement(detection, "scaler").reason == "preprocessing setting"


def test_r15_auto_sklearn_rescaling_choice_is_the_scaler():
    """Section 9.1: auto-sklearn spaces carry `...rescaling:__choice__` beside `classifier:__choice__`."""
    name = "data_preprocessor:feature_type:numerical_transformer:rescaling:__choice__"
    detection = run(
        ConfigurationSpace(
            {
                "classifier:__choice__": ["random_forest", "libsvm_svc"],
                name: ["minmax", "standard", "none"],
            }
        )
    )
    assert placement(detection, name).role == "scaler"


# --- refusals, with pinned message fragments ---------------------------------------------------


def test_r11_selector_value_of_an_unsupported_family_is_refused_by_name():
    error = refusal(ConfigurationSpace({"classifier": ["svm", "catboost"]}))
    assert error.hyperparameter == "classifier"
    assert (
        "the selector's value 'catboost' names CatBoost, which this version does not generate"
        in error.message
    )
    assert "--family" in error.message


def test_r11_selector_value_naming_no_family_is_refused_listing_known_ones():
    error = refusal(ConfigurationSpace({"classifier": ["svm", "quux"]}))
    assert error.hyperparameter == "classifier"
    assert (
        "the selector's value 'quux' names no model family this version generates" in error.message
    )
    assert "support vector machine" in error.message
    assert "--family" in error.message


def test_r11_prefix_of_an_unsupported_family_counts_as_a_second_family():
    error = refusal(ConfigurationSpace({"svm_C": (0.01, 10.0), "knn_n_neighbors": (1, 10)}))
    assert (
        "mixes several model families (k-nearest neighbours, support vector machine)"
        in error.message
    )


def test_r18_deep_learning_setting_on_the_sklearn_mlp_is_refused():
    space = ConfigurationSpace({"hidden_layer_sizes": (16, 256), "dropout": (0.0, 0.5)})
    with pytest.raises(GeneratorError) as caught:
        detect(space_model(space), SOURCE, task="classification", framework="sklearn")
    assert caught.value.hyperparameter == "dropout"
    assert "deep-learning setting" in caught.value.message
    assert "--framework torch" in caught.value.message


def test_r18_deep_learning_setting_makes_a_torch_network_by_default():
    space = ConfigurationSpace({"hidden_layer_sizes": (16, 256), "dropout": (0.0, 0.5)})
    assert run(space).families == ("network",)


def test_r11_mixed_prefixes_without_selector_are_refused_naming_both():
    error = refusal(ConfigurationSpace({"rf_max_depth": (1, 20), "svm_C": (0.01, 10.0)}))
    assert "mixes several model families (random forest, support vector machine)" in error.message
    assert "--family" in error.message


def test_r11_space_with_no_known_parameter_is_refused():
    error = refusal(ConfigurationSpace({"x": (0.0, 1.0)}))
    assert "none of its 1 searched hyperparameters is a setting of a supervised model" in error.message
    assert "'x'" in error.message


@pytest.mark.parametrize(
    "hyperparameters, name",
    [
        ({"n_estimators": (10, 100), "max_depth": (1, 20), "frobnicate": (0.0, 1.0)}, "frobnicate"),
        ({"classifier": ["rf", "svm"], "rf_frobnicate": (0.0, 1.0)}, "rf_frobnicate"),
    ],
)
def test_r06_unrecognized_hyperparameter_is_unused_with_a_warning_and_refused_when_strict(hyperparameters, name):
    detection = run(ConfigurationSpace(hyperparameters), task="classification")
    placed = next(p for p in detection.placements if p.name == name)
    assert placed.unknown and not placed.uses
    assert placed.reason.startswith("not recognized: no parameter of the random forest")
    assert detection.warnings == (f"hyperparameter '{name}' is not used by train(): {placed.reason}",)
    error = refusal(ConfigurationSpace(hyperparameters), strict=True)
    assert error.hyperparameter == name
    assert "(--strict refuses what no rule understands)" in error.message


def test_a_constant_no_rule_understands_is_unused_without_a_warning_even_when_strict():
    space = ConfigurationSpace({"n_estimators": (10, 100), "max_depth": (1, 20)})
    space.add([Constant("device", "cuda"), Constant("early_stopping_rounds", 10), Constant("dataset_name", "adult")])
    detection = run(space, task="classification", strict=True)
    assert detection.warnings == ()
    reasons = {p.name: p.reason for p in detection.placements if not p.uses}
    assert set(reasons) == {"device", "early_stopping_rounds", "dataset_name"}
    assert all("it is the same in every trial" in r for r in reasons.values())


def test_r09_categorical_values_the_estimator_rejects_are_refused_when_strict():
    error = refusal(
        ConfigurationSpace({"n_estimators": (10, 100), "criterion": ["foo", "bar"]}),
        task="classification",
        strict=True,
    )
    assert error.hyperparameter == "criterion"
    assert (
        "its values (foo, bar) are not accepted by the RandomForestClassifier argument 'criterion'"
        in error.message
    )
    assert "(it accepts gini, entropy, log_loss)" in error.message


def test_r17_classification_criterion_under_regression_is_refused_when_strict():
    error = refusal(
        ConfigurationSpace({"n_estimators": (10, 100), "criterion": ["gini", "entropy"]}),
        task="regression",
        strict=True,
    )
    assert "RandomForestRegressor argument 'criterion'" in error.message


def test_refusal_names_the_file():
    error = refusal(ConfigurationSpace({"x": (0.0, 1.0)}))
    assert str(error).startswith(f"{SOURCE}: ")
    assert "\n" not in str(error)


# --- --family ----------------------------------------------------------------------------------


def test_r11_family_option_picks_one_family_of_a_mixed_space():
    detection = run(
        ConfigurationSpace({"rf_max_depth": (1, 20), "svm_C": (0.01, 10.0)}), family="svm"
    )
    assert detection.selector is None
    assert detection.families == ("svm",)
    assert uses(detection, "svm_C") == [("svm", "C")]
    assert placement(detection, "rf_max_depth").uses == ()
    assert "random forest" in placement(detection, "rf_max_depth").reason


def test_r11_family_option_leaves_an_unsupported_family_prefix_unused():
    detection = run(
        ConfigurationSpace({"svm_C": (0.01, 10.0), "knn_n_neighbors": (1, 10)}), family="svm"
    )
    assert placement(detection, "knn_n_neighbors").uses == ()
    assert "k-nearest neighbours" in placement(detection, "knn_n_neighbors").reason


def test_r11_unknown_family_option_is_refused():
    error = refusal(ConfigurationSpace({"C": (0.01, 10.0)}), family="catboost")
    assert "--family 'catboost' is not a family this version knows" in error.message


def test_r11_family_option_follows_the_advice_of_the_unknown_value_refusal():
    space = conditioned(
        {"classifier": ["svm", "knn"], "C": (0.01, 10.0), "n_neighbors": (1, 10)},
        [("C", "classifier", "svm"), ("n_neighbors", "classifier", "knn")],
    )
    detection = run(space, family="svm")
    assert detection.families == ("svm",)
    assert uses(detection, "C") == [("svm", "C")]


def test_r06_boosting_rounds_alias_reaches_n_estimators():
    detection = run(
        ConfigurationSpace(
            {"boosting_rounds": (10, 100), "learning_rate": (0.01, 1.0), "subsample": (0.5, 1.0)}
        )
    )
    assert uses(detection, "boosting_rounds") == [("gradient_boosting", "n_estimators")]


def test_r06_lr_schedule_alias_reaches_mlp_learning_rate():
    detection = run(
        ConfigurationSpace(
            {
                "hidden_layer_sizes": (16, 256),
                "lr_schedule": ["constant", "adaptive"],
                "learning_rate_init": (1e-4, 0.1),
            }
        )
    )
    assert uses(detection, "lr_schedule") == [("mlp", "learning_rate")]


def test_r11_unsupported_family_prefix_beside_an_inferred_family_is_refused():
    """Without --family, a CatBoost-prefixed hyperparameter beside an inferred MLP is refused, not dropped."""
    space = ConfigurationSpace({"hidden_layer_sizes": (16, 256), "alpha": (1e-6, 0.1), "catboost_depth": (1, 10)})
    with pytest.raises(GeneratorError, match="prefix 'catboost' names CatBoost"):
        run(space)


# --- determinism -------------------------------------------------------------------------------


def test_detect_twice_gives_equal_detections():
    space = conditioned(
        {
            "classifier": ["svm", "rf"],
            "svm_kernel": ["rbf", "poly"],
            "svm_degree": (2, 5),
            "rf_max_depth": (1, 20),
            "n_jobs": [1, 2],
        },
        [
            ("svm_kernel", "classifier", "svm"),
            ("svm_degree", "svm_kernel", "poly"),
            ("rf_max_depth", "classifier", "rf"),
        ],
    )
    assert run(space) == run(space)


def test_detect_ignores_hyperparameter_insertion_order():
    forward = ConfigurationSpace(
        {"n_estimators": (10, 100), "max_depth": (1, 20), "criterion": ["gini", "entropy"]}
    )
    backward = ConfigurationSpace(
        {"criterion": ["gini", "entropy"], "max_depth": (1, 20), "n_estimators": (10, 100)}
    )
    assert run(forward, task=None) == run(backward, task=None)


@pytest.mark.parametrize(
    "name, arg",
    [("clf__C", "C"), ("classifier__svc__C", "C"), ("model__gamma", "gamma"), ("svm.cost", "C"), ("classifier:libsvm_svc:C", "C")],
)
def test_path_names_map_by_their_last_step(name, arg):
    """Section 9.2: `__` (Pipeline), `:` (auto-sklearn) and `.` (YAHPO) paths; the last step is the argument."""
    assert uses(run(ConfigurationSpace({name: (0.01, 10.0), "kernel": ["rbf", "linear"]})), name) == [("svm", arg)]


@pytest.mark.parametrize(
    "name, low, high, comment",
    [
        ("C", -10.0, 10.0, "C is log2-encoded: C = 2 ** C"),
        ("C_log2", -5.0, 5.0, "C_log2 is log2-encoded: C = 2 ** C_log2"),
        ("log10_C", -3.0, 3.0, "log10_C is log10-encoded: C = 10 ** log10_C"),
        ("log_C", -3.0, 3.0, "log_C is log-encoded: C = exp(log_C)"),
    ],
)
def test_log_encoded_values_are_exponentiated(name, low, high, comment):
    """Section 9.7: a log marker in the name, or a range below zero for a positive argument."""
    from trainfn_gen.engine.options import make_options
    from trainfn_gen.engine.plan import build_plan

    space = ConfigurationSpace({name: (low, high), "kernel": ["rbf", "linear"]})
    detection = run(space)
    (use,) = placement(detection, name).uses
    assert use.param.arg == "C" and use.log_base is not None
    (branch,) = build_plan(space_model(space), detection, make_options(task="classification")).branches
    (arg,) = [a for a in branch.args if a.name == "C"]
    assert arg.comment == comment


@pytest.mark.parametrize("name", ["subsample", "trainsize", "dataset_fraction"])
def test_data_fraction_inside_the_space(name):
    """Section 9.6: HPOBench's `subsample` / YAHPO's `trainsize` is the share of training rows (not GB's subsample)."""
    detection = run(ConfigurationSpace({"C": (0.01, 10.0), "gamma": (1e-4, 1.0), name: (0.1, 1.0)}))
    assert placement(detection, name).role == "data_fraction"


def test_subsample_stays_a_boosting_argument():
    detection = run(ConfigurationSpace({"learning_rate": (0.01, 0.3), "n_estimators": (10, 100), "subsample": (0.5, 1.0)}))
    assert uses(detection, "subsample") == [("gradient_boosting", "subsample")]


def test_ranger_names_and_r_values():
    """Section 9.2/9.7: dotted names, mtry.power as an exponent of the feature count, TRUE/FALSE."""
    space = ConfigurationSpace(
        {"num.trees": (1, 500), "mtry.power": (0.0, 1.0), "min.node.size": (1, 50), "replace": ["TRUE", "FALSE"], "respect.unordered.factors": ["ignore", "order"], "repl": (1, 10)}
    )
    detection = run(space)
    assert uses(detection, "num.trees") == [("random_forest", "n_estimators")]
    assert uses(detection, "mtry.power")[0][1] == "max_features"
    assert uses(detection, "replace") == [("random_forest", "bootstrap")]
    assert "ranger" in placement(detection, "respect.unordered.factors").reason
    assert "replication" in placement(detection, "repl").reason


def test_autosklearn_paths_give_preprocessing_roles():
    """R15: auto-sklearn's rescaling / imputation / balancing / feature preprocessor choices are honoured."""
    space = conditioned(
        {
            "classifier:__choice__": ["random_forest", "libsvm_svc"],
            "classifier:random_forest:n_estimators": (10, 100),
            "classifier:libsvm_svc:C": (0.1, 10.0),
            "balancing:strategy": ["none", "weighting"],
            "data_preprocessor:feature_type:numerical_transformer:imputation:strategy": ["mean", "median"],
            "data_preprocessor:feature_type:numerical_transformer:rescaling:__choice__": ["minmax", "standardize", "none"],
            "feature_preprocessor:__choice__": ["no_preprocessing", "pca", "polynomial", "fast_ica"],
            "feature_preprocessor:pca:keep_variance": (0.5, 0.99),
            "feature_preprocessor:polynomial:degree": (2, 3),
            "feature_preprocessor:fast_ica:n_components": (10, 100),
        },
        [
            ("classifier:random_forest:n_estimators", "classifier:__choice__", "random_forest"),
            ("classifier:libsvm_svc:C", "classifier:__choice__", "libsvm_svc"),
            ("feature_preprocessor:pca:keep_variance", "feature_preprocessor:__choice__", "pca"),
            ("feature_preprocessor:polynomial:degree", "feature_preprocessor:__choice__", "polynomial"),
            ("feature_preprocessor:fast_ica:n_components", "feature_preprocessor:__choice__", "fast_ica"),
        ],
    )
    detection = run(space, task=None)
    assert detection.selector == "classifier:__choice__"
    assert detection.task == "classification"
    roles = {p.name.split(":")[0] + ":" + p.name.split(":")[-1]: p.role for p in detection.placements if p.role}
    assert roles == {
        "balancing:strategy": "balancing",
        "data_preprocessor:strategy": "imputer",
        "data_preprocessor:__choice__": "scaler",
        "feature_preprocessor:__choice__": "feature_preprocessor",
        # Issue 13: each preprocessor's settings are read in its own branch, as auto-sklearn means them.
        "feature_preprocessor:keep_variance": "feature_setting",
        "feature_preprocessor:degree": "feature_setting",
        "feature_preprocessor:n_components": "feature_setting",
    }
    assert "fast ICA" in placement(detection, "feature_preprocessor:fast_ica:n_components").reason


def test_polynomial_degree_under_a_switch_is_not_the_kernel_degree():
    """Corpus 49: `poly_degree` conditioned on `use_feature_engineering` sets PolynomialFeatures."""
    space = conditioned(
        {"C": (0.1, 10.0), "kernel": ["rbf", "poly"], "degree": (2, 4), "use_feature_engineering": [True, False], "poly_degree": (2, 3)},
        [("poly_degree", "use_feature_engineering", True), ("degree", "kernel", "poly")],
    )
    detection = run(space)
    assert placement(detection, "poly_degree").role == "polynomial_degree"
    assert uses(detection, "degree") == [("svm", "degree")]


@pytest.mark.parametrize(
    "name,family,arg",
    [
        ("mlp_units_1", "network", "layer_units"),
        ("n_units_layer_1", "network", "layer_units"),
        ("dense_units_1", "network", "layer_units"),
        ("dense_size_1", "network", "layer_units"),
        ("num_filters_l0", "cnn", "layer_filters"),
        ("filters_layer_1", "cnn", "layer_filters"),
        ("cnn_filters_2", "cnn", "layer_filters"),
        ("conv_filters_1", "cnn", "layer_filters"),
        ("num_filters_first_layer", "cnn", "first_filters"),
        ("lstm_units", "rnn", "hidden_size"),
        ("gru_units", "rnn", "hidden_size"),
        ("embedding_dim", "rnn", "embedding_dim"),
    ],
)
def test_r06_network_settings_with_layer_indices_are_recognized(name, family, arg):
    space = ConfigurationSpace({name: (8, 64), "dropout_rate": (0.0, 0.5), "optimizer": ["Adam", "sgd", "RMSProp"]})
    detection = run(space, family=family)
    assert uses(detection, name) == [(family, arg)]
    assert uses(detection, "optimizer") == [(family, "optimizer_name")]


def test_r11_selector_of_network_architectures_picks_cnn_rnn_and_torch_mlp():
    space = ConfigurationSpace({"model_type": ["cnn", "LSTM", "mlp"], "units": (8, 64), "dropout": (0.0, 0.5)})
    assert dict(run(space).choices) == {"cnn": "cnn", "LSTM": "rnn", "mlp": "network"}


def test_r18_framework_sklearn_refuses_a_cnn_selector_value_by_name():
    space = ConfigurationSpace({"model_type": ["cnn", "mlp"], "alpha": (1e-5, 1e-1)})
    with pytest.raises(GeneratorError) as caught:
        detect(space_model(space), SOURCE, task="classification", framework="sklearn")
    assert "the selector's value 'cnn' names a convolutional network (CNN)" in caught.value.message


def test_numeric_alternative_replaces_its_named_setting_when_active():
    """Corpus 01: `gamma_numeric` beside categorical `gamma` ('scale'/'auto') is gamma's numeric form."""
    from trainfn_gen.engine.options import make_options
    from trainfn_gen.engine.plan import build_plan

    space = conditioned(
        {"svm__C": (0.01, 10.0), "svm__gamma": ["scale", "auto"], "svm__gamma_numeric": (0.001, 1.0)},
        [("svm__gamma_numeric", "svm__gamma", "auto")],
    )
    detection = run(space)
    (use,) = placement(detection, "svm__gamma_numeric").uses
    assert (use.param.arg, use.alternative) == ("gamma", True)
    (branch,) = build_plan(space_model(space), detection, make_options(task="classification")).branches
    (gamma,) = [a for a in branch.args if a.name == "gamma"]
    assert "if cfg.get('svm__gamma_numeric') is not None else as_choice(cfg.get('svm__gamma')" in gamma.expr


def test_r11_family_option_leaves_every_setting_of_the_other_prefix_unused():
    """Corpus 01: with --family knn, even an svm-prefixed name no family knows is listed unused, not refused."""
    space = ConfigurationSpace({"knn__n_neighbors": (3, 7), "svm__C": (0.01, 10.0), "svm__gamma_numeric": (0.01, 1.0)})
    detection = run(space, family="knn")
    assert placement(detection, "svm__gamma_numeric").uses == ()
    assert "support vector machine" in placement(detection, "svm__gamma_numeric").reason
    assert "--family knn" in placement(detection, "svm__gamma_numeric").reason


# Issue 13: network spaces of others: per-layer settings, hyperopt encodings, NAS cells, graph networks,
# the user's own names for networks.
def test_per_layer_network_settings_are_understood_not_refused():
    space = ConfigurationSpace({"num_layers": (1, 3), "num_units_1": (8, 64), "dropout_1": (0.0, 0.9), "dropout_0": (0.0, 0.5), "l2_reg_1": (1e-5, 0.1), "weight_norm_1": (0.25, 8.0), "log_base_epsilon_1": (-11.5, 0.0)})
    found = run(space, task=None)
    assert found.families == ("network",)
    assert uses(found, "dropout_1") == [("network", "layer_dropout")] and uses(found, "dropout_0") == [("network", "layer_dropout")]
    assert uses(found, "l2_reg_1") == [("network", "layer_l2")]
    assert "max-norm" in placement(found, "weight_norm_1").reason
    assert "per-layer learning rate" in placement(found, "log_base_epsilon_1").reason


def test_hyperopt_encoded_names_are_decoded():
    from trainfn_gen.space.names import decode_name

    assert decode_name("Q16_LOG_nhid1") == ("nhid1", pytest.approx(2.718281828), 16.0)
    assert decode_name("LOG2_C") == ("C", 2.0, None) and decode_name("q0.5_width") == ("width", None, 0.5)
    assert decode_name("lr") == ("lr", None, None) and decode_name("Qx_lr") == ("Qx_lr", None, None)
    space = ConfigurationSpace({"LOG_lr": (-9.0, -1.0), "Q16_LOG_nhid1": (2.77, 6.93), "dropout": (0.0, 0.5)})
    found = run(space, task=None)
    assert uses(found, "LOG_lr") == [("network", "learning_rate")] and placement(found, "LOG_lr").uses[0].log_base
    assert uses(found, "Q16_LOG_nhid1") == [("network", "layer_units")]


def test_index_choices_of_pcs_comments_are_stated_unused_but_a_depth_from_zero_is_kept():
    """`batch_size {0, 1} # {20, 100}`: ConfigSpace drops the comment, so 0/1 is an index, never a batch size."""
    space = conditioned(
        {"batch_size": ["0", "1"], "l2_penalty": ["0", "1"], "LOG_l2_penalty_nz": (-19.8, -7.8), "depth": ["0", "1", "2"], "dropout": (0.0, 0.5)},
        [("LOG_l2_penalty_nz", "l2_penalty", "1")],
    )
    found = run(space, task=None)
    assert not placement(found, "batch_size").uses and "index a list of values" in placement(found, "batch_size").reason
    assert not placement(found, "l2_penalty").uses
    assert "an index whose values only the file's comments name" in placement(found, "LOG_l2_penalty_nz").reason
    assert uses(found, "depth") == [("network", "n_layers")]


@pytest.mark.parametrize(
    "space",
    [
        ConfigurationSpace({f"edge_normal_{i}": ["sep_conv_3x3", "skip_connect", "max_pool_3x3", "dil_conv_5x5"] for i in range(4)} | {"epoch": (1, 98)}),
        ConfigurationSpace({f"{j}<-{i}": ["none", "skip_connect", "nor_conv_1x1", "avg_pool_3x3"] for j in range(1, 4) for i in range(j)}),
    ],
    ids=["darts", "nas-bench-201"],
)
def test_nas_cell_spaces_are_refused_as_architecture_search_not_pushed_onto_the_mlp(space):
    message = refusal(space, task=None).message
    assert "neural-architecture search space" in message and "cell" in message and "MLP" not in message


@pytest.mark.parametrize(
    "space",
    [
        ConfigurationSpace({"num_gnn_layers": (1, 5), "aggregation": ["sum", "mean", "max"], "hidden_dim": (16, 256), "learning_rate": (1e-4, 1e-1), "dropout": (0.0, 0.5)}),
        ConfigurationSpace({"conv_type": ["gcn", "gat", "sage"], "num_layers": (1, 5), "hidden_channels": (16, 256), "lr": (1e-4, 1e-1)}),
    ],
    ids=["gnn-names", "graph-layer-values"],
)
def test_graph_network_spaces_are_refused_as_graph_networks(space):
    message = refusal(space, task=None).message
    assert "graph neural network" in message and "not accepted by the" not in message


def test_selector_values_that_are_the_users_own_network_names_map_to_network_families():
    space = ConfigurationSpace({"model": ["cnn_regressor_v2", "mlp_auto", "lstm2"], "learning_rate": (1e-4, 1e-1), "num_filters": (8, 64), "hidden_size": (8, 64)})
    found = run(space, task=None)
    assert found.selector == "model" and dict(found.choices) == {"cnn_regressor_v2": "cnn", "mlp_auto": "network", "lstm2": "rnn"}


def test_a_plain_space_with_none_and_identity_values_is_no_architecture_search():
    space = ConfigurationSpace({"activation": ["identity", "relu", "tanh"], "hidden_layer_sizes": (10, 100), "alpha": (1e-5, 1e-1), "feature_preprocessor": ["none", "pca"]})
    assert run(space, task=None).families


def test_a_setting_active_only_where_the_estimator_ignores_it_is_stated_unused():
    """Issue 22 (auto-sklearn's SGD): epsilon active only for loss='modified_huber', which scikit-learn never reads it
    for (huber and epsilon-insensitive losses only); under loss='huber' it is used."""
    space = {"loss": ["hinge", "modified_huber", "huber"], "alpha": (1e-5, 1e-1), "epsilon": (1e-5, 1e-1)}
    detection = run(conditioned(space, [("epsilon", "loss", "modified_huber")]), family="sgd")
    assert uses(detection, "epsilon") == []
    assert "read only when loss is 'huber'" in placement(detection, "epsilon").reason
    detection = run(conditioned(space, [("epsilon", "loss", ["modified_huber", "huber"])]), family="sgd")
    assert uses(detection, "epsilon") == [("sgd", "epsilon")]


def test_a_choice_forbidden_wherever_the_estimator_reads_it_is_stated_unused():
    """Corpus 26: learning_rate='adaptive' is forbidden with optimizer='sgd', the only MLP solver that reads the
    schedule, so the schedule never changes the model; without the clause it is used."""
    from ConfigSpace import ForbiddenAndConjunction, ForbiddenEqualsClause

    hyperparameters = {"optimizer": ["sgd", "adam"], "learning_rate": ["constant", "adaptive"], "num_units": (16, 64)}
    space = ConfigurationSpace(hyperparameters)
    detection = run(space, family="mlp")
    assert uses(detection, "learning_rate") == [("mlp", "learning_rate")]
    space.add(ForbiddenAndConjunction(ForbiddenEqualsClause(space["optimizer"], "sgd"), ForbiddenEqualsClause(space["learning_rate"], "adaptive")))
    detection = run(space, family="mlp")
    assert uses(detection, "learning_rate") == []
    assert "leave it only 'constant'" in placement(detection, "learning_rate").reason


def test_an_hpolib_index_grid_is_refused_before_any_family_vote():
    """Issue 22: `C [0, 10]i` and `gamma [0, 10]i` index a grid kept in the file's comments. The family vote followed
    XGBoost's gamma (a minimum split loss from 0) and trained XGBoost with C unused; now one refusal names the grid.
    Real values, or an integer that can be its own value (a degree from 0), are not refused."""
    grid = ConfigurationSpace({"C": (0, 10), "gamma": (0, 10)})
    with pytest.raises(GeneratorError) as caught:
        run(grid, family=None)
    assert "index a grid" in caught.value.message and caught.value.hyperparameter == "C"
    assert uses(run(ConfigurationSpace({"C": (0.03, 100.0), "gamma": (1e-4, 1.0), "degree": (0, 5)})), "C") == [("svm", "C")]
