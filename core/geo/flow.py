"""Which way a glacier flows in a raster, and the quarter turns from one way to another."""
from __future__ import annotations

#: The ways a glacier can flow in a raster, anticlockwise from east as a north-up raster shows them.
DIRECTIONS = ("right", "up", "left", "down")
#: Classify Pixels' FLOW: as in the model's training scenes (no turning), or one of DIRECTIONS.
AS_TRAINED = "as_trained"
FLOWS = (AS_TRAINED, "down", "right", "up", "left")


def turns_between(flow: str, to: str) -> int:
    """``torch.rot90``'s ``k`` (0 to 3, over the row and column axes) that turns a raster whose
    glacier flows ``flow`` into one where it flows ``to``."""
    return (DIRECTIONS.index(to) - DIRECTIONS.index(flow)) % 4
