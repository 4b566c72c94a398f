"""Matrix: a local homeserver for demos and tests, and (on matrix-nio) accounts and the client.

Nothing here imports nio at import time: `import nio` costs 0.3-0.7 s, which the first frame must not pay.
"""
