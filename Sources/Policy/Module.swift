/// The `Policy` module. See Docs/ARCHITECTURE.md.
public enum PolicyModule {}
