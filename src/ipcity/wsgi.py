import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipcity.settings")
# A web server (`gunicorn ipcity.wsgi`) is production unless development is asked for: no debug pages by default.
os.environ.setdefault("IPCITY_ENV", "production")
application = get_wsgi_application()
