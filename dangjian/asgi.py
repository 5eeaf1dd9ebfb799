from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")

application = get_asgi_application()

# The notification stream's path gets a handler without a thread per open connection.
from dangjian.notifications.stream import with_stream  # noqa: E402  (after setup)

application = with_stream(application)
