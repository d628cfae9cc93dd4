from services.common.server import run_service
from services.inventory.config import InventorySettings
from services.inventory.server import create_server

if __name__ == "__main__":
    run_service("inventory", InventorySettings(), create_server)
