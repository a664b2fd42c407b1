#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The pfstudio authors
"""Write a small synthetic data set in the CIFAR-100 "python version" format.

    make_synthetic_cifar.py --out DIR [--train 2000] [--test 500] [--seed 0]

creates DIR/cifar-100-python/{train,test,meta}: pickles (protocol 2, like the
originals) with byte-string keys. train and test hold b'data' (N x 3072
uint8, each row 1024 red, 1024 green, then 1024 blue values of a 32 x 32 image,
row-major), b'fine_labels' and b'coarse_labels' (lists of ints),
b'filenames' and b'batch_label'; meta holds b'fine_label_names' (100) and
b'coarse_label_names' (20). Fine label f belongs to coarse label f // 5.

The images are learnable: each class has a smooth random colour pattern, and
an image is its class's pattern, slightly shifted in brightness, plus noise.
The same --seed always gives the same bytes. Nothing is downloaded.
"""

import argparse
import os
import pickle
import sys

import numpy as np

NUM_FINE = 100
NUM_COARSE = 20
SIDE = 32


def class_patterns(rng, num_classes, cells):
    """One smooth 3 x 32 x 32 pattern per class, values in [104, 152]."""
    coarse = rng.uniform(104.0, 152.0, size=(num_classes, 3, cells, cells))
    scale = SIDE // cells
    return np.repeat(np.repeat(coarse, scale, axis=2), scale, axis=3)


def make_split(rng, patterns, count, noise):
    num_classes = patterns.shape[0]
    labels = np.arange(count) % num_classes
    rng.shuffle(labels)
    brightness = rng.normal(0.0, 16.0, size=(count, 1, 1, 1))
    pixels = rng.normal(0.0, noise, size=(count, 3, SIDE, SIDE))
    images = patterns[labels] + brightness + pixels
    data = np.clip(np.rint(images), 0, 255).astype(np.uint8).reshape(count, 3 * SIDE * SIDE)
    return data, [int(v) for v in labels]


def write_pickle(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        pickle.dump(obj, f, protocol=2)
    os.replace(tmp, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True,
                        help="data folder; cifar-100-python/ is created inside it")
    parser.add_argument("--train", type=int, default=2000, help="training images (default 2000)")
    parser.add_argument("--test", type=int, default=500, help="test images (default 500)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--noise", type=float, default=64.0,
                        help="standard deviation of the per-pixel noise (default 64)")
    parser.add_argument("--cells", type=int, default=4, choices=(1, 2, 4, 8, 16, 32),
                        help="pattern resolution: cells per side (default 4)")
    args = parser.parse_args(argv)
    if args.train < 1 or args.test < 1:
        parser.error("--train and --test must be at least 1")

    rng = np.random.default_rng(args.seed)
    patterns = class_patterns(rng, NUM_FINE, args.cells)
    folder = os.path.join(args.out, "cifar-100-python")
    os.makedirs(folder, exist_ok=True)

    for name, count, batch_label in (("train", args.train, b"training batch 1 of 1"),
                                     ("test", args.test, b"testing batch 1 of 1")):
        data, fine = make_split(rng, patterns, count, args.noise)
        write_pickle(os.path.join(folder, name), {
            b"filenames": [b"synthetic_%s_%05d.png" % (name.encode(), i) for i in range(count)],
            b"batch_label": batch_label,
            b"fine_labels": fine,
            b"coarse_labels": [f // (NUM_FINE // NUM_COARSE) for f in fine],
            b"data": data,
        })
    write_pickle(os.path.join(folder, "meta"), {
        b"fine_label_names": [b"fine_%02d" % i for i in range(NUM_FINE)],
        b"coarse_label_names": [b"coarse_%02d" % i for i in range(NUM_COARSE)],
    })
    print(f"wrote {args.train} training and {args.test} test images of {NUM_FINE} classes "
          f"to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
