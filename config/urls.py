from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from accounts.forms import ThrottledAdminAuthenticationForm, ThrottledAuthenticationForm
from proposals import views as proposal_views

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
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm),
        name="login",
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
    path("proposals/", include("proposals.urls")),
    path("", include("teams.urls")),
    path("proposals/<int:pk>/template/", include("metadata_templates.urls")),
    path("committee/", include("approvals.urls")),
    path("catalog/", include("proposals.catalog_urls")),
    path("courses/", include("courses.urls")),
    path("admin/", admin.site.urls),
]
