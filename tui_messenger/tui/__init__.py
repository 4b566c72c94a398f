"""The Textual app: screens as controllers, widgets that only display and post messages."""
