#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionhome.settings")
    # A checkout with no configuration at all is a developer's: manage.py runs in debug there.
    # Production sets DJANGO_SECRET_KEY (and serves through wsgi.py, which has no such default).
    if "DJANGO_DEBUG" not in os.environ and "DJANGO_SECRET_KEY" not in os.environ:
        os.environ["DJANGO_DEBUG"] = "true"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
