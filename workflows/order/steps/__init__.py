"""The order workflow's steps: plain functions that take the order's `OrderProgress`
(../progress.py) and run activities, timers and waits in workflow code (deterministic, replay-
safe). `base`: versions, transitions, records, notifications; `checkout`: opening the order;
`lifecycle`: its life after opening; `routing`: transfers and re-routes; `short_pick` and
`handover`: the store's work and the counter; `operations`, `reroute` and `lost_transfer`:
operations' actions from the Temporal UI and transfers that never arrive."""
