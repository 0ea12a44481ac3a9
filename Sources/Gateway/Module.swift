/// The `Gateway` module. See Docs/ARCHITECTURE.md.
public enum GatewayModule {}
