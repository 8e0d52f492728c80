"""Instructor tools: prove the suites trustworthy (``verify``), write the student repository
(``release``). They need ``reference_solutions/``, which a release does not carry."""
