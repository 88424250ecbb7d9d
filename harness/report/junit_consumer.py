"""Reads a JUnit XML file with junitparser (Debian python3-junitparser), a JUnit consumer nobody
here wrote, and prints what it understood as JSON: per suite its counts, per case its result."""
import json
import sys

from junitparser import Error, Failure, JUnitXml, Skipped

xml = JUnitXml.fromfile(sys.argv[1])
suites = []
for suite in xml:
    cases = []
    for case in suite:
        kinds = [type(r).__name__ for r in case.result if isinstance(r, (Failure, Error, Skipped))]
        messages = [r.message for r in case.result if isinstance(r, (Failure, Error, Skipped))]
        cases.append({"name": case.name, "classname": case.classname, "results": kinds, "messages": messages})
    suites.append({"name": suite.name, "tests": suite.tests, "failures": suite.failures, "errors": suite.errors, "skipped": suite.skipped, "cases": cases})
print(json.dumps({"tests": xml.tests, "failures": xml.failures, "errors": xml.errors, "skipped": xml.skipped, "suites": suites}))
