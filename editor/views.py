"""The editors' pages: the list, the editor with its live check, history, revert, the tree.

Staff pages are per user and never kept by any cache (``never_cache``, no ``public_page``);
every form carries a CSRF token. A path is never built from the URL: a guide is looked up by
slug in the loaded library, a YAML file by name (``files.is_data_file``).
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from editor import drafts, files, publishing, treeview
from editor.access import editors_only
from editor.models import Revision
from guides.library import get_library
from guides.loading import SLUG_RE
from insights import report

# MAX_CHARS of Chinese, URL-encoded (9 bytes a character), fits; Django reads up to
# DATA_UPLOAD_MAX_MEMORY_SIZE (settings), and deploy/nginx.conf lets 20 MB through here only.
MAX_BODY_BYTES = 20_000_000


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@dataclass(frozen=True, slots=True)
class Target:
    """One editable file and its addresses."""

    relative: str
    label: str
    url: str
    history_url: str
    revert_url: str
    public_url: str = ""

    @property
    def is_guide(self) -> bool:
        return self.relative.startswith("guides/")


def _guide_target(slug: str, *, new: bool = False) -> Target:
    library = get_library()
    guide = library.guides.get(slug)
    if guide is None and not (new and _free_slug(slug)):
        raise Http404("没有这篇指南")
    args = [slug]
    return Target(
        relative=files.guide_path(slug),
        label=guide.title if guide else slug,
        url=reverse("editor:guide", args=args),
        history_url=reverse("editor:guide-history", args=args),
        revert_url=reverse("editor:guide-revert", args=args),
        public_url=guide.url if guide else "",
    )


def _free_slug(slug: str) -> bool:
    library = get_library()
    return (
        len(slug) <= 80
        and bool(SLUG_RE.fullmatch(slug))
        and slug not in library.guides
        and slug not in library.aliases
        and files.read(files.guide_path(slug)) is None
    )


def _file_target(name: str) -> Target:
    if not files.is_data_file(name):
        raise Http404("没有这个内容文件")
    return Target(
        relative=name,
        label=name,
        url=reverse("editor:file", args=[name]),
        history_url=reverse("editor:file-history", args=[name]),
        revert_url=reverse("editor:file-revert", args=[name]),
    )


# --- the list ------------------------------------------------------------------------------


@require_safe
@never_cache
@editors_only
def index(request: HttpRequest) -> HttpResponse:
    library = get_library()
    start, end = report.window(30)
    votes = {row.slug: row for row in report.guide_rows(library, start, end)}
    last = _last_revisions()
    guides = [
        {
            "guide": guide,
            "yes": votes[guide.slug].yes if guide.slug in votes else 0,
            "no": votes[guide.slug].no if guide.slug in votes else 0,
            "last": last.get(files.guide_path(guide.slug)),
        }
        for guide in sorted(library.guides.values(), key=lambda g: (g.category, g.order, g.slug))
    ]
    names = [*files.DATA_FILES, *files.examples_files()]
    data_files = [{"name": name, "last": last.get(name)} for name in names]
    return render(request, "editor/index.html", {"guides": guides, "data_files": data_files})


def _last_revisions() -> dict[str, Revision]:
    last: dict[str, Revision] = {}
    for revision in Revision.objects.select_related("editor").order_by("path", "-number"):
        last.setdefault(revision.path, revision)
    return last


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@editors_only
def new_guide(request: HttpRequest) -> HttpResponse:
    slug = request.POST.get("slug", "").strip().lower() if request.method == "POST" else ""
    if request.method == "POST":
        if _free_slug(slug):
            target = _guide_target(slug, new=True)
            return _editor_page(request, target, text=_house_template(), base="", status=200)
        error = "slug 只能用小写英文字母、数字和 -，不能和已有的指南或旧地址重复"
        return render(request, "editor/new.html", {"slug": slug, "error": error}, status=422)
    return render(request, "editor/new.html", {"slug": ""})


def _house_template() -> str:
    library = get_library()
    category = next(iter(c.id for c in library.ordered_categories()), "")
    today = dt.date.today().isoformat()
    return render_to_string("editor/house_template.md", {"category": category, "today": today})


# --- the editor ----------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@vary_on_headers("HX-Request")
@editors_only
def edit_guide(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    new = request.method == "POST" and request.POST.get("base", "x") == ""
    return _edit(request, _guide_target(slug, new=new))


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@vary_on_headers("HX-Request")
@editors_only
def edit_file(request: HtmxHttpRequest, name: str) -> HttpResponse:
    return _edit(request, _file_target(name))


def _too_big(request: HttpRequest) -> HttpResponse | None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return render(request, "editor/too_big.html", {"limit": files.MAX_CHARS}, status=413)
    return None


def _edit(request: HtmxHttpRequest, target: Target) -> HttpResponse:
    if request.method != "POST":
        # Start from the newest version published anywhere, not only what this instance has.
        text = publishing.current(target.relative) or ""
        line = request.GET.get("line", "")
        return _editor_page(
            request,
            target,
            text=text,
            base=files.digest(text),
            line=int(line) if line.isdigit() else 0,
        )
    refused = _too_big(request)
    if refused:
        return refused
    text = files.normalize(request.POST.get("text", ""))
    base = request.POST.get("base", "")
    if len(text) > files.MAX_CHARS:
        return render(request, "editor/too_big.html", {"limit": files.MAX_CHARS}, status=413)
    checked = drafts.check(target.relative, text)
    if request.POST.get("action") != "publish":
        if request.htmx:
            return render(
                request, "editor/edit.html#preview", {"checked": checked, "target": target}
            )
        return _editor_page(request, target, text=text, base=base, checked=checked)
    if checked.blocking:
        return _editor_page(request, target, text=text, base=base, checked=checked, status=422)
    try:
        published = publishing.publish(
            relative=target.relative,
            text=text,
            base=base,
            user=request.user,
            message=request.POST.get("message", "").strip(),
        )
    except publishing.Conflict as conflict:
        return _conflict_page(request, target, text=text, current=conflict.current)
    if published.revision is not None:
        messages.success(request, f"已发布第 {published.revision.number} 版，各处几秒内生效。")
    else:
        messages.info(request, "内容没有变化，没有发布新版本。")
    return redirect(target.url)


def _editor_page(
    request, target: Target, *, text: str, base: str, checked=None, line: int = 0, status: int = 200
) -> HttpResponse:
    lines = text.splitlines()
    context = {
        "target": target,
        "text": text,
        "base": base,
        "checked": checked,
        "line": line,
        "line_text": lines[line - 1] if 0 < line <= len(lines) else "",
        "max_chars": files.MAX_CHARS,
        "message": request.POST.get("message", "") if request.method == "POST" else "",
    }
    return render(request, "editor/edit.html", context, status=status)


def _conflict_page(request, target: Target, *, text: str, current: str | None) -> HttpResponse:
    context = {
        "target": target,
        "text": text,
        "current": current or "",
        "base": files.digest(current),
        "diff": _diff(current or "", text),
        "message": request.POST.get("message", ""),
    }
    return render(request, "editor/conflict.html", context, status=409)


def _diff(before: str, after: str) -> list[tuple[str, str]]:
    """Unified diff lines with a class each; the template escapes the text."""
    lines = difflib.unified_diff(
        before.splitlines(), after.splitlines(), "之前", "之后", lineterm="", n=2
    )
    kinds = {"+": "diff-add", "-": "diff-del", "@": "diff-hunk"}
    return [(kinds.get(line[:1], ""), line) for line in list(lines)[2:]]


# --- history and revert --------------------------------------------------------------------


@require_safe
@never_cache
@editors_only
def guide_history(request: HttpRequest, slug: str) -> HttpResponse:
    return _history(request, _guide_target(slug))


@require_safe
@never_cache
@editors_only
def file_history(request: HttpRequest, name: str) -> HttpResponse:
    return _history(request, _file_target(name))


def _history(request: HttpRequest, target: Target) -> HttpResponse:
    revisions = Revision.objects.filter(path=target.relative).select_related("editor")
    versions = [
        {"revision": r, "diff": _diff(r.previous, r.text)} for r in revisions.order_by("-number")
    ]
    current = publishing.current(target.relative)
    context = {"target": target, "versions": versions, "base": files.digest(current)}
    return render(request, "editor/history.html", context)


@require_POST
@never_cache
@editors_only
def revert_guide(request: HttpRequest, slug: str) -> HttpResponse:
    return _revert(request, _guide_target(slug))


@require_POST
@never_cache
@editors_only
def revert_file(request: HttpRequest, name: str) -> HttpResponse:
    return _revert(request, _file_target(name))


def _revert(request: HttpRequest, target: Target) -> HttpResponse:
    raw = request.POST.get("revision", "")
    revision = get_object_or_404(
        Revision, path=target.relative, id=int(raw) if raw.isdigit() else 0
    )
    before = request.POST.get("to") == "before"
    text = revision.previous if before else revision.text
    base = request.POST.get("base", "")
    checked = drafts.check(target.relative, text)
    if checked.blocking:
        return _editor_page(request, target, text=text, base=base, checked=checked, status=422)
    what = f"第 {revision.number} 版之前" if before else f"第 {revision.number} 版"
    try:
        published = publishing.publish(
            relative=target.relative,
            text=text,
            base=base,
            user=request.user,
            message=f"恢复到{what}",
            reverts=revision,
        )
    except publishing.Conflict as conflict:
        return _conflict_page(request, target, text=text, current=conflict.current)
    if published.revision is None:
        messages.info(request, f"现在的内容就是{what}的样子，没有发布新版本。")
    else:
        messages.success(request, f"已恢复到{what}（新的第 {published.revision.number} 版）。")
    return redirect(target.history_url)


# --- the assistant's tree ------------------------------------------------------------------


@require_safe
@never_cache
@editors_only
def tree(request: HttpRequest) -> HttpResponse:
    svg = treeview.draw(get_library(), link=reverse("editor:file", args=["triage.yaml"]))
    return render(request, "editor/tree.html", {"svg": svg})
