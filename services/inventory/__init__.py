"""The inventory service: one package per capability, each with the same inside (``domain``
rules, ``validation`` of requests, storage, ``convert`` + ``rpcs`` the gRPC adapter). ``stock``
is the base (products, levels, movements, the tables and their invariants); ``reservations``,
``shelf`` and ``transfers`` build on it, transfers also on reservations; ``server`` composes the
RPCs."""
