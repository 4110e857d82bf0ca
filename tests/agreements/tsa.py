"""A real RFC 3161 time-stamping authority on 127.0.0.1, served by Certomancer for the tests.

Certomancer (by pyHanko's author) builds a small PKI from a configuration: a root CA, a TSA
certificate issued by it, and the root's CRL, which pyHanko fetches to embed as validation data.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import pem
from certomancer.integrations.animator import Animator, AnimatorArchStore
from certomancer.registry import CertomancerConfig
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.serving import make_server

ARCH = "testing-tsa"
TSA_NAME = "SalesRamp Test Time Stamping Authority"
_FOREVER = {"valid-from": "2000-01-01T00:00:00+0000", "valid-to": "2500-01-01T00:00:00+0000"}


@dataclass(frozen=True)
class LocalTsa:
    url: str
    root_pem: Path  # the root certificate the TSA's certificate is issued by


def _write_key(path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _key_usage(*uses: str) -> dict[str, Any]:
    return {
        "id": "key_usage",
        "critical": True,
        "smart-value": {"schema": "key-usage", "params": list(uses)},
    }


def _architecture(key_dir: Path) -> dict[str, Any]:
    return {
        "keysets": {
            ARCH: {
                "path-prefix": str(key_dir),
                "keys": {"root": {"path": "root.key.pem"}, "tsa": {"path": "tsa.key.pem"}},
            }
        },
        "pki-architectures": {
            ARCH: {
                "keyset": ARCH,
                "entity-defaults": {"country-name": "BE", "organization-name": "Test PKI"},
                "entities": {
                    "root": {"common-name": "SalesRamp Test Root CA"},
                    "tsa": {"common-name": TSA_NAME},
                },
                "certs": {
                    "root": {
                        "subject": "root",
                        "issuer": "root",
                        "validity": _FOREVER,
                        "extensions": [
                            {"id": "basic_constraints", "critical": True, "value": {"ca": True}},
                            _key_usage("digital_signature", "key_cert_sign", "crl_sign"),
                        ],
                    },
                    "tsa": {
                        "issuer": "root",
                        "validity": _FOREVER,
                        "extensions": [
                            _key_usage("digital_signature"),
                            {
                                "id": "extended_key_usage",
                                "critical": True,
                                "value": ["time_stamping"],
                            },
                            {
                                "id": "crl_distribution_points",
                                "smart-value": {
                                    "schema": "crl-dist-url",
                                    "params": {"crl-repo-names": ["root"]},
                                },
                            },
                        ],
                    },
                },
                "services": {
                    "crl-repo": {
                        "root": {
                            "for-issuer": "root",
                            "signing-key": "root",
                            "simulated-update-schedule": "P90D",
                        }
                    },
                    "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}},
                },
            }
        },
    }


@contextmanager
def local_tsa(directory: Path) -> Iterator[LocalTsa]:
    """Serve a Certomancer TSA (and its CRL) over HTTP on 127.0.0.1 while the block runs."""
    for name in ("root", "tsa"):
        _write_key(directory / f"{name}.key.pem")
    served: dict[str, Animator] = {}
    server = make_server("127.0.0.1", 0, lambda env, start: served["app"](env, start))
    prefix = f"http://127.0.0.1:{server.server_port}"
    config = CertomancerConfig(
        _architecture(directory), key_search_dir=str(directory), external_url_prefix=prefix
    )
    served["app"] = Animator(AnimatorArchStore(config.pki_archs), with_web_ui=False)
    root_pem = directory / "root.cert.pem"
    root_pem.write_bytes(
        pem.armor("CERTIFICATE", config.get_pki_arch(ARCH).get_cert("root").dump())
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LocalTsa(url=f"{prefix}/{ARCH}/tsa/tsa", root_pem=root_pem)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
