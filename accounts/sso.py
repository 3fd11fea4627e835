"""Campus sign-in (SAML 2.0 and OpenID Connect, through django-allauth): which identity
provider a person uses, what the site takes from it (name, email, campus, department,
the staff group) and when a campus identity joins an existing account.

Each identity provider is an allauth SocialApp, added in the admin or in
SSO_CONFIG_FILE. Besides allauth's own settings, its ``settings`` may hold:

* ``campus``: the short name of the campus its people belong to ("UMaine");
* ``email_domains``: the domains it vouches for ("maine.edu"), used to choose it from
  an email address and to link accounts;
* ``attribute_mapping`` (SAML) or ``claims`` (OIDC): where name, email, department
  and groups come from (eduPerson names and standard claims by default);
* ``group_map``: directory group values and the site group each grants, e.g.
  ``{"urn:mace:maine.edu:mc-office": "Micro-credential staff"}``.
"""

import functools
import logging
import secrets
from collections.abc import Callable
from urllib.error import URLError
from urllib.parse import urlsplit

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter, get_adapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from allauth.socialaccount.providers.openid_connect.views import (
    OpenIDConnectOAuth2Adapter,
)
from django.conf import settings
from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from onelogin.saml2.errors import OneLogin_Saml2_Error
from requests import RequestException

from accounts import verification
from accounts.models import Profile
from accounts.text import single_line

logger = logging.getLogger(__name__)

# What fetching a provider's metadata or discovery document raises when it is down.
UNREACHABLE = (RequestException, URLError, OneLogin_Saml2_Error)
# The campus a session signed in through, for signing out there too.
SESSION_KEY = "sso_campus"
SAML = "saml"
OIDC = "openid_connect"

# What InCommon campuses release (eduPerson and X.500 attribute names).
SAML_ATTRIBUTES = {
    "uid": ["urn:oid:1.3.6.1.4.1.5923.1.1.1.6"],  # eduPersonPrincipalName
    "email": ["urn:oid:0.9.2342.19200300.100.1.3"],  # mail
    "first_name": ["urn:oid:2.5.4.42"],  # givenName
    "last_name": ["urn:oid:2.5.4.4"],  # sn
    "department": ["urn:oid:2.5.4.11"],  # ou
    # isMemberOf, then eduPersonEntitlement
    "groups": ["urn:oid:1.3.6.1.4.1.5923.1.5.1.1", "urn:oid:1.3.6.1.4.1.5923.1.1.1.7"],
}
# Entra ID sends "department" as an optional claim and "groups" when asked to.
OIDC_CLAIMS = {"department": ["department"], "groups": ["groups"]}
DEPARTMENT_MAX_LENGTH = Profile._meta.get_field("department").max_length


class SignInRefused(Exception):
    """A provider answered, but the site will not sign the person in; the message
    says why in words they can act on."""


def campus_apps(request: HttpRequest) -> list[SocialApp]:
    """The identity providers on the sign-in page, by name."""
    apps = get_adapter().list_apps(request)
    return sorted(
        (app for app in apps if app.provider in (SAML, OIDC) and app.provider_id),
        key=lambda app: app.name.lower(),
    )


def app_for_email(request: HttpRequest, email: str) -> SocialApp | None:
    """The provider that vouches for the email's domain, if one does."""
    domain = email.rpartition("@")[2].strip().lower()
    for app in campus_apps(request):
        if domain and domain in _domains(app):
            return app
    return None


def provider_origins(apps: list[SocialApp]) -> list[str]:
    """Where starting a sign-in sends the browser, for the page's form-action."""
    origins = set()
    for app in apps:
        idp = app.settings.get("idp", {})
        url = (
            app.settings.get("server_url")
            or idp.get("sso_url")
            or idp.get("metadata_url", "")
        )
        parts = urlsplit(url)
        if parts.scheme and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)


def start(request: HttpRequest, app: SocialApp, next_url: str) -> HttpResponse:
    """Send the browser to the provider. OpenID Connect gets a nonce the answer must
    repeat (allauth checks state and PKCE but not the nonce)."""
    provider = app.get_provider(request)
    try:
        if app.provider != OIDC:
            return provider.redirect(request, "login", next_url=next_url)
        nonce = secrets.token_urlsafe(24)
        return provider.redirect(
            request,
            "login",
            next_url=next_url,
            auth_params={**provider.get_auth_params(), "nonce": nonce},
            nonce=nonce,
        )
    # Its metadata or discovery document could not be read.
    except (*UNREACHABLE, ValueError, KeyError):
        return _unreachable(request, app.provider_id)


def _unreachable(request: HttpRequest, slug: str) -> HttpResponse:
    logger.warning("Identity provider %s did not answer", slug)
    message = _(
        "The campus sign-in service did not answer. Try again in a few minutes; if "
        "it goes on, tell %(office)s."
    ) % {"office": settings.OFFICE_EMAIL}
    return refusal_page(request, message, status=503)


