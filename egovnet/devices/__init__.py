"""egovnet.devices: talking to devices — one CLI session per device, driven by per-dialect data."""
