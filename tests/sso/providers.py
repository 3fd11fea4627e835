"""Real identity providers for the campus sign-in tests, each started once per test
session from node_modules (installed by `make test`, `npm ci`) and stopped at its end:
saml-idp (a SAML 2.0 IdP) and oidc-provider (an OpenID-certified OpenID provider);
and what a browser does between them and the site. The fixtures are registered in
tests/conftest.py, so the SSO and browser tests share one process of each."""

import datetime
import socket
import subprocess
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from allauth.socialaccount.models import SocialApp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.urls import reverse

from tests.factories import campus

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SP_ENTITY_ID = "https://mc.maine.edu/saml"
IDP_ENTITY_ID = "urn:mc-tests:umaine-idp"
OIDC_CLIENT = ("mc-tracker", "mc-tracker-test-secret")
SAML_SLUG, OIDC_SLUG = "umaine", "usm"


@dataclass
class KeyPair:
    key: str
    cert: str
    public_key: str

    @property
    def cert_body(self) -> str:
        """The certificate as SAML metadata and allauth's settings carry it."""
        return "".join(self.cert.strip().splitlines()[1:-1])


def make_key_pair(common_name: str) -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return KeyPair(
        key=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        ).decode(),
        cert=cert.public_bytes(serialization.Encoding.PEM).decode(),
        public_key=key.public_key()
        .public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo,
        )
        .decode(),
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Peer:
    url: str
    process: subprocess.Popen
    log: Path


def _start(command: list[str], url: str, log: Path) -> Peer:
    if not (ROOT / "node_modules").is_dir():
        pytest.fail("node_modules is missing: run `make test` (it runs `npm ci`).")
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{command[1]} stopped: {log.read_text()[-2000:]}")
        try:
            requests.get(url, timeout=1)
            return Peer(url, process, log)
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    pytest.fail(f"{command[1]} did not answer at {url}: {log.read_text()[-2000:]}")


def _stop(peer: Peer) -> None:
    peer.process.terminate()
    try:
        peer.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        peer.process.kill()
        peer.process.wait()


@pytest.fixture(scope="session")
def sp_keys() -> KeyPair:
    return make_key_pair("mc-tracker service provider")


@pytest.fixture(scope="session")
def saml_idp(tmp_path_factory, sp_keys):
    """saml-idp, signing with its own key and encrypting assertions for the site."""
    folder = tmp_path_factory.mktemp("saml-idp")
    idp_keys = make_key_pair("UMaine test identity provider")
    files = {
        "idp-key.pem": idp_keys.key,
        "idp-cert.pem": idp_keys.cert,
        "sp-cert.pem": sp_keys.cert,
        "sp-public-key.pem": sp_keys.public_key,
    }
    for name, text in files.items():
        (folder / name).write_text(text)
    port = _free_port()
    peer = _start(
        [
            "node",
            "node_modules/saml-idp/bin/run.js",
            f"--port={port}",
            "--host=127.0.0.1",
            f"--issuer={IDP_ENTITY_ID}",
            f"--cert={folder / 'idp-cert.pem'}",
            f"--key={folder / 'idp-key.pem'}",
            # Where an AuthnRequest names no ACS; the site's requests always do.
            "--acsUrl=http://testserver/accounts/sso/saml/umaine/acs/",
            f"--audience={SP_ENTITY_ID}",
            "--encryptAssertion",
            f"--encryptionCert={folder / 'sp-cert.pem'}",
            f"--encryptionPublicKey={folder / 'sp-public-key.pem'}",
            f"--configFile={HERE / 'saml_idp_config.js'}",
            "--rollSession",
        ],
        f"http://127.0.0.1:{port}/metadata",
        folder / "saml-idp.log",
    )
    peer.url = f"http://127.0.0.1:{port}"
    # saml-idp starts with AES-CBC, which its own encryption library now refuses
    # (padding-oracle attacks); campuses use AES-GCM.
    requests.post(
        f"{peer.url}/settings",
        data={"encryptionAlgorithm": "http://www.w3.org/2009/xmlenc11#aes256-gcm"},
        timeout=10,
    ).raise_for_status()
    yield peer
    _stop(peer)


@pytest.fixture(scope="session")
def oidc_op(tmp_path_factory):
    """oidc-provider with its development login page."""
    port = _free_port()
    callback = f"/accounts/sso/oidc/{OIDC_SLUG}/callback/"
    log = tmp_path_factory.mktemp("oidc-provider") / "oidc-provider.log"
    url = f"http://127.0.0.1:{port}"
    peer = _start(
        ["node", str(HERE / "oidc_provider.mjs"), str(port), callback],
        f"{url}/.well-known/openid-configuration",
        log,
    )
    peer.url = url
    yield peer
    _stop(peer)


