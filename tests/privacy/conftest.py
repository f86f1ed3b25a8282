"""The cast of personal-data tests: a data-protection officer, citizens' petitions.

The citizen-page helpers (a valid form, a filed petition with its secret, a
session that proved it, an answered petition) are the citizen tests' own.
"""

import pytest

from tests import factories
from tests.feedback.conftest import (  # noqa: F401 (fixtures)
    answered,
    file_with_secret,
    form_data,
    media_root,
    verified,
)
from workflow.access import Actor
from workflow.models import Role


@pytest.fixture
def dpo(db):
    """A data-protection officer (a role of its own, across agencies)."""
    return Actor.staff(factories.staff("dpo", Role.DPO))
