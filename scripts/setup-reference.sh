#!/bin/sh
# Installs what the PyTorch reference runs need (examples/torch/fashion_reference.py):
# the Fashion-MNIST IDX files, Debian's CPU PyTorch and the threaded OpenBLAS it uses.
# Idempotent: a package that is already installed is left alone. Run as root.
set -eu

PACKAGES="dataset-fashion-mnist python3-torch libopenblas0-pthread"

missing=""
for p in $PACKAGES; do
    if dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed'; then
        echo "already installed: $p"
    else
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "nothing to do"
else
    echo "installing:$missing"
    apt-get update
    # shellcheck disable=SC2086 # word splitting of the package list is intended
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
    echo "installed:$missing"
fi

echo "dataset: /usr/share/datasets/fashion-mnist"
echo "python:  /usr/bin/python3 (use this one; it has torch)"
