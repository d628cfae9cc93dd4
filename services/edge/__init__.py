"""The edge: Envoy in front of the public gateway, for browsers and web shops. It serves the
store app's files, gRPC-Web to the public services and JSON over HTTP for the checkout API
(google.api.http rules), with CORS, a request size limit and a JSON access log. Its
configuration is built here from EdgeSettings, the same way on a laptop and in production."""
