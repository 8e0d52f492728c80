"""Loads gradkit's pytest plugins for every test in the repository: implementation selection
and test ownership, short failure reports, and the result stream that grading reads."""

pytest_plugins = ["plugins.pytest_gradkit", "plugins.failure_report", "plugins.suite_runs.recorder"]
