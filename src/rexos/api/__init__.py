"""The HTTP edge: a FastAPI app over the same chat session as ``rexos chat``."""

__all__: list[str] = []
