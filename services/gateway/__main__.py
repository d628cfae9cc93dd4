from services.common.server import run_service
from services.gateway.config import GatewaySettings
from services.gateway.server import create_server

if __name__ == "__main__":
    run_service("gateway", GatewaySettings(), create_server)
