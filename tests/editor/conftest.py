"""Editors, other staff, and a writable content folder for the editor's tests."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group


@pytest.fixture
def editor_user(db, django_user_model):
    user = django_user_model.objects.create_user("wang", password="pw-editor-123", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="editors")[0])
    return user


@pytest.fixture
def editor_client(client, editor_user, content_dir):
    client.force_login(editor_user)
    return client


@pytest.fixture
def staff_client(client, db, django_user_model, content_dir):
    user = django_user_model.objects.create_user("li", password="pw-staff-123", is_staff=True)
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _sync_from_the_start():
    """Revision ids start again in each test's database: so does what this process applied."""
    from editor import sync

    sync.forget()
    yield
    sync.forget()
