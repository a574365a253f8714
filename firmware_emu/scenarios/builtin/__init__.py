"""Built-in scenario files (``*.toml``), shipped as package data."""
