from django.urls import path

from proposals import catalog_views

app_name = "catalog"

urlpatterns = [
    path("", catalog_views.catalog_list, name="list"),
    path("<int:pk>/", catalog_views.credential, name="credential"),
    path("<int:pk>/summary.pdf", catalog_views.summary, name="summary"),
    path(
        "<int:pk>/badges/<slug:key>/<str:name>",
        catalog_views.badge_export,
        name="export",
    ),
    path("issuers/<slug:slug>/<str:name>", catalog_views.issuer_export, name="issuer"),
]
