"""The ladder students climb: each exercise unlocks when the ones before it pass."""
