"""`python -m dialog360`: the command line (see `dialog360 --help`)."""

from dialog360.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
