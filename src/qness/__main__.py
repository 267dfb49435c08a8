"""``python -m qness`` is the ``qness`` command line."""

from .cli import main

main(prog_name="qness")
