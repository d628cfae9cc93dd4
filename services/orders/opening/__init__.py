"""OpenOrder: an order recorded, routed, its payment authorized and its first state set, in one
transaction."""
