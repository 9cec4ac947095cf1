"""The pipeline from a read space to a written file: detection, the plan, rendering, formatting, writing,
and the options that steer them (task, contract, facade, cross-validation, metric)."""
