/// The `GatehouseTestSupport` module. See Docs/ARCHITECTURE.md.
public enum GatehouseTestSupportModule {}
