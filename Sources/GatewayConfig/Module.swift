/// The `GatewayConfig` module. See Docs/ARCHITECTURE.md.
public enum GatewayConfigModule {}
