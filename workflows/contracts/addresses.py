"""A location's postal address on one line, as a message shows it to a customer."""

from __future__ import annotations

from clickcollect.stores.v1 import stores_pb2

# Countries that write the town before the postal code ("London SW1A 1AA").
_TOWN_FIRST = frozenset({"GB", "US", "CA", "AU", "IE"})


def one_line(address: stores_pb2.Address) -> str:
    """ "Stationsplein 12, 1012 AB Amsterdam"; empty when the location has no address."""
    line1, city, code = address.line1.strip(), address.city.strip(), address.postal_code.strip()
    town = [city, code] if address.country_code.upper() in _TOWN_FIRST else [code, city]
    parts = [line1, " ".join(part for part in town if part)]
    return ", ".join(part for part in parts if part)
