"""One module per CLI command: ``add_parser(subparsers)`` (argparse only) and ``run(args)``."""
