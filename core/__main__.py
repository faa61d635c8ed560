"""``python -m glacier_terminus.core``."""
import sys

from .engine.cli import main

sys.exit(main())
