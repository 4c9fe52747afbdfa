"""Real stand-ins for the portal's outside world (SMTP server, SMS gateway) used by tests."""
