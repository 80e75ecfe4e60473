"""The two screen sizes the browser tests use: a laptop and a phone."""

from playwright.sync_api import ViewportSize

DESKTOP = ViewportSize(width=1280, height=900)
PHONE = ViewportSize(width=390, height=844)
