#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssb_portal.settings")
    if not os.environ.get("SECRET_KEY"):
        # A developer's machine has no secret: manage.py then runs in development mode. Where
        # SECRET_KEY is set (production), DEBUG stays as configured, off by default, and the
        # web server (wsgi.py) still refuses to start without a key.
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
