"""The work plan as plain data: its file format and the status rules. Never imports Django."""
