"""Loads gradkit's pytest plugin for every test in the repository."""

pytest_plugins = ["plugins.pytest_gradkit"]
