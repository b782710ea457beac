"""``python -m tinygrad_edu``: the same as the ``tinygrad-edu`` command."""
import sys

from .cli import main

sys.exit(main())
