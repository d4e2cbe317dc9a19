"""driftline: keep deployed ML models fresh from inside the data warehouse."""

from .config import ConfigError, Monitor, load_monitors

__version__ = "0.1.0"
__all__ = ["ConfigError", "Monitor", "load_monitors", "__version__"]
