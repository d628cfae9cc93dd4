"""What several workflows share, below all of them: the activities that note an event on an
order's timeline and send a notification, and their payloads. It imports no workflow package."""
