"""Counting (the beacon, votes) for everyone; the insights page for staff.

Trust boundary: every anonymous write here is visitor input. It passes ``anonymous_write``
(same origin, rate limited per client, nothing about the client kept), is bounded in size,
and is checked against the loaded content by ``insights.events`` before anything is counted.
Text a visitor typed reaches storage only through ``insights.masking``.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import user_passes_test
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from guides.content import Guide, Library
from guides.library import get_library
from helpcenter.anonymous import anonymous_write, client_key, counts, refusal
from helpcenter.http import HtmxHttpRequest
from helpcenter.views import bad_request
from insights import events, report
from insights.feedback import unsolved_help

BEACON_MAX_BYTES = 1024
BEACON_FIELDS = {"kind", "guide", "path", "version", "query", "code", "verdict"}
LOGIN_FAILURES = (5, 300)  # failed logins allowed per client, per this many seconds
ANSWERS = {"yes": True, "no": False}


def _first(data, name: str) -> str:
    return (data.getlist(name) or [""])[0]


def _status(status: int, reason: str) -> HttpResponse:
    response = HttpResponse(reason + "\n", status=status, content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response


# --- the beacon --------------------------------------------------------------------------------


@require_POST
@anonymous_write(scope="event")
def event(request: HttpRequest) -> HttpResponse:
    """One event from static/js/insights.js (navigator.sendBeacon): 204, or why not."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = BEACON_MAX_BYTES + 1
    if length > BEACON_MAX_BYTES:
        return _status(413, "event too large")
    data = request.POST
    if set(data) - BEACON_FIELDS or any(len(data.getlist(name)) > 1 for name in data):
        return _status(400, "unknown or repeated field")
    library = get_library()
    kind = _first(data, "kind")
    try:
        if kind == "view":
            events.count_view(library, _first(data, "guide"))
        elif kind == "open":
            events.count_open(library, _first(data, "guide"))
        elif kind == "search":
            events.count_search(_first(data, "query"))
        elif kind == "step":
            events.count_step(library, _first(data, "path"), _first(data, "version"))
        elif kind == "ask":
            events.count_ask(library, _first(data, "query"), _first(data, "version"))
        elif kind == "code":
            events.count_code(library, _first(data, "code"))
        elif kind == "said":
            events.count_said(
                library,
                _first(data, "query"),
                path=_first(data, "path"),
                version=_first(data, "version"),
                guide=_first(data, "guide"),
                verdict=_first(data, "verdict"),
            )
        else:
            return _status(400, "unknown event")
    except events.Refused as refused:
        return _status(refused.status, refused.reason)
    return HttpResponse(status=204)


# --- 这篇指南有帮助吗？ ---------------------------------------------------------------------------


def _guide(library: Library, slug: str) -> Guide:
    found = library.guides.get(slug)
    if found is None:
        raise Http404("没有这篇指南")
    return found


def _anchor(guide: Guide, raw: str) -> str:
    return raw if raw and len(raw) <= 100 and guide.section(raw) else ""


def _answer_context(library: Library, guide: Guide, *, answer: str, anchor: str, told: bool):
    return {
        "guide": guide,
        "feedback": answer,
        "told": told,
        "section": anchor,
        "reasons": events.REASONS,
        "help": unsolved_help(library, guide, anchor=anchor) if answer == "no" else None,
    }


def _answered(
    request: HtmxHttpRequest,
    library: Library,
    guide: Guide,
    *,
    answer: str,
    anchor: str,
    told: bool,
) -> HttpResponse:
    """The answer box for htmx; without JavaScript, POST → redirect → the thanks page."""
    if request.htmx:
        context = _answer_context(library, guide, answer=answer, anchor=anchor, told=told)
        return render(request, "insights/feedback.html#answer", context)
    return redirect(_thanks_url(guide, answer=answer, anchor=anchor, told=told))


def _thanks_url(guide: Guide, *, answer: str, anchor: str, told: bool) -> str:
    query = {
        "answer": answer,
        **({"section": anchor} if anchor else {}),
        **({"told": 1} if told else {}),
    }
    return f"{reverse('insights:thanks', args=[guide.slug])}?{urlencode(query)}#feedback"


