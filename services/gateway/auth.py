"""Signed bearer tokens (JWT, HS256): who is calling, and what they may touch.

Roles: ``customer`` (sub = customer id), ``store`` (a terminal; claim ``store_id`` binds it to one
store), ``ops`` (operations: may act on any order).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import jwt
from jwt.exceptions import InvalidSubjectError

from services.common.errors import PermissionDenied, Unauthenticated
from services.common.server import Context
from services.common.timeconv import utcnow
from services.gateway.domain import Principal, Role, principal_problem
from services.gateway.keys import KeyRing

if TYPE_CHECKING:
    from services.gateway.config import GatewaySettings

__all__ = ["KeyRing", "Principal", "Role", "TokenAuthority"]

DEFAULT_MAX_LIFETIME = timedelta(days=30)
# Every token carries these (the names said when one is missing).
REQUIRED_CLAIMS = {
    "sub": "subject (sub)",
    "role": "role",
    "iss": "issuer (iss)",
    "iat": "issue time (iat)",
    "exp": "expiry (exp)",
}
# Why a token is not valid, by the library's exception (the first that matches).
REFUSALS: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (jwt.InvalidSignatureError, "bad signature"),
    (jwt.InvalidAlgorithmError, "not signed with HS256"),
    (jwt.DecodeError, "malformed"),
    (jwt.InvalidIssuerError, "issued by someone else"),
    (jwt.ImmatureSignatureError, "issued in the future"),
    (jwt.InvalidIssuedAtError, "malformed"),
    (InvalidSubjectError, "malformed"),
)


class TokenAuthority:
    def __init__(
        self,
        keys: KeyRing,
        issuer: str,
        max_lifetimes: Mapping[Role, timedelta] | None = None,
    ) -> None:
        self.keys = keys
        self.issuer = issuer
        self.max_lifetimes = {role: DEFAULT_MAX_LIFETIME for role in Role}
        self.max_lifetimes.update(max_lifetimes or {})

    @classmethod
    def of(cls, settings: GatewaySettings) -> TokenAuthority:
        return cls(settings.key_ring(), settings.jwt_issuer, settings.token_max_lifetimes())

    def issue(
        self, role: Role, subject: str, store_id: str = "", ttl: timedelta | None = None
    ) -> str:
        """A token signed with the signing key, valid for `ttl` (the role's longest by default);
        ValueError when the principal could never act (see verify) or `ttl` is too long."""
        problem = principal_problem(Principal(role, subject, store_id))
        longest = self.max_lifetimes[role]
        if ttl is not None and ttl > longest:
            problem = problem or _too_long(role, longest)
        if problem:
            raise ValueError(problem)
        now = utcnow().replace(microsecond=0)
        claims = {
            "sub": subject,
            "role": role.value,
            "iss": self.issuer,
            "iat": now,
            "exp": now + (longest if ttl is None else ttl),
        }
        if store_id:
            claims["store_id"] = store_id
        signing = self.keys.signing_secret
        return jwt.encode(claims, signing, algorithm="HS256", headers={"kid": self.keys.signing_id})

    def verify(self, token: str) -> Principal:
        claims = self._claims(token)
        try:
            role = Role(claims["role"])
        except ValueError:
            raise Unauthenticated("TOKEN_INVALID", "the token names an unknown role") from None
        longest = self.max_lifetimes[role]
        if int(claims["exp"]) - int(claims["iat"]) > longest.total_seconds():
            raise _invalid(_too_long(role, longest))
        principal = Principal(role, str(claims["sub"]), str(claims.get("store_id", "")))
        problem = principal_problem(principal)
        if problem:
            raise Unauthenticated("TOKEN_INVALID", problem)
        return principal

    def _claims(self, token: str) -> dict[str, Any]:
        """The claims of a token signed by one of our keys, by our issuer, not expired; the
        refusal says why in our words (never the library's)."""
        try:
            secret = self.keys.secret_for(jwt.get_unverified_header(token).get("kid"))
            if secret is None:
                raise _invalid("signed with a key this gateway does not have")
            return jwt.decode(
                token,
                secret,
                algorithms=["HS256"],
                issuer=self.issuer,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("TOKEN_EXPIRED", "the token has expired") from None
        except jwt.MissingRequiredClaimError as missing:
            claim = REQUIRED_CLAIMS.get(missing.claim, "a claim")
            raise _invalid(f"it has no {claim}") from None
        except jwt.PyJWTError as error:
            why = next((why for kind, why in REFUSALS if isinstance(error, kind)), "")
            raise _invalid(why) from None

    def authenticate(self, context: Context, *roles: Role) -> Principal:
        """The caller, from `authorization: Bearer <jwt>`; PERMISSION_DENIED for other roles."""
        scheme, _, token = _authorization(context).partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("TOKEN_MISSING", "send metadata 'authorization: Bearer <token>'")
        principal = self.verify(token.strip())
        if roles and principal.role not in roles:
            raise PermissionDenied(
                "ROLE_NOT_ALLOWED",
                f"a {principal.role.value} token cannot call this method",
                {"role": principal.role.value},
            )
        return principal

    def refuse_bad_token(self, context: Context) -> None:
        """For a method anyone may call: no token is fine, a token sent must be valid."""
        if _authorization(context).strip():
            self.authenticate(context)


def _invalid(why: str) -> Unauthenticated:
    sentence = f"the token is not valid: {why}" if why else "the token is not valid"
    return Unauthenticated("TOKEN_INVALID", sentence)


def _too_long(role: Role, longest: timedelta) -> str:
    article = "an" if role.value[0] in "aeiou" else "a"
    if longest % timedelta(days=1):
        most = f"{longest.total_seconds() / 3600:g} hours"
    else:
        most = "1 day" if longest.days == 1 else f"{longest.days} days"
    return f"{article} {role.value} token is valid for at most {most}"


def _authorization(context: Context) -> str:
    """The call's `authorization` metadata ("" when none was sent)."""
    return str(dict(context.invocation_metadata() or ()).get("authorization", ""))
