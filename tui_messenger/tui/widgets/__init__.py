"""Widgets: they only display and post messages; they never reach the store, services or network."""
