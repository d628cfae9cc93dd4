"""What an order keeps and decides about operations' actions (force_cancel, reroute,
resend_notification, unlock) and transfers that never arrive: `log` (the order's own record of
them, one field of its progress) and `rules` (plain rules, unit-tested). The update validators
are in ../operations_checks.py; the steps that act in ../steps/operations.py, reroute.py and
lost_transfer.py."""
