"""What a user's authenticator app does with the key it was given."""

import base64
import time

from django_otp.oath import TOTP

STEP_SECONDS = 30
DIGITS = 6


class AuthenticatorApp:
    """Shows 6-digit codes from a base32 key, as Microsoft Authenticator would.

    A code is accepted once: the service refuses a code from a time step it has already seen.
    A real user who signs in twice within 30 seconds waits for the next code, so `code()` never
    gives the same step twice; it gives the next step's code instead, which the service accepts
    as clock drift of one step.
    """

    def __init__(self, key: bytes):
        self.key = key
        self._last_step: int | None = None

    @classmethod
    def from_secret(cls, secret: str) -> "AuthenticatorApp":
        """The key as a user types it: base32, in blocks, without padding."""
        compact = "".join(secret.split()).upper()
        return cls(base64.b32decode(compact + "=" * (-len(compact) % 8)))

    def code(self) -> str:
        step = int(time.time()) // STEP_SECONDS
        if self._last_step is not None:
            step = max(step, self._last_step + 1)
        self._last_step = step
        totp = TOTP(self.key, step=STEP_SECONDS, digits=DIGITS)
        totp.time = step * STEP_SECONDS
        return f"{totp.token():0{DIGITS}d}"
