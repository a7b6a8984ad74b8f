from django import template

from insights.events import tree_version as _tree_version

register = template.Library()


@register.simple_tag
def tree_version() -> str:
    """The assistant tree's version, so a step counted from this page joins the right funnel."""
    return _tree_version()