def register_oidc_campus(op: Peer) -> SocialApp:
    """The University of Southern Maine's OpenID provider (Entra ID there), as a
    campus registers it in the admin."""
    campus("USM")
    return SocialApp.objects.create(
        provider="openid_connect",
        provider_id=OIDC_SLUG,
        client_id=OIDC_CLIENT[0],
        secret=OIDC_CLIENT[1],
        name="University of Southern Maine",
        settings={
            "server_url": op.url,
            "oauth_pkce_enabled": True,
            "campus": "USM",
            "email_domains": ["maine.edu"],
            "group_map": {"mc-office": "Micro-credential staff"},
        },
    )


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        attrs = dict(attrs)
        if tag == "form" and "action" in attrs:
            self.forms.append((attrs["action"], {}))
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1][1][attrs["name"]] = attrs.get("value") or ""


def form_fields(html: str) -> tuple[str, dict[str, str]]:
    """The action and the named inputs of the first form with an action."""
    parser = _Forms()
    parser.feed(html)
    assert parser.forms, html[-2000:]
    return parser.forms[0]


def saml_person(**attributes: str) -> dict[str, str]:
    """What the test IdP's sign-in form posts for one person (eduPerson names)."""
    person = {
        "userName": "ada@maine.edu",
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.6": "ada@maine.edu",
        "urn:oid:0.9.2342.19200300.100.1.3": "ada@maine.edu",
        "urn:oid:2.5.4.42": "Ada",
        "urn:oid:2.5.4.4": "Byron",
        "urn:oid:2.5.4.11": "Nursing",
        "urn:oid:1.3.6.1.4.1.5923.1.5.1.1": "faculty",
    }
    names = {
        "eppn": "urn:oid:1.3.6.1.4.1.5923.1.1.1.6",
        "mail": "urn:oid:0.9.2342.19200300.100.1.3",
        "given": "urn:oid:2.5.4.42",
        "surname": "urn:oid:2.5.4.4",
        "ou": "urn:oid:2.5.4.11",
        "groups": "urn:oid:1.3.6.1.4.1.5923.1.5.1.1",
    }
    for key, value in attributes.items():
        person[names[key]] = value
        if key == "eppn":
            person["userName"] = value
    return person


def saml_response(client, idp_url: str, person: dict[str, str]) -> dict[str, str]:
    """Start a campus sign-in on the site and sign the person in at the IdP; returns
    the SAMLResponse and RelayState the browser would post back."""
    start = client.get(reverse("sso_start", args=[SAML_SLUG]))
    assert start.status_code == 302, start
    assert start["Location"].startswith(idp_url)
    with requests.Session() as browser:
        page = browser.get(start["Location"], timeout=10)
        _action, fields = form_fields(page.text)
        signed_in = browser.post(
            f"{idp_url}/signin", data={**fields, **person}, timeout=10
        )
    action, answer = form_fields(signed_in.text)
    assert action.endswith(f"/accounts/sso/saml/{SAML_SLUG}/acs/"), signed_in.text
    return answer


def post_to_acs(client, answer: dict[str, str]):
    """The browser's auto-submitted form, then the site's own finishing redirect."""
    response = client.post(
        reverse("saml_acs", args=[SAML_SLUG]),
        {key: answer[key] for key in ("SAMLResponse", "RelayState") if key in answer},
    )
    assert response.status_code == 302
    return client.get(response["Location"])


def browse_until_site(browser: requests.Session, url: str, login: str = "") -> str:
    """Follow the provider's pages (redirects, its login form, confirmations) as a
    browser would until it sends the browser back to the site; returns that URL."""
    method, data = "GET", None
    while not url.startswith("http://testserver"):
        page = browser.request(
            method, url, data=data, timeout=10, allow_redirects=False
        )
        if page.is_redirect:
            url, method, data = urljoin(url, page.headers["Location"]), "GET", None
            continue
        action, data = form_fields(page.text)
        if "login" in data:
            data.update(login=login, password="any password")
        if "xsrf" in data:  # the sign-out confirmation: "Yes, sign me out"
            data["logout"] = "yes"
        url, method = urljoin(url, action), "POST"
    return url


def oidc_sign_in(client, op_url: str, login: str, *, alter=None, browser=None):
    """Start a campus sign-in on the site, sign in on the provider's own login page
    and return the site's answer to the callback. ``alter`` may change the
    authorization request or the callback on the way (an attacker's part);
    ``browser`` keeps the provider's cookies for a later step."""
    start = client.get(reverse("sso_start", args=[OIDC_SLUG]))
    assert start.status_code == 302, start
    url = start["Location"]
    assert url.startswith(op_url)
    if alter:
        url = alter("authorize", url)
    with requests.Session() as own:
        url = browse_until_site(browser or own, url, login)
    if alter:
        url = alter("callback", url)
    return client.get(url.removeprefix("http://testserver"))
