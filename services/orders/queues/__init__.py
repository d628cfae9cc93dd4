"""Store queues: how many orders each store has accepted and not yet picked (store capacity)."""
