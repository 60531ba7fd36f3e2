"""dialog360: a Python client for the 360dialog WhatsApp Business Messaging API."""
