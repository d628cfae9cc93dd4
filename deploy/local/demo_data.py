"""The demo retailer: five stores and a distribution centre in Amsterdam, the lanes between
them, 24 products."""

from __future__ import annotations

from dataclasses import dataclass

TIME_ZONE = "Europe/Amsterdam"
WEEK = [(day, "09:00", "21:00") for day in range(1, 7)] + [(7, "12:00", "18:00")]
NO_SUNDAY = WEEK[:6]
DC_HOURS = [(day, "06:00", "22:00") for day in range(1, 8)]


@dataclass(frozen=True)
class DemoLocation:
    location_id: str
    name: str
    street: str
    postal_code: str
    latitude: float
    longitude: float
    hours: list[tuple[int, str, str]]
    is_dc: bool = False
    # Opening minutes to pick and dispatch a transfer; 0 leaves the service default (120).
    dispatch_minutes: int = 0
    # Store capacity (0 = unlimited): orders picked per opening hour, promised per day.
    orders_per_hour: int = 0
    daily_pickup_limit: int = 0


LOCATIONS = [
    DemoLocation(
        "STORE-001", "Amsterdam Centraal", "Stationsplein 12", "1012 AB", 52.3791, 4.9003, WEEK
    ),
    DemoLocation("STORE-002", "Amsterdam Zuid", "Zuidplein 40", "1077 XV", 52.3389, 4.8730, WEEK),
    DemoLocation(
        "STORE-003", "Amsterdam Oost", "Linnaeusstraat 88", "1093 EK", 52.3600, 4.9270, WEEK
    ),
    # A small, busy store: it picks one order an hour and promises at most eight a day, so each
    # order queued there pushes the next one's ready-by later.
    DemoLocation(
        "STORE-004",
        "Amsterdam West",
        "Jan Evertsenstraat 101",
        "1056 EC",
        52.3710,
        4.8400,
        WEEK,
        orders_per_hour=1,
        daily_pickup_limit=8,
    ),
    DemoLocation(
        "STORE-005", "Amstelveen Stadshart", "Rembrandtweg 3", "1181 GD", 52.3030, 4.8590, NO_SUNDAY
    ),
    DemoLocation(
        "DC-01",
        "Schiphol Distribution Centre",
        "Fokkerweg 300",
        "1438 AN",
        52.2950,
        4.7600,
        DC_HOURS,
        is_dc=True,
        dispatch_minutes=60,
    ),
]

# sku, name, price in cents (EUR), final sale
PRODUCTS = [
    ("TSHIRT-WHT-M", "Organic T-shirt white M", 1999, False),
    ("TSHIRT-WHT-L", "Organic T-shirt white L", 1999, False),
    ("TSHIRT-BLK-M", "Organic T-shirt black M", 1999, False),
    ("JEANS-SLIM-32", "Slim jeans 32/32", 5999, False),
    ("JEANS-REG-34", "Regular jeans 34/32", 5999, False),
    ("HOODIE-GRY-L", "Hoodie grey L", 4999, False),
    ("SNEAKER-RUN-42", "Running sneaker 42", 8999, False),
    ("SNEAKER-RUN-44", "Running sneaker 44", 8999, False),
    ("RAINCOAT-NVY-M", "Raincoat navy M", 7999, False),
    ("SOCKS-5PK", "Socks, 5 pack", 1299, False),
    ("BACKPACK-20L", "Backpack 20 l", 4499, False),
    ("UMBRELLA-CMP", "Compact umbrella", 1599, False),
    ("HEADPHONES-X1", "Wireless headphones X1", 14999, False),
    ("SPEAKER-MINI", "Mini bluetooth speaker", 3999, False),
    ("CHARGER-65W", "USB-C charger 65 W", 3499, False),
    ("CABLE-USBC-2M", "USB-C cable 2 m", 999, False),
    ("MUG-CERAMIC", "Ceramic mug", 899, False),
    ("KETTLE-1L", "Electric kettle 1 l", 2999, False),
    ("LAMP-DESK-01", "Desk lamp", 3999, False),
    ("CANDLE-SET", "Scented candle set", 1999, True),
    ("PLANT-POT-M", "Plant pot M", 1499, False),
    ("TOWEL-BATH", "Bath towel", 1799, False),
    ("GIFT-CARD-25", "Gift card 25 EUR", 2500, True),
    ("YOGA-MAT", "Yoga mat", 2999, False),
]

STORE_IDS = [loc.location_id for loc in LOCATIONS if not loc.is_dc]
DC_ID = "DC-01"
# Amstelveen is off the inner-city van route: transfers to and from it take a day longer.
OUTLYING_STORE = "STORE-005"


def transit_days(source_id: str, destination_id: str) -> int:
    """Whole days on the road: one from the DC and between city stores, two to or from the
    outlying store."""
    if source_id == DC_ID:
        return 1
    return 2 if OUTLYING_STORE in (source_id, destination_id) else 1


# (source, destination, transit days): the DC supplies every store, every store every other.
LANES = [(DC_ID, store, transit_days(DC_ID, store)) for store in STORE_IDS] + [
    (source, destination, transit_days(source, destination))
    for source in STORE_IDS
    for destination in STORE_IDS
    if source != destination
]


def stock_for(location_id: str, sku: str) -> int:
    """Deterministic demo stock: plenty at the DC, a varied shelf in stores, some gaps."""
    if sku == "HEADPHONES-X1":  # scarce: ten units, one store, none at the DC
        return 10 if location_id == "STORE-001" else 0
    if location_id == DC_ID:
        return 500
    if sku == "LAMP-DESK-01":  # only at the DC: ship-to-store material
        return 0
    store_number = int(location_id.split("-")[1])
    sku_number = [p[0] for p in PRODUCTS].index(sku)
    if (store_number + sku_number) % 7 == 0:  # a gap on some shelves
        return 0
    return 5 + (store_number * 3 + sku_number * 5) % 20


def safety_stock_for(location_id: str, sku: str) -> int:
    """Stores keep one unit back (display, damage); the DC and the scarce headphones do not."""
    return 0 if location_id.startswith("DC-") or sku == "HEADPHONES-X1" else 1


@dataclass(frozen=True)
class DemoCustomer:
    """A customer with a profile: reached by e-mail, and by SMS when their order is ready; a
    loyalty card to show at the till."""

    customer_id: str
    email: str
    phone: str
    locale: str
    loyalty_card: str


# The demo customer token's subject (deploy/local/run.py), with a profile.
DEMO_CUSTOMER = DemoCustomer("cust-1001", "ada@example.com", "+31612345678", "en", "LC-1001-0001")
