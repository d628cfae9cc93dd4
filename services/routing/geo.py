"""Distances on the globe: how far apart two points are, and the box around a circle (pure)."""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle (haversine) distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lng: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) enclosing the circle; longitudes span everything
    near the poles or across the antimeridian."""
    d_lat = math.degrees(radius_km / EARTH_RADIUS_KM)
    min_lat, max_lat = max(-90.0, lat - d_lat), min(90.0, lat + d_lat)
    if min_lat <= -89.0 or max_lat >= 89.0:
        return min_lat, max_lat, -180.0, 180.0
    widest = math.cos(math.radians(max(abs(min_lat), abs(max_lat))))
    d_lng = math.degrees(radius_km / (EARTH_RADIUS_KM * widest))
    if lng - d_lng < -180 or lng + d_lng > 180:
        return min_lat, max_lat, -180.0, 180.0
    return min_lat, max_lat, lng - d_lng, lng + d_lng
