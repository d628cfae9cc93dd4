"""The order workflow's activities: thin gRPC calls to the services, each with a deadline and a
request_id derived from the workflow id and the step (`order`: record, notify, pickup times;
`checkout`: the one-step checkout; `payment`, `routing`, `short_pick`), their payloads
(`types`, `route_types`) and the order records they send (`records`). Activity names are the
method names: moving a method between modules or classes keeps its name in every history."""
