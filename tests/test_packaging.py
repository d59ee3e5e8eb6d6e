"""pyproject.toml names each dependency once, and every distribution the code imports."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections import Counter
from functools import cache
from importlib.metadata import distribution, packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "commands", "storage")


def normalized(name: str) -> str:
    """A distribution's name as PEP 503 compares them (APScheduler = apscheduler)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    found = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert found, requirement
    return normalized(found.group(1))


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def imported_modules() -> dict[str, str]:
    """Every absolute import in the three packages (lazy ones in functions too) -> one file."""
    found: dict[str, str] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name, str(path.relative_to(ROOT)))
    return found


@cache
def _top_level_providers() -> dict[str, list[str]]:
    """``packages_distributions`` reads every installed distribution's metadata: once a run."""
    return packages_distributions()


@cache
def _files(distribution_name: str) -> frozenset[str]:
    return frozenset(str(file) for file in distribution(distribution_name).files or ())


def providers(module: str) -> set[str]:
    """The installed distributions that ship ``module``.

    ``packages_distributions`` knows top-level names only; a namespace package shared by
    several distributions (``microsoft_agents``) is resolved by who ships the submodule.
    """
    parts = module.split(".")
    candidates = _top_level_providers().get(parts[0], [])
    if len(set(candidates)) <= 1:
        return {normalized(name) for name in candidates}
    for depth in range(len(parts), 1, -1):
        path = "/".join(parts[:depth])
        shipping = {
            normalized(name)
            for name in candidates
            if any(f.startswith(path + "/") or f == path + ".py" for f in _files(name))
        }
        if shipping:
            return shipping
    return {normalized(name) for name in candidates}


def test_no_dependency_is_listed_twice():
    listed = [requirement_name(r) for r in project()["dependencies"]]
    for extra in project().get("optional-dependencies", {}).values():
        listed += [requirement_name(r) for r in extra]
    twice = sorted(name for name, count in Counter(listed).items() if count > 1)
    assert twice == [], f"listed more than once in pyproject.toml: {twice}"


def test_every_imported_distribution_is_declared():
    declared = {requirement_name(r) for r in project()["dependencies"]}
    ours = set(PACKAGES) | {"__future__"}
    undeclared = []
    for module, where in sorted(imported_modules().items()):
        top = module.split(".")[0]
        if top in ours or top in sys.stdlib_module_names:
            continue
        shipped_by = providers(module)
        assert shipped_by, f"{module} (imported in {where}) is not installed at all"
        if not shipped_by & declared:
            undeclared.append(f"{module} in {where} comes from {sorted(shipped_by)}")
    assert undeclared == [], "imported but not declared in pyproject.toml: " + "; ".join(undeclared)


def test_the_check_sees_a_namespace_package_per_distribution():
    # The case that slipped through: microsoft_agents is shared by several distributions.
    assert providers("microsoft_agents.activity") == {"microsoft-agents-activity"}
    assert providers("microsoft_agents.hosting.aiohttp") == {"microsoft-agents-hosting-aiohttp"}
    assert providers("slack_bolt.app.async_app") == {"slack-bolt"}
