"""The Textual dashboard. Importing this package is cheap; textual is imported by `app`."""
