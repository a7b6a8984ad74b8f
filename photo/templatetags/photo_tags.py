"""``{% photo_entry %}``: the link to /photo/ that home, the assistant and code pages show.

Nothing when the feature is off (``HELPCENTER_PHOTO=0``), so no page points at it then.
"""

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("photo/_entry.html")
def photo_entry(text: str = "拍一张屏幕的照片，帮您找答案") -> dict:
    return {"enabled": settings.PHOTO_ENABLED, "text": text}
