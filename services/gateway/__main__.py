from services.common.server import run_service
from services.common.settings import load
from services.gateway.config import GatewaySettings
from services.gateway.server import create_server

if __name__ == "__main__":
    run_service("gateway", load(GatewaySettings, "gateway"), create_server)
