from __future__ import annotations

from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language

from dangjian.accounts.admin import site as admin_site
from dangjian.api.main import api
from dangjian.dashboard.views import healthz

urlpatterns = [
    path("", include("dangjian.dashboard.urls")),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("dangjian.accounts.urls")),
    path("orgs/", include("dangjian.orgs.urls")),
    path("security/", include("dangjian.orgs.urls_security")),
    path("members/", include("dangjian.members.urls")),
    path("audit/", include("dangjian.audit.urls")),
    path("moderation/", include("dangjian.moderation.urls")),
    path("notifications/", include("dangjian.notifications.urls")),
    path("content/", include("dangjian.content.urls")),
    path("comments/", include("dangjian.comments.urls")),
    path("contributions/", include("dangjian.contributions.urls")),
    path("development/", include("dangjian.development.urls")),
    path("media/", include("dangjian.content.urls_media")),
    path("i18n/setlang/", set_language, name="set-language"),
    path("api/v1/", api.urls),
    path(settings.ADMIN_URL, admin_site.urls),
]
