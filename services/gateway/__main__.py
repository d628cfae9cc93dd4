from services.common.codec import require_keys
from services.common.server import run_service
from services.common.settings import load
from services.gateway.config import GatewaySettings
from services.gateway.server import create_server

if __name__ == "__main__":
    settings = load(GatewaySettings, "gateway")
    require_keys("gateway", settings.codec, settings.development)
    run_service("gateway", settings, create_server)
