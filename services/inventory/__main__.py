from services.common.server import run_service
from services.common.settings import load
from services.inventory.config import InventorySettings
from services.inventory.server import create_server

if __name__ == "__main__":
    run_service("inventory", load(InventorySettings, "inventory"), create_server)
