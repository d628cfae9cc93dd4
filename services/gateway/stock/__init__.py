"""Stock views through the gateway: a store associate's stock lookup (StoreOpsService.LookupStock)
and a shopper's availability per store (CheckoutService.GetAvailability). ``rules`` holds the
pure checks and statuses, ``promises`` asks the router when stock could be at a store, ``views``
makes the public messages."""
