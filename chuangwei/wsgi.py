"""WSGI entry point (gunicorn chuangwei.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangwei.settings")

application = get_wsgi_application()
