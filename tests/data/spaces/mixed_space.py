"""A search space as users write it in Python, with non-identifier names and conditions."""

from ConfigSpace import (
    Categorical,
    ConfigurationSpace,
    EqualsCondition,
    Float,
    ForbiddenAndConjunction,
    ForbiddenEqualsClause,
    InCondition,
    Integer,
)


def get_configspace() -> ConfigurationSpace:
    space = ConfigurationSpace(name="mixed")
    classifier = Categorical("classifier", ["rf", "svm", "knn"], default="rf")
    depth = Integer("max-depth", (1, 32), default=8, log=True)
    trees = Integer("classifier:rf:n_estimators", (10, 500), default=100)
    c = Float("svm:C", (0.001, 1000.0), default=1.0, log=True)
    kernel = Categorical("svm:kernel", ["rbf", "linear", "poly"], default="rbf")
    k = Integer("knn:k", (1, 50), default=5)
    space.add([classifier, depth, trees, c, kernel, k])
    space.add(
        [
            InCondition(depth, classifier, ["rf", "knn"]),
            EqualsCondition(trees, classifier, "rf"),
            EqualsCondition(c, classifier, "svm"),
            EqualsCondition(kernel, classifier, "svm"),
            EqualsCondition(k, classifier, "knn"),
        ]
    )
    space.add(
        ForbiddenAndConjunction(
            ForbiddenEqualsClause(classifier, "svm"), ForbiddenEqualsClause(kernel, "poly")
        )
    )
    return space
