"""The bell: notifications, their preferences, and their live delivery."""
