from django.urls import path

from dangjian.moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.screening_detail, name="screening-detail"),
    path("<int:pk>/approve/", views.screening_approve, name="screening-approve"),
    path("<int:pk>/reject/", views.screening_reject, name="screening-reject"),
    path("dictionary/", views.dictionary_home, name="dictionary"),
    path("dictionary/terms/new/", views.term_add, name="term-add"),
    path("dictionary/terms/<int:pk>/", views.term_edit, name="term-edit"),
    path("dictionary/terms/<int:pk>/delete/", views.term_delete, name="term-delete"),
    path("dictionary/phrases/new/", views.phrase_add, name="phrase-add"),
    path("dictionary/phrases/<int:pk>/delete/", views.phrase_delete, name="phrase-delete"),
    path("dictionary/categories/<slug:code>/", views.category_edit, name="category-edit"),
    path("dictionary/options/", views.options_edit, name="options-edit"),
    path("dictionary/try/", views.try_text, name="try"),
    path("dictionary/import/", views.dictionary_import, name="dictionary-import"),
    path("dictionary/export/", views.dictionary_export, name="dictionary-export"),
    path("rescans/new/", views.rescan_start, name="rescan-start"),
    path("rescans/<int:pk>/", views.rescan_detail, name="rescan-detail"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("monitoring/export/", views.monitoring_export, name="monitoring-export"),
]
