from services.common.server import run_service
from services.common.settings import load
from services.stores.config import StoresSettings
from services.stores.server import create_server

if __name__ == "__main__":
    run_service("stores", load(StoresSettings, "stores"), create_server)
