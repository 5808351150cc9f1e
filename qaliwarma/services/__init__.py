"""One module per capability. A service opens a unit of work, does one thing, returns plain results."""
