"""Production hardening: deploy checks, HTTPS, the Content-Security-Policy, session
expiry and sign-in throttling."""

import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import SignInFailure
from accounts.throttle import client_address
from credentials.proofs.keys import new_secret_key
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "mc.maine.edu",
    "SITE_URL": "https://mc.maine.edu",
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "CREDENTIAL_SIGNING_KEY": new_secret_key(),
}


def _manage(*args, **env):
    # The browser tests' async switch must not leak into a production check.
    leave_out = {*PRODUCTION, "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    clean = {k: v for k, v in os.environ.items() if k not in leave_out}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_deploy_checks_pass_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION, "SECRET_KEY": ""}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_site_url():
    result = _manage("check", **{**PRODUCTION, "SITE_URL": ""})
    assert result.returncode != 0
    assert "Set SITE_URL" in result.stderr


def test_every_page_sends_a_policy_without_inline_script(client, db):
    response = client.get(reverse("catalog:list"))
    policy = response["Content-Security-Policy"]
    script = re.search(r"script-src ([^;]+)", policy).group(1)
    assert "unsafe-inline" not in script and "unsafe-eval" not in script
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_templates_hold_no_inline_script_handlers_or_styles():
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{template.name}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{template.name}: event handler attribute")
        if re.search(r"\sstyle\s*=", text):
            offenders.append(f"{template.name}: style attribute")
    assert offenders == []


@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_is_sent_to_https_except_the_health_check(client, db):
    response = client.get(reverse("catalog:list"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert client.get(reverse("healthz")).status_code == 200
    secure = client.get(reverse("catalog:list"), secure=True)
    assert secure.status_code == 200


@override_settings(SECURE_HSTS_SECONDS=31536000)
def test_https_responses_carry_hsts(client, db):
    response = client.get(reverse("catalog:list"), secure=True)
    assert "max-age=31536000" in response["Strict-Transport-Security"]


def test_sessions_expire(client, settings, db):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("dashboard")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def _sign_in(client, username, password, url=None):
    return client.post(
        url or reverse("login"), {"username": username, "password": password}
    )


def test_repeated_failures_lock_the_username(client, db):
    UserFactory(username="fran")
    for _ in range(5):
        response = _sign_in(client, "fran", "wrong")
        assert "Please enter a correct username and password" in response.text
    response = _sign_in(client, "fran", "pw")
    assert response.status_code == 200
    assert "Too many failed sign-ins. Try again in 15 minutes" in response.text
    assert "_auth_user_id" not in client.session
    # Capitals do not make a fresh username.
    assert "Too many failed" in _sign_in(client, "FRAN", "pw").text
    # Another account is not affected.
    UserFactory(username="sam")
    assert _sign_in(client, "sam", "pw").status_code == 302


def test_lock_ends_with_the_window_and_success_forgives(client, db):
    UserFactory(username="fran")
    for _ in range(5):
        _sign_in(client, "fran", "wrong")
    SignInFailure.objects.update(at=timezone.now() - timedelta(minutes=16))
    assert _sign_in(client, "fran", "pw").status_code == 302
    assert not SignInFailure.objects.filter(username="fran").exists()


def test_one_address_failing_for_many_usernames_is_locked(client, db):
    UserFactory(username="fran")
    for n in range(50):
        _sign_in(client, f"guess{n}", "wrong")
    assert "Too many failed" in _sign_in(client, "fran", "pw").text


def test_the_admin_sign_in_is_throttled_too(client, site_admin):
    url = reverse("admin:login")
    for _ in range(5):
        _sign_in(client, site_admin.username, "wrong", url)
    response = _sign_in(client, site_admin.username, "pw", url)
    assert "Too many failed sign-ins" in response.text


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "192.0.2.1"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),
        (2, "198.51.100.7, 203.0.113.9", "198.51.100.7"),
        (1, "not-an-address", None),
    ],
)
def test_client_address_trusts_only_the_configured_proxies(
    rf, settings, proxies, forwarded, expected
):
    settings.NUM_PROXIES = proxies
    request = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
