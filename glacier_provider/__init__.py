"""The Glacier Terminus Processing provider, its settings and the engine runner."""
