from __future__ import annotations

from django.urls import path

from dangjian.content import views

app_name = "content"

urlpatterns = [
    path("<int:pk>/", views.item_detail, name="item-detail"),
    path("manage/<int:pk>/", views.item_manage, name="item-manage"),
]
