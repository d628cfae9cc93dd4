"""The inventory service: one package per capability, each with the same inside (``domain``
rules, ``validation`` of requests, storage, ``convert`` + ``rpcs`` the gRPC adapter). ``stock``
is the base (products, levels, movements and the updates that keep their invariants);
``reservations`` builds on it, ``transfers`` and ``shelf`` on both; ``server`` composes the RPCs
and gives the reservations the way to cancel their transfers."""
