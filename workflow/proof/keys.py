"""The Ed25519 key that signs checkpoints, kept outside the database.

Production sets AUDIT_CHECKPOINT_KEY (the PEM text, from a secret store) or
AUDIT_CHECKPOINT_KEY_FILE (a PEM file readable by the service only). With neither,
development generates a key file on first use under var/keys/ (git-ignored);
`manage.py check --deploy` refuses that (workflow.checks).
"""

from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings

from workflow.keyfiles import development_key_file


class KeyProblem(Exception):
    """The configured checkpoint key cannot be used."""


DEV_KEY_NAME = "checkpoint-ed25519.pem"


def is_configured() -> bool:
    """Whether a key was chosen on purpose (not the generated development key)."""
    return bool(settings.AUDIT_CHECKPOINT_KEY or settings.AUDIT_CHECKPOINT_KEY_FILE)


def signing_key() -> Ed25519PrivateKey:
    if settings.AUDIT_CHECKPOINT_KEY:
        return _parse(settings.AUDIT_CHECKPOINT_KEY.encode(), "AUDIT_CHECKPOINT_KEY")
    if settings.AUDIT_CHECKPOINT_KEY_FILE:
        path = Path(settings.AUDIT_CHECKPOINT_KEY_FILE)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise KeyProblem(
                f"AUDIT_CHECKPOINT_KEY_FILE {path} cannot be read: {error}"
            ) from None
        return _parse(data, str(path))
    return _dev_key()


def public_key_hex(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    return key.public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    ).hex()


def trusted_public_keys() -> set[str]:
    """Keys whose checkpoints verify_audit accepts: today's and earlier ones
    (AUDIT_CHECKPOINT_TRUSTED_KEYS, after a key change)."""
    keys = {k.lower() for k in settings.AUDIT_CHECKPOINT_TRUSTED_KEYS}
    keys.add(public_key_hex(signing_key()))
    return keys


def signature_is_valid(public_hex: str, signature_hex: str, message: bytes) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))
        key.verify(bytes.fromhex(signature_hex), message)
    except (ValueError, InvalidSignature):
        return False
    return True


def _parse(data: bytes, where: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as error:
        raise KeyProblem(f"{where} is not a PEM private key: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyProblem(f"{where} is not an Ed25519 key.")
    return key


def _dev_key() -> Ed25519PrivateKey:
    path = development_key_file(DEV_KEY_NAME, _new_key_pem)
    return _parse(path.read_bytes(), str(path))


def _new_key_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
