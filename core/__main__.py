"""``python -m glacier_terminus.core``."""
import sys

from .cli import main

sys.exit(main())
