"""The one error type the generator raises; the CLI prints it as one paragraph."""

from __future__ import annotations


class GeneratorError(Exception):
    """Bad input or a refusal: names the file and, where one is at fault, the hyperparameter.

    Raised by every function of the Python API (`trainfn_gen.generate`, `explain`, `load_train`,
    `optimize`) and printed by every command as `trainfn-gen: error: <paragraph>` (exit status 1).
    `str(error)` is that one paragraph; the parts are `.message`, `.source` (the file's name, or
    `<ConfigurationSpace>` / `<dict>` for a space given as an object) and `.hyperparameter` (or None).
    """

    def __init__(self, message: str, *, source: str | None = None, hyperparameter: str | None = None):
        self.message = message
        self.source = source
        self.hyperparameter = hyperparameter
        super().__init__(self.paragraph())

    def paragraph(self) -> str:
        """One paragraph: `<file>: hyperparameter '<name>': <message>`."""
        parts = []
        if self.source:
            parts.append(self.source)
        if self.hyperparameter:
            parts.append(f"hyperparameter '{self.hyperparameter}'")
        prefix = ": ".join(parts)
        text = f"{prefix}: {self.message}" if prefix else self.message
        return " ".join(text.split())
