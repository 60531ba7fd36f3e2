"""Build spec/openapi.json from the published docs pages and our overlays, then the client."""
