#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # manage.py is the developer's tool: without DJANGO_DEBUG in the environment it
    # runs in development mode. Production exports DJANGO_DEBUG=0 (README), and an
    # explicit setting always wins; the app servers load config.wsgi, not this file.
    os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
