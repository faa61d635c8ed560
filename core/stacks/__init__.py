"""Stacks of dated scenes: every scene's front in one run (resumable, in shards), merged into one layer."""
