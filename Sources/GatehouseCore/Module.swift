/// The `GatehouseCore` module. See Docs/ARCHITECTURE.md.
public enum GatehouseCoreModule {}
