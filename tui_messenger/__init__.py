"""tui-messenger: a WhatsApp-like messenger in the terminal."""

__version__ = "0.1.0"
