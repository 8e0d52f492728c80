#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder image: install the kit (this zip,
# unpacked in /autograder/source) with everything it needs.
set -euo pipefail
cd "$(dirname "$0")"
python3 -m pip install --quiet --disable-pip-version-check -e .
