"""Grading: run each exercise's suite in its own process, score it, and write the results in
the formats graders read (gradkit's JSON, JUnit XML, Gradescope, GitHub Classroom)."""
