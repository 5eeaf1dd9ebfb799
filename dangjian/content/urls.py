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


class DirectionConverter:
    regex = "up|down"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SectionConverter, "section")
register_converter(ActionConverter, "item_action")
register_converter(DirectionConverter, "direction")

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
    path("columns/", views.column_list, name="columns"),
    path("columns/new/", views.column_create, name="column-create"),
    path("columns/<int:pk>/", views.column_edit, name="column-edit"),
    path("columns/<int:pk>/delete/", views.column_delete, name="column-delete"),
    path("columns/<int:pk>/<direction:direction>/", views.column_move, name="column-move"),
    path("statistics/", views.reading_statistics, name="statistics"),
    path("statistics/export/", views.reading_statistics_export, name="statistics-export"),
    path("<section:section>/", views.feed, name="section"),
]
