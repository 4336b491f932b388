"""What gets installed (issue 16): pyproject bounds the majors that could break the database file or the
APIs we call, constraints.txt pins every dependency inside those bounds, and `make` installs with it."""
from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import ROOT


def _requirements() -> list[Requirement]:
    """The runtime and test dependencies, with the extras the test extra names ('pressflow[notebook]')."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    found, wanted = [], [*project["dependencies"], *extras["test"]]
    while wanted:
        requirement = Requirement(wanted.pop(0))
        if canonicalize_name(requirement.name) == "pressflow":
            wanted += [r for extra in requirement.extras for r in extras[extra]]
        else:
            found.append(requirement)
    return found


def _pins() -> dict[str, Version]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not name==version"
            pins[canonicalize_name(name)] = Version(version)
    return pins


def test_every_dependency_is_pinned_inside_its_range():
    pins = _pins()
    for requirement in _requirements():
        pinned = pins.get(canonicalize_name(requirement.name))
        assert pinned is not None, f"{requirement.name} is not in constraints.txt (make constraints)"
        assert requirement.specifier.contains(pinned, prereleases=True), (str(requirement), str(pinned))


def test_runtime_dependencies_have_an_upper_bound():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in map(Requirement, project["dependencies"]):
        assert any(spec.operator in ("<", "==", "~=") for spec in requirement.specifier), str(requirement)
    duckdb = next(Requirement(r) for r in project["dependencies"] if r.startswith("duckdb"))
    assert not duckdb.specifier.contains("3.0.0") and duckdb.specifier.contains(str(_pins()["duckdb"]))
    # the cause of HTTP 422 in `prefect deploy` with Prefect 3.8.8: a body's explicit null rejected from 0.151
    fastapi = next(Requirement(r) for r in project["dependencies"] if r.startswith("fastapi"))
    assert not fastapi.specifier.contains("0.151.0")


def test_make_installs_with_the_constraints():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = [line for line in makefile.splitlines() if re.search(r"pip install .*-e ", line)
                and ".constraints/" not in line]
    assert installs and all("-c $(CONSTRAINTS)" in line for line in installs), installs
    assert re.search(r"^\$\(VENV\)/\.installed-test: pyproject\.toml \$\(CONSTRAINTS\)", makefile, re.MULTILINE)
