"""One module per area of the main window."""
