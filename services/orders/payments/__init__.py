"""Money: the payment ledger's rules (``domain``), the providers that move the money, and the
RPCs that authorize, capture, reduce, void, re-authorize and refund."""
