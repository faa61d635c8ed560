"""One light declaration per engine command (its parameters, checked in one place), mirroring algorithms/; no torch."""
