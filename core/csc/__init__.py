"""CNN-Supervised Classification: an image's own small network trained from a coarse class map, and its report."""
