"""The lendcrm tour: what the library does, end to end, on a synthetic book.

Run with `make demo`. Later capabilities extend this script.
"""

from __future__ import annotations

from lendcrm import Money


def main() -> None:
    """Print the tour."""
    fee = Money.of("12500.00", "EUR")
    print("lendcrm tour")
    print(f"An arrangement fee: {fee}; rounded half-even: {fee.rounded()}")


if __name__ == "__main__":
    main()
