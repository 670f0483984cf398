"""ABI and bytecode JSON written by contracts/build.js (committed)."""

__all__: list[str] = []
