from services.common.server import run_service
from services.common.settings import load
from services.orders.config import OrdersSettings
from services.orders.server import create_server

if __name__ == "__main__":
    run_service("orders", load(OrdersSettings, "orders"), create_server)
