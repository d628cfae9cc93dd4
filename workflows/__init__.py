"""The Temporal workflows and their activities, in layers that import only downwards:

- `contracts`: what the gateway and the workflows share (ids, payloads, states, refusals);
- `calls`, `steps`, `config`: plumbing of every workflow and activity;
- `shared`: the activities every workflow calls (timeline events, notifications), then
  `ignored_cancels`, which notes cancel requests on the timeline;
- `ship_to_store`, `returns`: workflows of their own;
- `order` (starts ShipToStore children), then `store_sale` (a till sale records an order);
- `worker`: registers them all.

tests/unit/test_import_walls.py fails on any import loop between modules or packages."""
