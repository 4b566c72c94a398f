"""The domain: plain dataclasses, enums and pure rules. Standard library only."""
