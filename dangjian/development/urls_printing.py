"""URLs of member development: printing (the PDF dossier, the public notices, filing lists)."""

from __future__ import annotations

from django.urls import URLPattern, path

from dangjian.development.views import printing

urlpatterns: list[URLPattern] = [
    path("cases/<int:pk>/dossier.pdf", printing.dossier_pdf, name="dossier-pdf"),
    path("cases/<int:pk>/notice-object/", printing.notice_object, name="print-notice-object"),
    path(
        "cases/<int:pk>/notice-conversion/",
        printing.notice_conversion,
        name="print-notice-conversion",
    ),
    path("orgs/<str:code>/filing/", printing.filing, name="print-filing"),
]
