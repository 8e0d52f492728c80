"""Write a :class:`Gradebook` in every format a grader reads, all offline:

- ``grades.json``: gradkit's own — per exercise passed, failed, errors, points, time, status;
- ``junit.xml``: JUnit XML, one ``<testsuite>`` per exercise;
- ``results.json``: Gradescope's autograder results (tests with name, score, max_score, status,
  output, visibility);
- ``classroom.json``: GitHub Classroom's runner result (its reporter reads it base64-encoded);
- ``summary.md``: a Markdown table for a CI job summary.

What students see (``results.json``, ``classroom.json``) carries at most
:data:`VISIBLE_PER_TEST` characters of a test's message and :data:`VISIBLE_PER_EXERCISE` per
exercise, so that a submission cannot carry files out in its error messages; ``junit.xml``, the
instructor's, keeps all that the recorder kept of each message (its first and last 2,000).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from datetime import UTC, datetime
from pathlib import Path

from plugins.grading.gradebook import FLAGGED, GRADED, Gradebook
from plugins.suite_runs.runner import ERROR, FAILED, PASSED, SKIPPED

GRADES, JUNIT, GRADESCOPE, CLASSROOM, SUMMARY = (
    "grades.json",
    "junit.xml",
    "results.json",
    "classroom.json",
    "summary.md",
)
OUTPUT_FILES = (GRADES, JUNIT, GRADESCOPE, CLASSROOM, SUMMARY)
VISIBLE_PER_TEST, VISIBLE_PER_EXERCISE = 1_000, 5_000
# XML 1.0 cannot hold most control characters; a student's output may contain any.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


RUN_NOTES = ("spot_check", "sandbox")  # how the grading run was protected, in every format


def _run_notes(book: Gradebook) -> list[str]:
    """``spot check: ...``, ``sandbox: ...``: how the run was protected, where it says so."""
    return [
        f"{key.replace('_', ' ')}: {book.manifest[key]}"
        for key in RUN_NOTES
        if key in book.manifest
    ]


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 3)


def _part(grades) -> dict:
    return {
        "points": _number(sum(g.points for g in grades)),
        "max_points": _number(sum(g.max_points for g in grades)),
    }


def grades_json(book: Gradebook) -> dict:
    counted = {grade.exercise.id for grade in book.counted}
    return {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": book.mode,
        "timeouts": {"test": book.test_timeout, "exercise": book.exercise_timeout},
        "manifest": book.manifest,
        "submission": book.submission,
        "exercises": [
            {**grade.summary(), "counted": grade.exercise.id in counted} for grade in book.grades
        ],
        "core": _part(book.core),
        "electives": {
            "counted": book.electives_counted,
            "graded": [grade.exercise.id for grade in book.electives],
            "counted_ids": [grade.exercise.id for grade in book.counted_electives],
            **_part(book.counted_electives),
        },
        "total": {
            "passed": book.passed,
            "not_passed": book.not_passed,
            "points": _number(book.points),
            "max_points": _number(book.max_points),
        },
    }


def junit_xml(book: Gradebook) -> ElementTree.ElementTree:
    suites = ElementTree.Element("testsuites", name="gradkit")
    for grade in book.grades:
        suite = ElementTree.SubElement(
            suites,
            "testsuite",
            name=f"{grade.exercise.id} {grade.exercise.title}",
            tests=str(len(grade.tests)),
            failures=str(grade.failed),
            errors=str(grade.errors),
            skipped=str(grade.skipped),
            time=f"{grade.seconds:.3f}",
        )
        for test in grade.tests:
            path, _, name = test.nodeid.partition("::")
            case = ElementTree.SubElement(
                suite,
                "testcase",
                classname=path.removesuffix(".py").replace("/", "."),
                name=name,
                time=f"{test.seconds:.3f}",
            )
            tag = {FAILED: "failure", ERROR: "error", SKIPPED: "skipped"}.get(test.outcome)
            if tag:
                text = _NOT_XML.sub("?", test.message)
                detail = ElementTree.SubElement(case, tag, message=text.split("\n", 1)[0])
                detail.text = text
    ElementTree.indent(suites)
    return ElementTree.ElementTree(suites)


def _overview(book: Gradebook) -> str:
    lines = []
    for grade in book.grades:
        line = (
            f"{grade.exercise.id} {grade.exercise.title}: {grade.passed}/{len(grade.tests)} "
            f"passed, {_number(grade.points)}/{_number(grade.max_points)} points ({grade.status})"
        )
        lines.append(f"{line} - {grade.note}" if grade.note else line)
        lines += [f"  flagged: {flag}" for flag in grade.flags]
    lines += [f"tampered: {problem}" for problem in book.manifest.get("problems", [])]
    lines += (book.submission or {}).get("refused", [])
    lines += _run_notes(book)
    return "\n".join(lines)


def _visible_messages(grade) -> list[str]:
    """Each test's message as students see it: cut to :data:`VISIBLE_PER_TEST` characters, and
    to nothing once the exercise's messages have used :data:`VISIBLE_PER_EXERCISE`; the
    grader's own messages (a tampered file) are shown whole."""
    shown, left = [], VISIBLE_PER_EXERCISE
    for test in grade.tests:
        if test.kits_own:
            shown.append(test.message)
            continue
        room = min(VISIBLE_PER_TEST, left)
        message = test.message
        if len(message) > room:
            message = message[:room] + (
                f"\n[... {len(test.message) - room} more characters: the full text is in the "
                "instructor's grades.json]"
            )
        left -= min(len(test.message), room)
        shown.append(message)
    return shown


