"""Customer profiles: how to reach a customer, how they want to be told, and the identities that
lead to them (CustomerService)."""
