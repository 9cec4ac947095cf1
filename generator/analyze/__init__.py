"""Analysers of any train(): `check` (static rules) and `audit` (calls under a sweep of configurations)."""
