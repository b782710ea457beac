"""The ``tinygrad-edu`` command. Subcommands: ``tour`` (the default)."""
from __future__ import annotations

import argparse
import sys


def _tour(args) -> int:
    from .tour import neuron_walkthrough
    print("\n".join(neuron_walkthrough()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tinygrad-edu",
        description="Learn how neural networks are trained: step through backprop, "
                    "draw graphs, check gradients.")
    sub = parser.add_subparsers(dest="command")
    tour = sub.add_parser("tour", help="the guided tour (default)",
                          description="A guided tour: one neuron, forward and backward.")
    tour.add_argument("--auto", action="store_true", help="never wait for keys")
    tour.set_defaults(func=_tour)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["tour", *(argv or sys.argv[1:])])
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
