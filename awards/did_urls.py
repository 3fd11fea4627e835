"""The issuers' did:web documents, where did:web puts them (config/urls.py mounts
these at the site's root): did:web:<host>:issuers:<slug> is
https://<host>/issuers/<slug>/did.json."""

from django.urls import path

from awards import views

app_name = "issuers"

urlpatterns = [
    path("issuers/<slug:slug>/did.json", views.did_document, name="did"),
]
