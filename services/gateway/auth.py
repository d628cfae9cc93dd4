"""Signed bearer tokens (JWT, HS256): who is calling, and what they may touch.

Roles: ``customer`` (sub = customer id), ``store`` (a terminal; claim ``store_id`` binds it to one
store), ``ops`` (operations: may act on any order).
"""

from __future__ import annotations

from datetime import timedelta

import jwt

from services.common.errors import PermissionDenied, Unauthenticated
from services.common.server import Context
from services.common.timeconv import utcnow
from services.gateway.domain import Principal, Role, principal_problem

__all__ = ["Principal", "Role", "TokenAuthority"]


class TokenAuthority:
    def __init__(self, secret: str, issuer: str) -> None:
        self.secret = secret
        self.issuer = issuer

    def issue(
        self, role: Role, subject: str, store_id: str = "", ttl: timedelta = timedelta(days=30)
    ) -> str:
        """A signed token; ValueError when the principal could never act (see verify)."""
        problem = principal_problem(Principal(role, subject, store_id))
        if problem:
            raise ValueError(problem)
        now = utcnow()
        claims = {
            "sub": subject,
            "role": role.value,
            "iss": self.issuer,
            "iat": now,
            "exp": now + ttl,
        }
        if store_id:
            claims["store_id"] = store_id
        return jwt.encode(claims, self.secret, algorithm="HS256")

    def verify(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=["HS256"],
                issuer=self.issuer,
                options={"require": ["sub", "role", "exp", "iss"]},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("TOKEN_EXPIRED", "the token has expired") from None
        except jwt.PyJWTError as error:
            raise Unauthenticated("TOKEN_INVALID", f"the token is not valid: {error}") from None
        try:
            role = Role(claims["role"])
        except ValueError:
            raise Unauthenticated("TOKEN_INVALID", "the token names an unknown role") from None
        principal = Principal(role, str(claims["sub"]), str(claims.get("store_id", "")))
        problem = principal_problem(principal)
        if problem:
            raise Unauthenticated("TOKEN_INVALID", problem)
        return principal

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


def _authorization(context: Context) -> str:
    """The call's `authorization` metadata ("" when none was sent)."""
    return str(dict(context.invocation_metadata() or ()).get("authorization", ""))
