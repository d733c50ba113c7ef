from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def queue_summary(context):
    """The work queue's counts for the admin index (unionhome.queue)."""
    from unionhome.queue import queue_summary as summary

    return summary(context["request"])
