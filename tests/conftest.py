"""Shared fixtures: the repository's default kit, built once per test session into a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kaartenoptafel.build import BuildOptions, build

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """output/default/ of a full build of the default kit (all products); read-only for tests."""
    out = tmp_path_factory.mktemp("out")
    build(BuildOptions(project=REPO, out_dir=out, quiet=True))
    return out / "default"


@pytest.fixture
def project(tmp_path) -> Path:
    """A writable copy of the default kit (cards/ and layouts/) for tests that break or change it."""
    for name in ("cards", "layouts"):
        shutil.copytree(REPO / name, tmp_path / name)
    return tmp_path
