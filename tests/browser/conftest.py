import pytest
from django.conf import settings


def pytest_collection_modifyitems(config, items):
    """Browser tests run against live_server, whose thread may still be answering a page while
    the test's database is emptied. Naming every app as available keeps the emptying from
    re-creating permissions (Django's post_migrate), which then met a row that thread touched
    (a FOREIGN KEY error at teardown, seen on CI and here): the tests need no permissions."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and "/tests/browser/" in str(item.path):
            kwargs = {**marker.kwargs, "available_apps": list(settings.INSTALLED_APPS)}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs))


@pytest.fixture(scope="session", autouse=True)
def _reader_ready(_shipped_library):
    """The assistant's reader for the shipped content, loaded (or, on a fresh machine, trained:
    10-15 s) before the first browser test: otherwise the first page that reads free text
    trains it while the test's 5-second wait runs out."""
    from guides.library import get_library
    from triage.reading import get_model

    get_model(get_library())
