"""Training a segmentation network: the trainer, its data, loss, augmentation, checkpoints, metrics and report."""
