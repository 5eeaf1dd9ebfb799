from __future__ import annotations

from django.urls import path, register_converter

from dangjian.content import views
from dangjian.content.models import Section


class SectionConverter:
    regex = "|".join(Section.values)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class ActionConverter:
    regex = "submit|publish|approve|return|withdraw|pin|unpin"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SectionConverter, "section")
register_converter(ActionConverter, "item_action")

app_name = "content"

urlpatterns = [
    path("all/", views.feed, name="feed"),
    path("search/", views.search, name="search"),
    path("<int:pk>/", views.item_detail, name="item-detail"),
    path("manage/", views.manage_list, name="manage"),
    path("manage/new/", views.item_create, name="item-create"),
    path("manage/<int:pk>/", views.item_manage, name="item-manage"),
    path("manage/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("manage/<int:pk>/<item_action:action>/", views.item_action, name="item-action"),
    path("review/", views.review_queue, name="review"),
    path("upload/", views.upload, name="upload"),
    path("<section:section>/", views.feed, name="section"),
]