@require_POST
@anonymous_write(scope="vote")
@vary_on_headers("HX-Request")
def guide_vote(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """有帮助/没解决: counted per guide and day; nothing about the visitor is kept."""
    library = get_library()
    guide = _guide(library, slug)
    answer = _first(request.POST, "helpful")
    if answer not in ANSWERS:
        return bad_request(request, None)
    anchor = _anchor(guide, _first(request.POST, "section"))
    if not events.count_vote(guide.slug, helpful=ANSWERS[answer]):
        return refusal(request, status=503)  # the database has been away too long to keep it
    return _answered(request, library, guide, answer=answer, anchor=anchor, told=False)


@require_POST
@anonymous_write(scope="vote")
@vary_on_headers("HX-Request")
def guide_reason(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The optional reason after 没解决 (看不懂 / 步骤不管用 / 没有我的问题 / 其他)."""
    library = get_library()
    guide = _guide(library, slug)
    anchor = _anchor(guide, _first(request.POST, "section"))
    try:
        kept = events.count_reason(guide.slug, _first(request.POST, "reason"))
    except events.Refused:
        return bad_request(request, None)
    if not kept:
        return refusal(request, status=503)
    return _answered(request, library, guide, answer="no", anchor=anchor, told=True)


@require_safe
@never_cache
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    """Where a vote without JavaScript lands: the same answer box as the htmx fragment."""
    library = get_library()
    guide = _guide(library, slug)
    answer = _first(request.GET, "answer")
    if answer not in ANSWERS:
        return bad_request(request, None)
    anchor = _anchor(guide, _first(request.GET, "section"))
    told = _first(request.GET, "told") == "1"
    context = _answer_context(library, guide, answer=answer, anchor=anchor, told=told)
    return render(request, "insights/feedback.html", context)


# --- staff -------------------------------------------------------------------------------------


def _is_staff(user) -> bool:
    return user.is_active and user.is_staff


staff_only = user_passes_test(_is_staff)


def _days(request: HttpRequest) -> int:
    raw = _first(request.GET, "days") or "7"
    if raw not in {"7", "30"}:
        raise report.BadWindow
    return int(raw)


@require_safe
@never_cache
@staff_only
def staff(request: HttpRequest) -> HttpResponse:
    try:
        days = _days(request)
    except report.BadWindow:
        return bad_request(request, None)
    return render(request, "insights/staff.html", report.build(get_library(), days=days))


@require_safe
@never_cache
@staff_only
def staff_csv(request: HttpRequest, table: str) -> HttpResponse:
    try:
        days = _days(request)
    except report.BadWindow:
        return bad_request(request, None)
    if table not in report.TABLES:
        raise Http404("没有这个表")
    header, rows = report.table_rows(report.build(get_library(), days=days), table)
    out = io.StringIO()
    out.write("\ufeff")  # so a spreadsheet opened by double-click reads the Chinese right
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"insights-{table}-{days}d.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- login (Django's, in Chinese, with failed attempts rate limited) ------------------------


def _failure_key(request: HttpRequest) -> str:
    return f"login-failures:{client_key(request)}"


class StaffLoginForm(AuthenticationForm):
    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise ValidationError("这个账号没有编辑权限。", code="not_staff")


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def login(request: HttpRequest) -> HttpResponse:
    allowed, window = LOGIN_FAILURES
    view = auth_views.LoginView.as_view(
        template_name="registration/login.html", authentication_form=StaffLoginForm
    )
    if request.method == "POST":
        # A try is counted before the password is checked (in this process's memory, under a
        # lock: concurrent tries cannot race past the limit, and the count holds while the
        # database is away); a login that succeeds gives its try back.
        key = _failure_key(request)
        wait = counts.take(key, allowed=allowed, window=window)
        if wait:
            response = render(request, "registration/login.html", {"wait": window}, status=429)
            response["Retry-After"] = str(wait)
            return response
        try:
            response = view(request)
        except DatabaseError:  # down, or past its deadline (database.deadline)
            counts.give_back(key, allowed=allowed, window=window)
            return render(request, "registration/login.html", {"unavailable": True}, status=503)
        if response.status_code != 200:  # not the form again: the login succeeded
            counts.give_back(key, allowed=allowed, window=window)
        return response
    return view(request)


@require_safe
def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's own login has no rate limit: send it to ours."""
    target = reverse("insights:login")
    next_url = _first(request.GET, "next")
    return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)
