"""Small template filters and tags shared by every app."""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

# A date (with its weekday in brackets and a time), or a time range: each kept on one line.
_DATE_OR_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:\s?[（(][^（）()<>]{1,12}[）)])?(?:\s\d{1,2}:\d{2}(?!\s?[–-]\s?\d{1,2}:\d{2}))?"
    r"|\d{2}-\d{2}\s\d{2}:\d{2}"
    r"|\d{1,2}:\d{2}(?:\s?[–-]\s?\d{1,2}:\d{2})?"
)


@register.filter(needs_autoescape=True)
def nowrap_dates(value, autoescape=True):
    """Wrap each date and time range of the text in <span class="nowrap"> so it never breaks.

    "2026-12-11（周五）15:00–17:00" may wrap between the date and the times, never inside them.
    """
    text = str(conditional_escape(value) if autoescape else value)
    return mark_safe(_DATE_OR_TIME.sub(lambda match: f'<span class="nowrap">{match.group(0)}</span>', text))


BADGE_COLOURS = ("ok", "warn", "muted", "overdue")  # the classes static/css/unionhome.css styles


@register.simple_tag
def state_badge(obj):
    """A record's state as the one badge of its model: the state's label in its colour.

    The model names its state field (`state_field`, default "state", else "status") and the
    colour of each value (`state_badges = {value: "ok" | "warn" | "muted" | "overdue"}`); a
    value it does not name is muted. Use it as {% state_badge activity %}.
    """
    model = type(obj)
    name = getattr(model, "state_field", None) or ("state" if hasattr(obj, "state") else "status")
    value = getattr(obj, name)
    colour = getattr(model, "state_badges", {}).get(value, "muted")
    if colour not in BADGE_COLOURS:
        raise ValueError(f"{model._meta.label}.state_badges: no badge colour {colour!r}")
    return format_html('<span class="badge {}">{}</span>', colour, getattr(obj, f"get_{name}_display")())


# A section with an id and, inside it, its <h2>: the page's table of contents (issue 16, /me/).
_SECTION = re.compile(r'<section\b[^>]*?\bid="([^"]+)"[^>]*>.*?<h2\b[^>]*>(.*?)</h2>', re.S)
_TAGS = re.compile(r"<[^>]+>")


class SectionIndexNode(template.Node):
    def __init__(self, nodelist, label):
        self.nodelist = nodelist
        self.label = label

    def render(self, context):
        body = self.nodelist.render(context)
        entries = [
            (anchor, _TAGS.sub("", heading).strip()) for anchor, heading in _SECTION.findall(body)
        ]
        if len(entries) < 2:
            return body
        links = format_html_join_lines(entries)
        label = conditional_escape(self.label.resolve(context))
        index = format_html(
            '<nav class="card section-index" aria-label="{}"><h2 class="section-index-title">{}</h2>'
            '<ul class="section-index-list">{}</ul></nav>',
            label,
            label,
            links,
        )
        return mark_safe(index + body)


def format_html_join_lines(entries):
    from django.utils.html import format_html_join

    return format_html_join("", '<li><a href="#{}">{}</a></li>', ((a, mark_safe(h)) for a, h in entries))


@register.tag
def section_index(parser, token):
    """{% section_index "本页目录" %}…sections…{% endsection_index %}: an index of anchor links to the
    sections inside (each <section id="…"> with its <h2>), put before them; no JavaScript."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("section_index takes one argument: the index's label")
    nodelist = parser.parse(("endsection_index",))
    parser.delete_first_token()
    return SectionIndexNode(nodelist, parser.compile_filter(bits[1]))


# A read-only related object in admin is rendered as a link to its change page (Django does not ask
# whether the viewer may open it): keep the link only when the viewer may, else show the name.
_ADMIN_CHANGE_LINK = re.compile(r'^<a href="(/[^"]*?/(\w+)/(\w+)/([^/"]+)/change/)">(.*)</a>$', re.S)


@register.filter
def admin_link_if_allowed(contents, request):
    match = _ADMIN_CHANGE_LINK.match(str(contents))
    if match is None or request is None:
        return contents
    from django.apps import apps
    from django.contrib import admin
    from django.contrib.admin.utils import unquote

    _url, app_label, model_name, pk, text = match.groups()
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return contents
    model_admin = admin.site._registry.get(model)
    if model_admin is not None:
        obj = model_admin.get_object(request, unquote(pk))
        if obj is not None and model_admin.has_view_or_change_permission(request, obj):
            return contents
    return mark_safe(text)  # the link's text, escaped by Django when it made the link


@register.filter
def safe_next(request):
    """The request's `next` if it stays on this site, else "" (for a "back to where you were" link)."""
    from unionhome.views import _safe_next

    return _safe_next(request) if request is not None else ""
