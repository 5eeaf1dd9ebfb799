from __future__ import annotations

from django.urls import path

from dangjian.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read-all/", views.mark_all_read, name="mark-all-read"),
    path("<int:pk>/open/", views.delivery_open, name="open"),
    path("sent/", views.sent, name="sent"),
    path("sent/<int:pk>/", views.receipts, name="receipts"),
    path("sent/<int:pk>/remind/", views.remind, name="remind"),
]
