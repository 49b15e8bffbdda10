#!/usr/bin/python3
"""Loads a Myelin training checkpoint into the PyTorch reference model and evaluates it.

A Myelin checkpoint (runs/fashion-mlp.safetensors, written by the Trainer) is a plain
safetensors file: the model's weights are stored under "model." + PyTorch's own parameter
names, beside the optimizer ("optim."), schedule and history entries. This script reads the
file with nothing but json and struct (no safetensors package needed), keeps the "model."
tensors, loads them into the same architecture built with torch.nn (strict: every name and
shape must match) and reports the test accuracy, which should equal the one Myelin printed.

  /usr/bin/python3 examples/torch/load_myelin_checkpoint.py runs/fashion-mlp.safetensors
  /usr/bin/python3 examples/torch/load_myelin_checkpoint.py runs/fashion-cnn.safetensors --model cnn
"""
import argparse
import json
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fashion_reference as ref  # noqa: E402  (the same model definitions and data reader)

DTYPES = {"F32": torch.float32, "F64": torch.float64, "I32": torch.int32, "I64": torch.int64}


def read_safetensors(path):
    """Returns ({name: tensor}, metadata) from a safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    (header_len,) = struct.unpack_from("<Q", data, 0)
    header = json.loads(data[8:8 + header_len])
    metadata = header.pop("__metadata__", {})
    body = 8 + header_len
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        raw = bytearray(data[body + begin:body + end])
        t = torch.frombuffer(raw, dtype=DTYPES[info["dtype"]]) if raw else torch.empty(0, dtype=DTYPES[info["dtype"]])
        tensors[name] = t.reshape(info["shape"])
    return tensors, metadata


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("checkpoint")
    p.add_argument("--model", choices=["mlp", "cnn", "student"], default="mlp")
    p.add_argument("--data", default=ref.DEFAULT_DATA, help="folder with the four IDX .gz files")
    args = p.parse_args()

    tensors, metadata = read_safetensors(args.checkpoint)
    weights = {k[len("model."):]: v for k, v in tensors.items() if k.startswith("model.")}
    if not weights:
        sys.exit(f"{args.checkpoint}: no 'model.' tensors; is it a Myelin training checkpoint?")
    model = {"mlp": ref.mlp, "cnn": ref.cnn, "student": ref.student}[args.model]()
    model.load_state_dict(weights, strict=True)
    x, y = ref.load_split(args.data, "t10k")
    acc = ref.evaluate(model, x, y)
    print(f"{args.checkpoint}: {len(weights)} model tensors loaded into torch {args.model}; "
          f"format {metadata.get('format', '?')}; test accuracy {100 * acc:.2f}% on {len(x)} images")


if __name__ == "__main__":
    main()
