"""`python -m dispatch_gen` runs the command line."""
from .cli import main

main()
