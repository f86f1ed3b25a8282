"""A database that cannot be reached, for the answers given meanwhile."""

import pytest
from django.db import connections


@pytest.fixture
def database_down(django_db_blocker):
    """Django's connection points at a socket nobody listens on: every query
    fails to connect, as when the server is down."""
    connection = connections["default"]
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="/nonexistent/pakn-db-down", PORT="")
    with django_db_blocker.unblock():
        yield
    connection.close()
    connection.settings_dict.update(saved)
