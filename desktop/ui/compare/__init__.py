"""The Compare page: one prompt under several configurations, side by side."""
