"""The network: the Transport interface, the wire format, the fake peer and its scenarios."""
