"""The order service: one package per capability, each with the same inside (``domain`` rules,
``repository`` + ``tables`` storage, ``handlers`` use cases, ``convert`` + ``rpcs`` the gRPC
adapter). ``orders`` is the base the others build on; ``payments`` and ``fulfillment`` build on
it, ``returns`` on both, ``opening`` (OpenOrder) on all three; ``views`` reads a whole order from
every part, and ``server`` composes the RPCs."""
