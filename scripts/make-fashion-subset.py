#!/usr/bin/python3
"""Makes the small Fashion-MNIST subset embedded in Myelin's examples.

Deterministic and class-balanced: for each split it keeps the first N/10 examples of every
class in the original file order, and writes them (in that order) in the same IDX format and
file names, gzip level 9 with a zero timestamp so that reruns give identical bytes.
Standard library only.

  scripts/make-fashion-subset.py [--src DIR] [--out DIR] [--train N] [--test N]
"""
import argparse
import gzip
import os
import struct

CLASSES = 10
SIZE_LIMIT = 4_500_000  # bytes, all four files together


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack_from(">HBB", data, 0)
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack_from(">" + "I" * ndim, data, 4)
    return dims, data[4 + 4 * ndim:]


def write_idx(path, dims, payload):
    header = struct.pack(">HBB", 0, 0x08, len(dims)) + struct.pack(">" + "I" * len(dims), *dims)
    with open(path, "wb") as raw:
        # mtime=0 and no file name in the header: the output depends on the content only
        with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as f:
            f.write(header + payload)


def subset(src, out, prefix, total):
    if total % CLASSES:
        raise ValueError(f"{prefix}: count {total} is not a multiple of {CLASSES}")
    per_class = total // CLASSES
    idims, pixels = read_idx(os.path.join(src, f"{prefix}-images-idx3-ubyte.gz"))
    ldims, labels = read_idx(os.path.join(src, f"{prefix}-labels-idx1-ubyte.gz"))
    n, rows, cols = idims
    if ldims != (n,):
        raise ValueError(f"{prefix}: {n} images but labels of shape {ldims}")
    taken = [0] * CLASSES
    keep = []
    for i, label in enumerate(labels):
        if taken[label] < per_class:
            taken[label] += 1
            keep.append(i)
    if min(taken) < per_class:
        raise ValueError(f"{prefix}: not enough examples per class: {taken}")
    size = rows * cols
    images = b"".join(pixels[i * size:(i + 1) * size] for i in keep)
    write_idx(os.path.join(out, f"{prefix}-images-idx3-ubyte.gz"), (total, rows, cols), images)
    write_idx(os.path.join(out, f"{prefix}-labels-idx1-ubyte.gz"), (total,),
              bytes(labels[i] for i in keep))
    print(f"{prefix}: {total} examples, {per_class} per class, "
          f"source indices {keep[0]}..{keep[-1]}")


def main():
    p = argparse.ArgumentParser(description="Class-balanced Fashion-MNIST subset (IDX, gzip -9)")
    p.add_argument("--src", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--out", default="examples/src/main/resources/fashion-mnist-subset")
    p.add_argument("--train", type=int, default=8000)
    p.add_argument("--test", type=int, default=2000)
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    subset(args.src, args.out, "train", args.train)
    subset(args.src, args.out, "t10k", args.test)
    total = sum(os.path.getsize(os.path.join(args.out, f)) for f in os.listdir(args.out)
                if f.endswith(".gz"))
    print(f"total size {total} bytes (limit {SIZE_LIMIT})")
    if total > SIZE_LIMIT:
        raise SystemExit(f"subset is {total} bytes, over the {SIZE_LIMIT} byte limit")


if __name__ == "__main__":
    main()
