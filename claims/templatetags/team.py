from django import template

from claims import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def notices_unread(context) -> int | None:  # noqa: ANN001
    """The signed-in desk member's unread notices (None for anyone else: no badge)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_perm("claims.view_claim"):
        return None
    return selectors.notices_unread_count(user=user)
