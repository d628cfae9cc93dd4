"""Orders themselves: the state machine, lines and totals, the timeline, and the RPCs that
create, move, read and list orders; what upgrading an older database fills in (``upgrade``)."""
