"""Transfers: reserved stock shipped from one location to another, created, shipped, received
or cancelled."""
