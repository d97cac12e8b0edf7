"""Write a synthetic book of ``N`` clients as Parquet parts by client range (#22 item 6).

The book is drawn in chunks of ``--chunk`` clients with `lendcrm.synthetic.generate_frames`
(chunk ``k`` with seed ``seed + k``), so memory stays that of one chunk whatever ``N``.
Each chunk's ids get the chunk's number after their one-letter prefix (``C0000001`` of
chunk 3 becomes ``C00030000001``, ``F000000001`` becomes ``F0003000000001``, and so on
for every id column), so the chunks' ids are disjoint and every reference stays inside
its chunk: a chunk is a closed part of whole clients, and the parts' client ids
ascend (known divisions).

Layout, one directory per frame and one file per part::

    OUT/manifest.json                 # clients, parts, as_of, periods, seed, divisions
    OUT/clients/part-00000.parquet    # part 0's clients
    OUT/facilities/part-00000.parquet
    ...                               # every `BookFrames` frame, and signals/

``manifest.json`` also holds, per part, the rows of every frame and the row offset of
the part's first row in the whole book, so a reader can give each part's rows their
labels in the whole book (``RangeIndex(offset, offset + rows)``): errors raised inside
a part then name book-wide row labels.

Run: ``python benchmarks/make_scale_book.py OUT [--clients N] [--chunk C] [--periods P]
[--seed S] [--distinct D]`` (defaults: 10,000,000 clients, chunks of 250,000, 13
periods, seed 0, every chunk drawn). ``--distinct D`` draws only ``D`` chunks and
writes chunk ``k`` as drawn chunk ``k mod D`` under chunk ``k``'s ids: the same work
per client for the benchmark, at the cost of drawing ``D`` chunks instead of all
(drawing is most of the time: about 6 s per 100,000 clients on an idle core).
The library itself opens no file; this script does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import time
from pathlib import Path

import attrs
import pandas as pd

from lendcrm.frames import BookFrames
from lendcrm.frames import columns as schema
from lendcrm.synthetic import generate_frames

AS_OF = dt.date(2025, 12, 31)
#: Id columns whose value is a one-letter prefix and digits (possibly a suffix).
PREFIXED = (
    schema.CLIENT_ID,
    schema.PARENT_ID,
    schema.FACILITY_ID,
    schema.PROJECT_ID,
    schema.ASSET_ID,
    schema.GUARANTOR_ID,
    schema.SPONSOR_ID,
    schema.REFEREE_ID,
    schema.CONTACT_ID,
)
FRAMES = tuple(f.name for f in attrs.fields(BookFrames))


def tag_ids(frame: pd.DataFrame, tag: str) -> pd.DataFrame:
    """The frame with the chunk's ``tag`` written after each id's prefix letter."""
    out = frame.copy(deep=False)
    for column in PREFIXED:
        if column in out.columns:
            s = out[column]
            out[column] = s.str.slice(0, 1) + tag + s.str.slice(1)
    if schema.CONTACT_IDS in out.columns:  # a list of contact ids in one text
        # every "C" in it starts a contact id ("C0000001-K1;C0000002-K2")
        out[schema.CONTACT_IDS] = out[schema.CONTACT_IDS].str.replace(
            "C", "C" + tag, regex=False
        )
    return out


def draw(size: int, *, seed: int, periods: int) -> dict[str, pd.DataFrame]:
    """One chunk's frames (every `BookFrames` frame and ``signals``)."""
    syn = generate_frames(size, seed=seed, as_of=AS_OF, periods=periods)
    book = syn.book_frames()
    frames = {name: getattr(book, name) for name in FRAMES}
    frames["signals"] = syn.signals
    return frames


def write_chunk(
    root: Path, k: int, frames: dict[str, pd.DataFrame]
) -> dict[str, object]:
    """Write chunk ``k``'s frames with its ids tagged; return its rows per frame."""
    tag = f"{k:04d}"
    rows: dict[str, int] = {}
    first = last = ""
    for name, frame in frames.items():
        tagged = tag_ids(frame, tag)
        if name == "clients":
            first = str(tagged[schema.CLIENT_ID].iloc[0])
            last = str(tagged[schema.CLIENT_ID].iloc[-1])
        (root / name).mkdir(parents=True, exist_ok=True)
        tagged.to_parquet(root / name / f"part-{k:05d}.parquet", index=False)
        rows[name] = len(tagged)
    return {"first": first, "last": last, "rows": rows}


def main(argv: list[str] | None = None) -> None:
    """Write the book; print one line per chunk and the totals."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path)
    p.add_argument("--clients", type=int, default=10_000_000)
    p.add_argument("--chunk", type=int, default=250_000)
    p.add_argument("--periods", type=int, default=13)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--distinct",
        type=int,
        default=0,
        help="draw only this many chunks and write chunk k as drawn chunk k mod D "
        "with chunk k's ids (0: draw every chunk); for a large book on a busy machine",
    )
    args = p.parse_args(argv)
    if args.clients < 1 or args.chunk < 1 or args.chunk > 10_000_000:
        p.error("--clients must be >= 1 and --chunk from 1 to 10,000,000")
    root: Path = args.out
    root.mkdir(parents=True, exist_ok=True)
    sizes = [args.chunk] * (args.clients // args.chunk)
    if args.clients % args.chunk:
        sizes.append(args.clients % args.chunk)
    if len(sizes) > 10_000:
        p.error("at most 10,000 chunks (the tag has four digits)")
    start = time.perf_counter()
    parts = []
    offsets = dict.fromkeys((*FRAMES, "signals"), 0)
    drawn: dict[tuple[int, int], dict[str, pd.DataFrame]] = {}
    for k, size in enumerate(sizes):
        key = (k % args.distinct if args.distinct > 0 else k, size)
        frames = drawn.get(key) or draw(
            size, seed=args.seed + key[0], periods=args.periods
        )
        if args.distinct > 0:
            drawn[key] = frames
        part = write_chunk(root, k, frames)
        rows = part["rows"]
        assert isinstance(rows, dict)
        part["offsets"] = dict(offsets)
        for name, n in rows.items():
            offsets[name] += n
        parts.append(part)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"part {k:5d}: {size:,} clients, {rows['facilities']:,} facilities, "
            f"{time.perf_counter() - start:7.1f} s, peak RSS {peak:,.0f} MiB",
            flush=True,
        )
    manifest = {
        "clients": args.clients,
        "chunk": args.chunk,
        "as_of": AS_OF.isoformat(),
        "periods": args.periods,
        "seed": args.seed,
        "distinct": args.distinct,
        "frames": [*FRAMES, "signals"],
        "parts": parts,
        "rows": offsets,
    }
    (root / "manifest.json").write_text(json.dumps(manifest, indent=1))
    size_mb = sum(f.stat().st_size for f in root.rglob("*.parquet")) / 2**20
    print(
        f"{args.clients:,} clients in {len(parts)} parts written to {root} "
        f"({size_mb:,.0f} MiB on disk) in {time.perf_counter() - start:.1f} s"
    )


if __name__ == "__main__":
    main()
