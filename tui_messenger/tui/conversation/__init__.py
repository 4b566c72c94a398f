"""The open chat: the pane (`pane.py`) and the small controllers it owns, one per kind of behaviour
(editing, drafts, choices, account, find, files, reactions, links, export, the message menu).

Controllers are plain classes built by the pane with what they need (`Controller`): the pane's messages
are handled in the pane and delegated to them. Nothing here is imported before the first frame: the
main screen loads the pane just after it (see `screens/main.py`)."""
