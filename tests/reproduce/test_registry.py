"""The reproduction registry: discovery by module name, and clear errors for unknown names."""

from __future__ import annotations

import pytest

from qness.errors import InvalidInputError
from qness.models import registry
from qness.reproduce import available, run


def test_every_reproduction_belongs_to_a_registered_model():
    models = {spec.name for spec in registry.all_models()}
    names = set(available())
    assert "hou2025" in names
    assert names <= models, f"reproductions without a model: {sorted(names - models)}"


def test_unknown_reproduction_names_the_available_ones(tmp_path):
    with pytest.raises(InvalidInputError, match=r"available: .*hou2025"):
        run("no-such-paper", tmp_path)
