"""The indicator engine: IP records in, every plan indicator out, as of any date. Never imports Django."""
