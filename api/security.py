"""API keys: ``pfk.<key id>.<secret>``, shown once; only a SHA-256 of the secret is stored.

The secret has 256 bits of entropy, so a fast hash is enough (a slow password hash protects guessable
secrets, which these are not); comparison is constant-time.
"""
import hashlib
import hmac
import secrets

PREFIX = "pfk"


def new_id(prefix: str) -> str:
    """A random, URL-safe, pseudonymous identifier such as ``p_3f9c1a2b7d4e5f60``."""
    return f"{prefix}_{secrets.token_hex(8)}"


def new_key(key_id: str) -> tuple[str, str]:
    """Return (the full key to show once, the hash to store)."""
    secret = secrets.token_urlsafe(32)
    return f"{PREFIX}.{key_id}.{secret}", hash_secret(secret)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split_key(presented: str) -> tuple[str, str] | None:
    """Parse a presented key into (key id, secret); None when it is not shaped like one of ours."""
    parts = presented.strip().split(".")
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)
