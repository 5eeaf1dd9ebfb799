"""Uploaded files at MEDIA_URL, each checked against who may see it (views.media)."""

from __future__ import annotations

from django.urls import path

from dangjian.content import views

app_name = "media"

urlpatterns = [
    path("<path:name>", views.media, name="file"),
]
