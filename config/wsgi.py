import os

from django.core.wsgi import get_wsgi_application

from config.boundary import WholeBodies
from config.database import start_database

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
start_database()
application = WholeBodies(get_wsgi_application())
