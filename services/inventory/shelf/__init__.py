"""The shelf: returns received and till sales, stock that reaches or leaves the shelf without a
reservation."""
