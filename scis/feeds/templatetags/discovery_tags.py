import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from scis.feeds.discovery import feeds_for
from scis.feeds.structured_data import json_ld, open_graph

register = template.Library()


@register.simple_tag(takes_context=True)
def page_feeds(context):
    """The feeds this page advertises, computed once per request."""
    request = context.get("request")
    if request is None:
        return []
    if not hasattr(request, "_scis_feeds"):
        search_text = context.get("search_query") or ""
        request._scis_feeds = feeds_for(
            context.get("page"), request.GET, str(search_text)
        )
    return request._scis_feeds


# JSON inside <script>: nothing in it may close the element or start markup.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def structured_data(context):
    """The page's schema.org JSON-LD in a script element, if it has any."""
    return json_ld_script(json_ld(context.get("page"), context.get("request")))


@register.simple_tag
def json_ld_script(data):
    """`data` as JSON-LD in a script element ("" for None)."""
    if data is None:
        return ""
    text = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        # Safe: every character that could end the script is escaped above.
        mark_safe(text.translate(_SCRIPT_ESCAPES)),  # noqa: S308
    )


@register.simple_tag(takes_context=True)
def open_graph_tags(context):
    """Open Graph <meta property> elements for link previews."""
    return format_html_join(
        "\n",
        '<meta property="{}" content="{}">',
        open_graph(context.get("page"), context.get("request")),
    )
