"""The one contract between the gateway and the workflows: workflow ids, typed references to the
workflows and their updates and queries (`interfaces`), the dataclasses that go in and out
(`orders`, `returns`, `transfers`), the search attributes (`search`), the states in which an order
takes a cancel request (`states`; the order states themselves are one enum shared with the
services, services/common/order_states.py) and the `Refusal` every boundary carries (`refusal`).

Nothing in `services/` imports anything else from `workflows/` (tests/unit/test_import_walls.py
checks it); the workflows import their payload types from here, and a unit test checks that
each real workflow defines every name this package declares with the same input and result
types.

A new update the gateway sends: its input and result dataclasses here, its stub in
`interfaces`, the handler in the real workflow; the gateway calls it as
`commands.update(order_id, OrderWorkflow.<update>, arg, update_id)`. A refusal is raised as
`Refusal(...).error()` (or `workflows.steps.refusal`) and reaches the caller unchanged."""