def answering(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """allauth's answering views, with a page instead of a stack trace when the
    provider's metadata or endpoints cannot be reached."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except UNREACHABLE:
            return _unreachable(request, next(iter(kwargs.values()), ""))

    return wrapped


def campus_sign_out(request: HttpRequest) -> tuple[SocialApp, str] | None:
    """The campus this session signed in through and the address that ends the
    person's session there: the OpenID provider's end-session endpoint (RP-initiated
    logout). SAML campuses end sessions here through single logout (allauth's SLS
    endpoint) when their IdP starts it."""
    slug = request.session.get(SESSION_KEY)
    app = next((app for app in campus_apps(request) if app.provider_id == slug), None)
    if app is None or app.provider != OIDC:
        return None
    try:
        endpoint = OpenIDConnectOAuth2Adapter(request, slug).openid_config.get(
            "end_session_endpoint"
        )
    except UNREACHABLE:
        return None
    if not endpoint:
        return None
    home = request.build_absolute_uri(reverse("home"))
    query = urlencode({"client_id": app.client_id, "post_logout_redirect_uri": home})
    return app, f"{endpoint}?{query}"


def _app(sociallogin: SocialLogin, request: HttpRequest) -> SocialApp:
    return sociallogin.account.get_provider(request).app


def _domains(app: SocialApp) -> set[str]:
    return {domain.lower() for domain in app.settings.get("email_domains", [])}


def _claims(account) -> dict:
    data = account.extra_data or {}
    return {**data.get("id_token", {}), **data.get("userinfo", {})}


def _attribute(app: SocialApp, account, key: str) -> list[str]:
    """Every value of one mapped attribute (SAML) or claim (OIDC)."""
    if app.provider == SAML:
        names = app.settings["attribute_mapping"].get(key, [])
        raw = account.extra_data or {}
    else:
        names = app.settings.get("claims", OIDC_CLAIMS).get(key, [])
        raw = _claims(account)
    for name in [names] if isinstance(names, str) else names:
        value = raw.get(name)
        if value:
            return (
                [str(item) for item in value]
                if isinstance(value, list)
                else [str(value)]
            )
    return []


def _check_nonce(sociallogin: SocialLogin) -> None:
    expected = sociallogin.state.get("nonce")
    if not expected or _claims(sociallogin.account).get("nonce") != expected:
        raise SignInRefused(
            _("The answer from your campus did not match this sign-in. Start again.")
        )


def _link_or_refuse(sociallogin: SocialLogin, request: HttpRequest) -> None:
    """An account already using the email is linked when the provider vouches for
    that domain (and, for OpenID Connect, says the address is verified) and the
    account's own address is confirmed; anything else would hand someone else's
    account over, so it is refused."""
    from django.contrib.auth.models import User

    email = (sociallogin.user.email or "").strip()
    if not email:
        raise SignInRefused(
            _("Your campus did not send an email address; ask its IT help desk.")
        )
    existing = list(User.objects.filter(email__iexact=email)[:2])
    if not existing:
        return
    app = _app(sociallogin, request)
    vouched = email.rpartition("@")[2].lower() in _domains(app)
    if app.provider == OIDC:
        vouched = vouched and _claims(sociallogin.account).get("email_verified")
    if len(existing) == 1 and vouched and verification.is_verified(existing[0]):
        sociallogin.connect(request, existing[0])
        return
    raise SignInRefused(
        _(
            "An account on this site already uses %(email)s, and it cannot be joined "
            "to your campus sign-in automatically. Sign in with its password and "
            "confirm the address, or write to %(office)s."
        )
        % {"email": email, "office": settings.OFFICE_EMAIL}
    )


def refusal_page(request: HttpRequest, message: str, status: int = 403) -> HttpResponse:
    return render(
        request, "registration/sso_refused.html", {"message": message}, status=status
    )


def record_directory(sender, request, user, sociallogin=None, **kwargs) -> None:
    """After every campus sign-in: campus, department and the mapped groups as the
    directory has them today (groups the map does not name are the site's own)."""
    if sociallogin is None:
        return
    app = _app(sociallogin, request)
    request.session[SESSION_KEY] = app.provider_id
    department = _attribute(app, sociallogin.account, "department")
    # Campuses are teams' data, above accounts: reach them through the profile's key.
    campuses = Profile.campus.field.related_model.objects
    campus = campuses.filter(short_name=app.settings.get("campus", "")).first()
    Profile.objects.update_or_create(
        user=user,
        defaults={
            "campus": campus,
            "department": (department[0] if department else "")[:DEPARTMENT_MAX_LENGTH],
        },
    )
    group_map = app.settings.get("group_map", {})
    if group_map:
        values = set(_attribute(app, sociallogin.account, "groups"))
        granted = {group for value, group in group_map.items() if value in values}
        for group in Group.objects.filter(name__in=set(group_map.values())):
            if group.name in granted:
                user.groups.add(group)
            else:
                user.groups.remove(group)


class CampusSignInAdapter(DefaultSocialAccountAdapter):
    """allauth's social sign-in with the site's rules for linking, nonces, the
    eduPerson attribute names and its own error page."""

    def list_apps(self, request, provider=None, client_id=None):
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        for app in apps:
            if app.provider == SAML:
                app.settings = {"attribute_mapping": SAML_ATTRIBUTES, **app.settings}
        return apps

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        try:
            if _app(sociallogin, request).provider == OIDC:
                _check_nonce(sociallogin)
            if not sociallogin.is_existing:
                _link_or_refuse(sociallogin, request)
        except SignInRefused as refusal:
            raise ImmediateHttpResponse(refusal_page(request, str(refusal))) from None

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        message = (
            _("You cancelled the sign-in at your campus.")
            if error == "cancelled"
            else _(
                "Your campus sign-in could not be completed: the answer was missing, "
                "expired, altered or meant for another sign-in. Start again from the "
                "sign-in page."
            )
        )
        raise ImmediateHttpResponse(refusal_page(request, message))

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        # A directory may hold longer names than the account has room for.
        for field in ("first_name", "last_name", "email"):
            limit = user._meta.get_field(field).max_length
            setattr(user, field, single_line(getattr(user, field))[:limit])
        return user

    def is_auto_signup_allowed(self, request, sociallogin) -> bool:
        # pre_social_login has linked or refused any account with the same email.
        return True