def gradescope_json(book: Gradebook) -> dict:
    tests = [
        {
            "name": f"{grade.exercise.id}: {test.name}",
            "score": _number(test.points),
            "max_score": _number(test.max_points),
            "status": "passed" if test.outcome == PASSED else "failed",
            "output": message,
            "visibility": "visible",
        }
        for grade in book.grades
        for test, message in zip(grade.tests, _visible_messages(grade))
    ]
    return {
        "score": _number(book.points),
        "execution_time": round(sum(grade.seconds for grade in book.grades)),
        "output": _overview(book),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def classroom_json(book: Gradebook) -> dict:
    status = {PASSED: "pass", FAILED: "fail", SKIPPED: "fail", ERROR: "error"}
    crashed = any(grade.status not in (GRADED, FLAGGED) for grade in book.grades)
    return {
        "version": 1,
        "status": "error" if crashed else ("pass" if book.not_passed == 0 else "fail"),
        "tamper_check": book.manifest.get("note") or "checked against the release manifest",
        **{key: book.manifest.get(key, "") for key in RUN_NOTES},
        "max_score": _number(book.max_points),
        "tests": [
            {
                "name": f"{grade.exercise.id}: {test.name}",
                "status": status[test.outcome],
                "message": message,
                "score": _number(test.points),
                "execution_time": f"{test.seconds:.3f}s",
            }
            for grade in book.grades
            for test, message in zip(grade.tests, _visible_messages(grade))
        ],
    }


def summary_markdown(book: Gradebook) -> str:
    rows = [
        "| exercise | title | passed | failed | errors | points | status |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    counted = {id(grade) for grade in book.counted_electives}
    for heading, grades in (("core", book.core), ("research electives", book.electives)):
        if grades and book.electives:
            rows.append(f"| **{heading}** | | | | | | |")
        for grade in grades:
            kept = "" if not grade.exercise.elective or id(grade) in counted else " (not counted)"
            rows.append(
                f"| {grade.exercise.id} | {grade.exercise.title} | "
                f"{grade.passed}/{len(grade.tests)} | {grade.failed} | {grade.errors} | "
                f"{_number(grade.points)}/{_number(grade.max_points)}{kept} | {grade.status} |"
            )
    problems = book.manifest.get("problems", [])
    skipped = book.manifest.get("note", "")
    notes = [f"- **{skipped}**"] if skipped else []
    notes += [f"- {note}" for note in _run_notes(book)]
    notes += [f"- **{grade.exercise.id}**: {grade.note}" for grade in book.grades if grade.note]
    notes += [f"- flagged: `{flag}`" for grade in book.grades for flag in grade.flags]
    notes += [f"- tampered: `{problem}`" for problem in problems]
    notes += [f"- submission: {line}" for line in (book.submission or {}).get("refused", [])]
    electives = ""
    if book.electives:
        how_many = "all" if book.electives_counted is None else f"the best {book.electives_counted}"
        electives = (
            f" (core {_part(book.core)['points']}/{_part(book.core)['max_points']}; "
            f"electives: {how_many} of {len(book.electives)} counted)"
        )
    return (
        f"## gradkit grade ({book.mode})\n\n"
        + "\n".join(rows)
        + f"\n\n**{book.passed} passed, {book.not_passed} failed** - "
        f"{_number(book.points)}/{_number(book.max_points)} points{electives}\n"
        + ("\n" + "\n".join(notes) + "\n" if notes else "")
    )


def write_all(book: Gradebook, out_dir: Path) -> list[Path]:
    """Write every format into ``out_dir``; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    documents = {
        GRADES: grades_json(book),
        GRADESCOPE: gradescope_json(book),
        CLASSROOM: classroom_json(book),
    }
    for name, document in documents.items():
        (out_dir / name).write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    junit_xml(book).write(out_dir / JUNIT, encoding="utf-8", xml_declaration=True)
    (out_dir / SUMMARY).write_text(summary_markdown(book), encoding="utf-8")
    return [out_dir / name for name in OUTPUT_FILES]
