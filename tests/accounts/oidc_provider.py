"""A tiny OpenID Connect provider for the tests, started in the test run.

A threading HTTP server on 127.0.0.1 that serves what allauth's openid_connect
provider asks for: the discovery document, the JWKS, an authorize endpoint that
approves at once (redirects back with a code), a token endpoint that returns an
RS256-signed ID token, and userinfo. What the next sign-in says about the person
(email, email_verified, amr, acr) is set by the test in `provider.next_claims`.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

KID = "test-key-1"


class LocalOIDCProvider:
    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.next_claims: dict[str, Any] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> LocalOIDCProvider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    # --- what the endpoints answer ------------------------------------------------

    def configuration(self) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
        }

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        public.update(kid=KID, use="sig", alg="RS256")
        return {"keys": [public]}

    def authorize(self, query: dict[str, str]) -> str:
        """Approve at once: the redirect back to the client, with a code."""
        code = secrets.token_urlsafe(16)
        claims = {"sub": "user-1", "email_verified": True, **self.next_claims}
        self.codes[code] = {
            "claims": claims,
            "nonce": query.get("nonce"),
            "client_id": query.get("client_id"),
        }
        back = {"code": code, "state": query.get("state", "")}
        return f"{query['redirect_uri']}?{urlencode(back)}"

    def token(self, form: dict[str, str]) -> dict[str, Any] | None:
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or form.get("client_id") != grant["client_id"]:
            return None
        now = int(time.time())
        payload = {
            "iss": self.url,
            "aud": grant["client_id"],
            "iat": now,
            "exp": now + 300,
            **grant["claims"],
        }
        if grant["nonce"]:
            payload["nonce"] = grant["nonce"]
        id_token = jwt.encode(
            payload, self.key, algorithm="RS256", headers={"kid": KID}
        )
        access_token = secrets.token_urlsafe(16)
        # Userinfo carries the person, not how they authenticated (amr, acr).
        self.tokens[access_token] = {
            k: v for k, v in grant["claims"].items() if k not in ("amr", "acr")
        }
        return {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _json(self, body: Any, status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self._json(provider.configuration())
                elif url.path == "/jwks":
                    self._json(provider.jwks())
                elif url.path == "/authorize":
                    self.send_response(302)
                    self.send_header("Location", provider.authorize(query))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif url.path == "/userinfo":
                    auth = self.headers.get("Authorization", "")
                    claims = provider.tokens.get(auth.removeprefix("Bearer "))
                    if claims is None:
                        self._json({"error": "invalid_token"}, 401)
                    else:
                        self._json(claims)
                else:
                    self._json({"error": "not_found"}, 404)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                form = {k: v[0] for k, v in parse_qs(raw).items()}
                if urlparse(self.path).path != "/token":
                    self._json({"error": "not_found"}, 404)
                    return
                answer = provider.token(form)
                if answer is None:
                    self._json({"error": "invalid_grant"}, 400)
                else:
                    self._json(answer)

        return Handler
