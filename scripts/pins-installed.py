#!/usr/bin/env python3
"""Tells whether this Python has every requirement of the given requirement files installed.

Usage: pins-installed.py FILE...   (run with the interpreter whose packages are checked)

Reads `name[extras]<specifier>` lines (comments and blank lines ignored) and checks each
installed version against its specifier, so `numpy==2.4.6` is satisfied by 2.4.6 only, not by
whatever version happens to import; the packages an extra brings (`psycopg[binary]`) must be
installed and match their own specifiers too. Exits 0 when all are satisfied; otherwise prints one line per
requirement that is missing or at another version and exits 1. Before `packaging` is installed
nothing can be compared, and every requirement counts as unsatisfied.
"""
import sys
from importlib import metadata


def requirement_lines(path: str) -> list[str]:
    with open(path, encoding="utf-8") as f:
        lines = (line.split("#", 1)[0].strip() for line in f)
        return [line for line in lines if line]


def problem(requirement, extra: str = "") -> str | None:
    """Why `requirement` is not satisfied here, or None when it is (or does not apply)."""
    if requirement.marker is not None and not requirement.marker.evaluate({"extra": extra}):
        return None
    try:
        installed = metadata.version(requirement.name)
    except metadata.PackageNotFoundError:
        return f"{requirement}: not installed"
    if not requirement.specifier.contains(installed, prereleases=True):
        return f"{requirement}: {installed} is installed"
    return None


def unsatisfied(lines: list[str]) -> list[str]:
    try:
        from packaging.requirements import Requirement
    except ImportError:
        return [f"{line}: not checked yet (packaging is not installed)" for line in lines]
    problems = []
    for line in lines:
        requirement = Requirement(line)
        found = problem(requirement)
        if found is not None:
            problems.append(found)
            continue
        brought = [Requirement(r) for r in metadata.requires(requirement.name) or []]
        for extra in requirement.extras:
            of_extra = [r for r in brought if r.marker is not None and f'"{extra}"' in str(r.marker)]
            problems += [p for r in of_extra if (p := problem(r, extra)) is not None]
    return problems


def main(paths: list[str]) -> int:
    problems = [p for path in paths for p in unsatisfied(requirement_lines(path))]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
