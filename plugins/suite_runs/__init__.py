"""Running an exercise suite in its own process and recording each test's result as it
happens: what the gate, grading and verify all build on."""
