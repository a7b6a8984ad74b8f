"""Who may edit: active staff in the ``editors`` group, or with ``editor.publish_content``.

Anonymous visitors (and accounts that are not staff) are sent to the staff login; other staff
get the 403 page (they may read the insights page, not change the site).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

EDITORS_GROUP = "editors"


def may_edit(user) -> bool:
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return (
        user.has_perm("editor.publish_content") or user.groups.filter(name=EDITORS_GROUP).exists()
    )


def editors_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return redirect_to_login(request.get_full_path())
        if not may_edit(user):
            raise PermissionDenied("需要编辑权限")
        return view(request, *args, **kwargs)

    return guarded
