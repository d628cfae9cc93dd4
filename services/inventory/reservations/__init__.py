"""Reservations: stock held for an order or a checkout hold (all lines or none), settled when
released or committed, holds converted or expired, and units taken out of a line."""
