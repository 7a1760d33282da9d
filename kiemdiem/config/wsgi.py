import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiemdiem.config.settings")
application = get_wsgi_application()

# gunicorn runs no system checks: refuse the demo key here too (issue 13 §3).
from kiemdiem.config.safety import refuse_unsafe_start  # noqa: E402

refuse_unsafe_start()
