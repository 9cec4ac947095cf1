"""The data a user passes: datasets by name or path, and the profile (task, rows, columns) that steers generation."""
