"""The dependency lock: every package pinned with hashes, and in step with pyproject.toml."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def _locked() -> dict[str, tuple[str, int]]:
    """name → (version, number of hashes), from requirements.lock."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    entries = {}
    for block in re.split(r"\n(?=\S)", text):
        first = block.split("\n", 1)[0]
        if first.startswith("#") or not first.strip():
            continue
        name, _sep, version = first.split(" ", 1)[0].partition("==")
        assert version, f"not pinned: {first}"
        entries[canonicalize_name(name)] = (version, block.count("--hash=sha256:"))
    return entries


def test_every_locked_package_is_pinned_with_hashes():
    locked = _locked()
    assert len(locked) > 20
    assert all(hashes >= 1 for _version, hashes in locked.values()), locked


def test_the_lock_satisfies_every_range_in_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    build = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]
    locked = _locked()
    for line in [*wanted, *build["requires"]]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is not in requirements.lock: run `make lock`"
        version, _hashes = locked[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{name}=={version} is outside {requirement.specifier}: run `make lock`"
        )


def test_make_and_ci_install_from_the_lock():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install --quiet --require-hashes -r $(LOCK)" in makefile
    assert "--no-deps --no-build-isolation -e ." in makefile
    assert 'pip install --quiet -e ".[test]"' not in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
