"""Plain-Python rules of the services module (no Django): service guides and application time limits."""
