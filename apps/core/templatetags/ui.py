"""Page chrome tags: filters that fold behind one button on phones."""

from __future__ import annotations

from django import template
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()

# Query parameters that order or page a list; they are not filters (static/js/ui.js keeps the same list).
NOT_FILTERS = frozenset({"page", "sort", "order", "o", "ordering", "dir"})


def active_filter_count(query: QueryDict) -> int:
    """How many filter values the query string sets (empty values and paging/sorting do not count)."""
    return sum(
        1 for name, values in query.lists() if name not in NOT_FILTERS for value in values if value.strip()
    )


@register.simple_block_tag(takes_context=True)
def filter_fold(context: template.Context, content: str) -> SafeString:
    """Wrap a list page's filter form: open on wide screens, behind 「筛选（N）」 on phones."""
    request = context.get("request")
    count = active_filter_count(request.GET) if request is not None else 0
    return SafeString(render_to_string("_filter_fold.html", {"content": content, "count": count}))
