import pytest


def pytest_collection_modifyitems(config, items):
    """Everything here runs outside Django's test database (gunicorn, nginx, the Java HTML
    checker): marked "stack", run once, not again in the PostgreSQL pass."""
    for item in items:
        if "/tests/stack/" in str(item.path):
            item.add_marker(pytest.mark.stack)
