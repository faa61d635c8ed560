"""The engine's boundary: the command line and job files (cli), the JSON-lines protocol, the run's file-path rules."""
