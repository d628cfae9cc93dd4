"""How an order is fulfilled: the route recorded for it, cancelled units, and the shipments that
bring stock to the pickup store."""
