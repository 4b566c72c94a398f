"""The app's screens. `main.py`: the chat list, the open chat and the app-wide dialogs."""
