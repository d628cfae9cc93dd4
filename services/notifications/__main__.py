from services.common.server import run_service
from services.common.settings import load
from services.notifications.config import NotificationsSettings
from services.notifications.server import create_server

if __name__ == "__main__":
    run_service("notifications", load(NotificationsSettings, "notifications"), create_server)
