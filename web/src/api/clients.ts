// The public gateway over gRPC-Web, from the same origin that serves the app (the edge).
import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { CheckoutService } from "../gen/clickcollect/gateway/v1/checkout_pb";
import { StoreOpsService } from "../gen/clickcollect/gateway/v1/store_ops_pb";
import { token } from "../app/session";

// Each call gives up after this long (the gateway waits up to ~20 s for a busy workflow).
const CALL_TIMEOUT_MS = 30_000;

const bearer: Interceptor = (next) => async (request) => {
  const value = token();
  if (value) request.header.set("authorization", `Bearer ${value}`);
  return next(request);
};

const transport = createGrpcWebTransport({
  baseUrl: window.location.origin,
  interceptors: [bearer],
  defaultTimeoutMs: CALL_TIMEOUT_MS,
});

// The customer's side of a payment link: no token at all, even on a terminal that is signed
// in (the link's code is the credential, and a token sent must be valid).
const anonymousTransport = createGrpcWebTransport({
  baseUrl: window.location.origin,
  defaultTimeoutMs: CALL_TIMEOUT_MS,
});

export const storeOps: Client<typeof StoreOpsService> = createClient(StoreOpsService, transport);
export const paymentLinks: Client<typeof CheckoutService> = createClient(CheckoutService, anonymousTransport);
