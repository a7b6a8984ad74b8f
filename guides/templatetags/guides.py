"""Pieces of the guides any page may show: the guides to try first, and contact channels.

Templates of other apps (search, codes, the assistant, insights, the error pages) use these
without their Python importing this app."""

from __future__ import annotations

from django import template

from guides.library import get_library

register = template.Library()


@register.inclusion_tag("guides/_popular.html")
def popular_guides(count: int = 6) -> dict:
    try:
        guides = get_library().popular(count)
    except Exception:  # the 404 and 500 pages must render even when content does not
        guides = []
    return {"guides": guides}


@register.inclusion_tag("guides/_channels.html")
def channels(*ids: str) -> dict:
    """Contact channels by id ({% channels "police" %}), or with none named whoever runs the
    merchant's terminal ({% channels %})."""
    library = get_library()
    return {"channels": library.channels_for(ids) if ids else library.channels_for()}
