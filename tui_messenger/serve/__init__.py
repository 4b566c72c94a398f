"""`tui-messenger serve`: the messenger in a browser tab, through textual-serve.

The server (`server.py`) runs no app itself: each browser tab's websocket starts one app process
(`sessions.py`) that draws into the tab's terminal. Nothing here imports the app's own packages; it starts
`python -m tui_messenger` with the options the user gave `serve`.
"""
