/// The `HTTP1` module. See Docs/ARCHITECTURE.md.
public enum HTTP1Module {}
