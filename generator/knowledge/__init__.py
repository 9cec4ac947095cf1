"""What the generator knows: estimator declarations read from the libraries (the snapshot), the families,
preprocessing steps, roles of names, and the refusals of spaces it cannot serve. Holds no code text."""
