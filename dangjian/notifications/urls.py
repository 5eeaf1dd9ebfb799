from __future__ import annotations

from django.urls import path

from dangjian.notifications import stream, views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read-all/", views.mark_all_read, name="mark-all-read"),
    path("<int:pk>/open/", views.delivery_open, name="open"),
    path("stream", stream.stream, name="stream"),
    path("sent/", views.sent, name="sent"),
    path("sent/<int:pk>/", views.receipts, name="receipts"),
    path("sent/<int:pk>/remind/", views.remind, name="remind"),
]
