"""Pages that several apps contribute to (/ and /me/) collect sections from each app.

An app's AppConfig may define `home_section(request)` or `me_section(request)` returning
rendered HTML (or None); the page shows them in app order. This keeps the home and profile
pages free of imports from every app.
"""

from django.apps import apps


def collect_sections(request, hook_name: str) -> list[str]:
    sections = []
    for config in apps.get_app_configs():
        provider = getattr(config, hook_name, None)
        if provider is not None:
            html = provider(request)
            if html:
                sections.append(html)
    return sections
