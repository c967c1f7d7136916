from django import template

from claims import selectors

register = template.Library()


@register.simple_tag
def desk_dashboard() -> dict:
    return selectors.dashboard_stats()
