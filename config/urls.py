from allauth.socialaccount.providers.openid_connect import views as oidc_views
from allauth.socialaccount.providers.saml import views as saml_views
from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from accounts.forms import ThrottledAdminAuthenticationForm
from accounts.sso import answering
from approvals import proposal_urls, proposal_views
from credentials import urls as credential_urls
from metadata_templates import urls as draft_urls

admin.site.login_form = ThrottledAdminAuthenticationForm

urlpatterns = [
    path("", proposal_views.home, name="home"),
    path("dashboard/", proposal_views.dashboard, name="dashboard"),
    path("healthz", proposal_views.healthz, name="healthz"),
    path("accounts/signup/", account_views.signup, name="signup"),
    path(
        "accounts/verify/resend/",
        account_views.verify_email_resend,
        name="verify_email_resend",
    ),
    path(
        "accounts/verify/<str:token>/", account_views.verify_email, name="verify_email"
    ),
    path("accounts/login/", account_views.SignInView.as_view(), name="login"),
    path("accounts/logout/", account_views.SignOutView.as_view(), name="logout"),
    path("accounts/sso/", account_views.sso_find, name="sso_find"),
    path("accounts/sso/<slug:slug>/", account_views.sso_start, name="sso_start"),
    # allauth's answering ends only (sign-in starts above, with a nonce for OIDC);
    # their names are allauth's, which reverses them.
    path(
        "accounts/sso/saml/<slug:organization_slug>/",
        include(
            [
                path("acs/", answering(saml_views.acs), name="saml_acs"),
                path(
                    "acs/finish/",
                    answering(saml_views.finish_acs),
                    name="saml_finish_acs",
                ),
                path("sls/", answering(saml_views.sls), name="saml_sls"),
                path("metadata/", answering(saml_views.metadata), name="saml_metadata"),
            ]
        ),
    ),
    path(
        "accounts/sso/oidc/<slug:provider_id>/callback/",
        answering(oidc_views.callback),
        name="openid_connect_callback",
    ),
    path(
        "accounts/password_reset/",
        account_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path(
        "proposals/",
        include(
            (
                proposal_urls.urlpatterns + credential_urls.record_urlpatterns,
                proposal_urls.app_name,
            )
        ),
    ),
    path("", include("teams.urls")),
    path(
        "proposals/<int:pk>/template/",
        include(
            (
                draft_urls.urlpatterns + credential_urls.draft_urlpatterns,
                draft_urls.app_name,
            )
        ),
    ),
    path(
        "proposals/<int:pk>/attachments/",
        include((draft_urls.attachment_urlpatterns, "attachments")),
    ),
    path("committee/", include("approvals.urls")),
    path("catalog/", include("credentials.urls")),
    path("awards/imports/", include("award_imports.urls")),
    path("awards/", include("awards.urls")),
    path("", include("awards.did_urls")),
    path("courses/", include("courses.urls")),
    path("", include("development.urls")),
    path("admin/", admin.site.urls),
]
