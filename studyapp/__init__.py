"""studyapp: a terminal study app for deep-learning course notes."""

__version__ = "0.1.0"
