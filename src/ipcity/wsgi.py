import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipcity.settings")
# A web server (`gunicorn ipcity.wsgi`) is production unless development is asked for: no debug pages by default.
os.environ.setdefault("IPCITY_ENV", "production")
django.setup(set_prefix=False)  # as Django's get_wsgi_application

from ipcity.routing import FixedRouteHandler  # noqa: E402 (needs the apps set up)

application = FixedRouteHandler()
