#!/usr/bin/env python3
"""Tells whether this Python has every requirement of the given requirement files installed.

Usage: pins-installed.py [--constraints FILE] REQUIREMENT_FILE...
       pins-installed.py --freeze REQUIREMENT_FILE... > scripts/constraints.txt
(run with the interpreter whose packages are checked)

Reads `name[extras]<specifier>` lines (comments and blank lines ignored) and checks each
installed version against its specifier, so `numpy==2.4.6` is satisfied by 2.4.6 only, not by
whatever version happens to import; the packages an extra brings (`psycopg[binary]`) must be
installed and match their own specifiers too.

With --constraints, everything the requirements pull in (their dependencies, theirs, and so on,
as the installed packages declare them for this Python) must be installed at the version the
constraints file pins: a dependency at another version, or one the file does not pin, is
reported like a requirement at another version.

Exits 0 when all are satisfied; otherwise prints one line per requirement that is missing or at
another version and exits 1. Before `packaging` is installed nothing can be compared, and every
requirement counts as unsatisfied.

--freeze prints a constraints file pinning every package the requirement files pull in (not the
ones they pin themselves) at its installed version: run it after changing a pin and installing.
"""
import sys
from importlib import metadata

CONSTRAINTS_HEADER = """\
# Exact versions of every package the requirement files pull in without pinning it themselves
# (scripts/requirements.txt, tests/requirements.txt, bench/requirements.txt), for Python 3.11 on
# Debian 12. scripts/install-deps.sh passes this file to pip with -c, and scripts/pins-installed.py
# re-installs when an installed dependency differs from it or is not pinned here, so a fresh
# machine gets the same dependencies the suite was last run with.
# After changing a pin in a requirement file, install it without this file
# (.venv/bin/python -m pip install -r FILE), run the tests, then write this file again with
#   .venv/bin/python scripts/pins-installed.py --freeze scripts/requirements.txt tests/requirements.txt bench/requirements.txt > scripts/constraints.txt
"""


def requirement_lines(path: str) -> list[str]:
    with open(path, encoding="utf-8") as f:
        lines = (line.split("#", 1)[0].strip() for line in f)
        return [line for line in lines if line]


def applies(requirement, extras=()) -> bool:
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({"extra": extra}) for extra in (extras or ("",)))


def problem(requirement, extras=()) -> str | None:
    """Why `requirement` is not satisfied here, or None when it is (or does not apply)."""
    if not applies(requirement, extras):
        return None
    try:
        installed = metadata.version(requirement.name)
    except metadata.PackageNotFoundError:
        return f"{requirement}: not installed"
    if not requirement.specifier.contains(installed, prereleases=True):
        return f"{requirement}: {installed} is installed"
    return None


def pulled_in(requirements) -> dict:
    """Every installed package the requirements need, directly or not: canonical name -> the
    requirement through which it was first reached (None for the requirements themselves).
    Packages that are not installed are not followed (their requirer reports them)."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
    reached, seen = {}, set()
    queue = [(r, tuple(sorted(r.extras)), None) for r in requirements if applies(r)]
    while queue:
        requirement, extras, parent = queue.pop(0)
        name = canonicalize_name(requirement.name)
        reached.setdefault(name, parent)
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        try:
            declared = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for line in declared:
            dependency = Requirement(line)
            if applies(dependency, extras):
                queue.append((dependency, tuple(sorted(dependency.extras)), f"{name}"))
    return reached


def unsatisfied(lines: list[str], constraint_lines: list[str] | None) -> list[str]:
    try:
        from packaging.requirements import Requirement
        from packaging.utils import canonicalize_name
    except ImportError:
        return [f"{line}: not checked yet (packaging is not installed)" for line in lines]
    requirements = [Requirement(line) for line in lines]
    problems = []
    for requirement in requirements:
        found = problem(requirement)
        if found is not None:
            problems.append(found)
            continue
        brought = [Requirement(r) for r in metadata.requires(requirement.name) or []]
        for extra in requirement.extras:
            of_extra = [r for r in brought if r.marker is not None and f'"{extra}"' in str(r.marker)]
            problems += [p for r in of_extra if (p := problem(r, (extra,))) is not None]
    if constraint_lines is None:
        return problems
    constraints = {canonicalize_name(c.name): c for c in map(Requirement, constraint_lines)}
    pinned = {canonicalize_name(r.name) for r in requirements}
    for name, parent in pulled_in(requirements).items():
        constraint = constraints.get(name)
        if constraint is not None:
            found = problem(constraint)
            if found is not None:
                problems.append(f"{found} (a dependency of {parent})" if parent else found)
        elif name not in pinned:
            try:
                installed = metadata.version(name)
            except metadata.PackageNotFoundError:
                continue  # its requirer's own check reports it
            problems.append(f"{name} {installed}: a dependency of {parent} the constraints file does "
                            "not pin (write it again with --freeze)")
    return problems


def freeze(paths: list[str]) -> str:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
    requirements = [Requirement(line) for path in paths for line in requirement_lines(path)]
    pinned = {canonicalize_name(r.name) for r in requirements}
    lines = []
    for name in sorted(pulled_in(requirements)):
        if name in pinned:
            continue
        try:
            lines.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            raise SystemExit(f"pins-installed: {name} is needed but not installed; install first")
    return CONSTRAINTS_HEADER + "\n".join(lines) + "\n"


def main(args: list[str]) -> int:
    if args[:1] == ["--freeze"]:
        sys.stdout.write(freeze(args[1:]))
        return 0
    constraint_lines = None
    if args[:1] == ["--constraints"]:
        constraint_lines = requirement_lines(args[1])
        args = args[2:]
    problems = unsatisfied([line for path in args for line in requirement_lines(path)], constraint_lines)
    for found in problems:
        print(found)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
