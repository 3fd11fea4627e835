from django.urls import path

from credentials import views

app_name = "catalog"

urlpatterns = [
    path("", views.catalog_list, name="list"),
    path("<int:pk>/", views.credential, name="credential"),
    path("<int:pk>/summary.pdf", views.summary, name="summary"),
    path(
        "<int:pk>/badges/<slug:key>/<str:name>",
        views.badge_export,
        name="export",
    ),
    path("issuers/<slug:slug>/<str:name>", views.issuer_export, name="issuer"),
]

# Addresses in the workflow's namespaces, which config/urls.py puts them in, so that
# they keep the names and paths they had: the office summary of a proposal's record
# and the badge images of its newest draft.
record_urlpatterns = [
    path("<int:pk>/summary.pdf", views.summary_pdf, name="summary_pdf"),
]
draft_urlpatterns = [
    path("badges/<slug:key>/preview.png", views.badge_preview, name="preview"),
]
