/// The `Reactor` module. See Docs/ARCHITECTURE.md.
public enum ReactorModule {}
