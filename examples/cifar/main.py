#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The pfstudio authors
"""Train a CIFAR-100 classifier and report it through periflow_sdk.

Reads the "python version" of CIFAR-100 (<data-path>/cifar-100-python/{train,
test,meta}, or a synthetic set from make_synthetic_cifar.py). Trains with
PyTorch when it can be imported (a small CNN, or the softmax model), and
otherwise with numpy: multinomial logistic regression (softmax) trained by
mini-batch SGD with momentum, weight decay and a cosine learning-rate decay.

The SDK calls are the PeriFlow ones: pf.init() with the total step count, one
`with pf.train_step():` per batch, pf.metric() every --log-interval steps,
and pf.upload_checkpoint() after each checkpoint saved into --save (every
--save-interval steps, at the end, and whenever pf.is_emergency_save() asks).
--load resumes from the newest checkpoint in a folder. Outside a pfstudio job
(no PERIFLOW_ENABLED=1) the SDK runs in local mode and metrics go to
--local-log-name.
"""

import argparse
import math
import os
import pickle
import queue
import re
import sys
import threading
import time

import numpy as np

try:
    import periflow_sdk as pf
except ImportError:  # running from a pfstudio checkout without PYTHONPATH
    _SDK = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir,
                        "sdk", "python")
    if not os.path.isdir(os.path.join(_SDK, "periflow_sdk")):
        raise
    sys.path.insert(0, os.path.normpath(_SDK))
    import periflow_sdk as pf

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None

CHECKPOINT_RE = re.compile(r"^checkpoint-(\d+)\.(npz|pt)$")
IMAGE_FEATURES = 3 * 32 * 32


def log(message):
    print(message, flush=True)


# -- command line -------------------------------------------------------------

def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Train a CIFAR-100 classifier with periflow_sdk.")
    p.add_argument("--model", default="auto", choices=("auto", "softmax", "cnn"),
                   help="softmax (numpy or torch) or cnn (torch only); auto picks cnn "
                        "with PyTorch, softmax without (default auto)")
    p.add_argument("--backend", default="auto", choices=("auto", "numpy", "torch"),
                   help="auto uses PyTorch when it can be imported (default auto)")
    p.add_argument("--dataset", default="cifar100", choices=("cifar100",))
    p.add_argument("--labels", default="fine", choices=("fine", "coarse"),
                   help="train on the 100 fine or the 20 coarse labels (default fine)")
    p.add_argument("--data-path", default="data",
                   help="folder holding cifar-100-python/ (default ./data)")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--total-epochs", type=int, default=1)
    p.add_argument("--total-steps", type=int, default=None,
                   help="total training steps; overrides --total-epochs")
    p.add_argument("--lr", type=float, default=0.01, help="peak learning rate (default 0.01)")
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--weight-decay", type=float, default=1e-4)
    p.add_argument("--log-interval", type=int, default=10,
                   help="steps between pf.metric() reports of loss/accuracy/learning_rate")
    p.add_argument("--test-interval", type=int, default=100,
                   help="steps between evaluations on the test set (0: only at the end)")
    p.add_argument("--save-interval", type=int, default=100,
                   help="steps between checkpoints (0: only at the end)")
    p.add_argument("--save", default=None,
                   help="folder for checkpoints; in a job, the output_checkpoint_dir")
    p.add_argument("--load", default=None,
                   help="resume from the newest checkpoint in this folder, if any")
    p.add_argument("--num-dataloader-workers", type=int, default=0,
                   help="N > 0 prepares up to N batches ahead in a background thread")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--local-log-name", default=None,
                   help="metric file in local mode (default ./periflow_metrics.jsonl)")
    args = p.parse_args(argv)
    for name in ("batch_size", "total_epochs", "log_interval"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    for name in ("test_interval", "save_interval", "num_dataloader_workers"):
        if getattr(args, name) < 0:
            p.error(f"--{name.replace('_', '-')} must not be negative")
    if args.total_steps is not None and args.total_steps < 1:
        p.error("--total-steps must be at least 1")
    if args.backend == "auto":
        args.backend = "torch" if torch is not None else "numpy"
    if args.backend == "torch" and torch is None:
        p.error("--backend torch: PyTorch cannot be imported")
    if args.model == "auto":
        args.model = "cnn" if args.backend == "torch" else "softmax"
    if args.model == "cnn" and args.backend != "torch":
        p.error("--model cnn needs PyTorch; use --model softmax with numpy")
    return args


# -- data ---------------------------------------------------------------------

class _CifarUnpickler(pickle.Unpickler):
    """Loads the CIFAR pickles but refuses any class other than numpy arrays."""

    ALLOWED = {
        ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
        ("numpy.core.multiarray", "scalar"), ("numpy._core.multiarray", "scalar"),
        ("numpy", "ndarray"), ("numpy", "dtype"), ("_codecs", "encode"),
    }

    def find_class(self, module, name):
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from a data file")


def _load_pickle(path):
    try:
        with open(path, "rb") as f:
            return _CifarUnpickler(f, encoding="bytes").load()
    except FileNotFoundError:
        sys.exit(f"main.py: {path} not found; --data-path must hold cifar-100-python/ "
                 f"(make_synthetic_cifar.py --out DIR writes a small one)")


def load_cifar100(data_path, labels):
    folder = os.path.join(data_path, "cifar-100-python")
    label_key = b"fine_labels" if labels == "fine" else b"coarse_labels"
    names_key = b"fine_label_names" if labels == "fine" else b"coarse_label_names"
    meta = _load_pickle(os.path.join(folder, "meta"))
    names = [n.decode("utf-8", "replace") if isinstance(n, bytes) else str(n)
             for n in meta[names_key]]
    splits = []
    for split in ("train", "test"):
        d = _load_pickle(os.path.join(folder, split))
        x = np.asarray(d[b"data"], dtype=np.uint8)
        y = np.asarray(d[label_key], dtype=np.int64)
        if x.ndim != 2 or x.shape[1] != IMAGE_FEATURES or x.shape[0] != y.shape[0]:
            sys.exit(f"main.py: {split}: expected N x {IMAGE_FEATURES} data and N labels, "
                     f"got {x.shape} and {y.shape}")
        if y.size and (y.min() < 0 or y.max() >= len(names)):
            sys.exit(f"main.py: {split}: labels outside 0..{len(names) - 1}")
        splits.append((x, y))
    return splits[0], splits[1], names


def normaliser(train_x):
    """Per-channel mean and standard deviation of the training images, in [0, 1]."""
    channels = train_x.reshape(train_x.shape[0], 3, -1).astype(np.float64) / 255.0
    mean = channels.mean(axis=(0, 2))
    std = channels.std(axis=(0, 2)) + 1e-6
    mean_row = np.repeat(mean, 1024).astype(np.float32)
    std_row = np.repeat(std, 1024).astype(np.float32)
    return lambda x: (x.astype(np.float32) / 255.0 - mean_row) / std_row


def batches(x, y, batch_size, seed, first_step, total_steps, normalise):
    """Yield (epoch, images, labels) for steps first_step .. total_steps - 1.

    Every epoch is a fresh permutation drawn from (seed, epoch), and the last
    partial batch is dropped, so step s always sees the same batch: resuming
    at step s continues exactly where the run stopped.
    """
    per_epoch = x.shape[0] // batch_size
    step = first_step
    while step < total_steps:
        epoch, index = divmod(step, per_epoch)
        order = np.random.default_rng([seed, epoch]).permutation(x.shape[0])
        while index < per_epoch and step < total_steps:
            chosen = order[index * batch_size:(index + 1) * batch_size]
            yield epoch, normalise(x[chosen]), y[chosen]
            index += 1
            step += 1


class Prefetcher:
    """Runs a generator in a background thread, up to ``depth`` items ahead."""

    _DONE = object()

    def __init__(self, source, depth):
        self._queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(source,), daemon=True)
        self._thread.start()

    def _run(self, source):
        try:
            for item in source:
                if not self._put(item):
                    return
        except BaseException as exc:  # re-raised in the training thread
            self._put(exc)
            return
        self._put(self._DONE)

    def _put(self, item):
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self):
        while True:
            item = self._queue.get()
            if item is self._DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self):
        self._stop.set()
        self._thread.join()


# -- models -------------------------------------------------------------------

class NumpySoftmax:
    """Multinomial logistic regression trained by SGD with momentum."""

    backend = "numpy"
    extension = "npz"

    def __init__(self, num_classes, args):
        self.model = "softmax"
        self.num_classes = num_classes
        self.momentum = args.momentum
        self.weight_decay = args.weight_decay
        self.w = np.zeros((IMAGE_FEATURES, num_classes), dtype=np.float32)
        self.b = np.zeros(num_classes, dtype=np.float32)
        self.vw = np.zeros_like(self.w)
        self.vb = np.zeros_like(self.b)

    def _probabilities(self, x):
        logits = x @ self.w + self.b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        return p

    @staticmethod
    def _loss_and_hits(p, y):
        picked = p[np.arange(y.shape[0]), y]
        loss = float(-np.log(np.maximum(picked, 1e-12)).sum())
        hits = int((p.argmax(axis=1) == y).sum())
        return loss, hits

    def train_batch(self, x, y, lr):
        p = self._probabilities(x)
        loss, hits = self._loss_and_hits(p, y)
        grad = p
        grad[np.arange(y.shape[0]), y] -= 1.0
        grad /= y.shape[0]
        gw = x.T @ grad + self.weight_decay * self.w
        gb = grad.sum(axis=0)
        self.vw *= self.momentum
        self.vw += gw
        self.vb *= self.momentum
        self.vb += gb
        self.w -= lr * self.vw
        self.b -= lr * self.vb
        return loss / y.shape[0], hits / y.shape[0]

    def evaluate(self, x, y, batch_size=500):
        loss = hits = 0
        for start in range(0, x.shape[0], batch_size):
            p = self._probabilities(x[start:start + batch_size])
            batch_loss, batch_hits = self._loss_and_hits(p, y[start:start + batch_size])
            loss += batch_loss
            hits += batch_hits
        return loss / x.shape[0], hits / x.shape[0]

    def save(self, f, step):
        np.savez(f, step=np.int64(step), backend=np.str_(self.backend),
                 model=np.str_(self.model), num_classes=np.int64(self.num_classes),
                 w=self.w, b=self.b, vw=self.vw, vb=self.vb)

    def load(self, path):
        with np.load(path, allow_pickle=False) as data:
            if str(data["model"]) != self.model or int(data["num_classes"]) != self.num_classes:
                sys.exit(f"main.py: {path} holds a {data['model']} model of "
                         f"{int(data['num_classes'])} classes, not {self.model} of "
                         f"{self.num_classes}")
            for name in ("w", "b", "vw", "vb"):
                setattr(self, name, data[name].astype(np.float32))
            return int(data["step"])


class TorchModel:
    """The same training loop on PyTorch: a small CNN or a linear softmax."""

    backend = "torch"
    extension = "pt"

    def __init__(self, num_classes, args):
        nn = torch.nn
        torch.manual_seed(args.seed)
        self.model = args.model
        self.num_classes = num_classes
        if torch.cuda.is_available():
            self.device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0"))
                                       % torch.cuda.device_count())
        else:
            self.device = torch.device("cpu")
        if args.model == "cnn":
            net = nn.Sequential(
                nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                nn.Flatten(), nn.Linear(64 * 8 * 8, 256), nn.ReLU(),
                nn.Linear(256, num_classes))
        else:
            net = nn.Sequential(nn.Flatten(), nn.Linear(IMAGE_FEATURES, num_classes))
        self.net = net.to(self.device)
        self.optimizer = torch.optim.SGD(self.net.parameters(), lr=args.lr,
                                         momentum=args.momentum,
                                         weight_decay=args.weight_decay)

    def _tensors(self, x, y):
        images = torch.from_numpy(x).view(-1, 3, 32, 32).to(self.device)
        return images, torch.from_numpy(y).to(self.device)

    def train_batch(self, x, y, lr):
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        images, labels = self._tensors(x, y)
        self.net.train()
        self.optimizer.zero_grad()
        logits = self.net(images)
        loss = F.cross_entropy(logits, labels)
        loss.backward()
        self.optimizer.step()
        accuracy = (logits.argmax(dim=1) == labels).float().mean()
        return loss.item(), accuracy.item()

    def evaluate(self, x, y, batch_size=500):
        self.net.eval()
        loss = hits = 0.0
        with torch.no_grad():
            for start in range(0, x.shape[0], batch_size):
                images, labels = self._tensors(x[start:start + batch_size],
                                               y[start:start + batch_size])
                logits = self.net(images)
                loss += F.cross_entropy(logits, labels, reduction="sum").item()
                hits += (logits.argmax(dim=1) == labels).sum().item()
        return loss / x.shape[0], hits / x.shape[0]

    def save(self, f, step):
        torch.save({"step": step, "backend": self.backend, "model": self.model,
                    "num_classes": self.num_classes, "state_dict": self.net.state_dict(),
                    "optimizer": self.optimizer.state_dict()}, f)

    def load(self, path):
        data = torch.load(path, map_location=self.device)
        if data.get("model") != self.model or data.get("num_classes") != self.num_classes:
            sys.exit(f"main.py: {path} holds a {data.get('model')} model of "
                     f"{data.get('num_classes')} classes, not {self.model} of "
                     f"{self.num_classes}")
        self.net.load_state_dict(data["state_dict"])
        self.optimizer.load_state_dict(data["optimizer"])
        return int(data["step"])


# -- checkpoints --------------------------------------------------------------

def list_checkpoints(folder):
    """(step, path) of each checkpoint-<step>.<npz|pt> in folder, oldest first."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    found = []
    for name in names:
        match = CHECKPOINT_RE.match(name)
        if match:
            found.append((int(match.group(1)), os.path.join(folder, name)))
    return sorted(found)


def save_checkpoint(trainer, folder, step):
    """Write checkpoint-<step> atomically, then delete the older ones.

    Only the newest checkpoint stays in the folder, because the agent uploads
    everything in it on pf.upload_checkpoint().
    """
    os.makedirs(folder, exist_ok=True)
    name = f"checkpoint-{step:08d}.{trainer.extension}"
    path = os.path.join(folder, name)
    tmp = os.path.join(folder, f".{name}.tmp")
    with open(tmp, "wb") as f:
        trainer.save(f, step)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    for _, old in list_checkpoints(folder):
        if old != path:
            os.remove(old)
    return path


# -- training -----------------------------------------------------------------

def cosine_lr(peak, step, total):
    return peak * 0.5 * (1.0 + math.cos(math.pi * min(step, total) / total))


def main(argv=None):
    args = parse_args(argv)
    (train_x, train_y), (test_x, test_y), names = load_cifar100(args.data_path, args.labels)
    if train_x.shape[0] < args.batch_size:
        sys.exit(f"main.py: {train_x.shape[0]} training images are fewer than "
                 f"--batch-size {args.batch_size}")
    steps_per_epoch = train_x.shape[0] // args.batch_size
    total_steps = args.total_steps or steps_per_epoch * args.total_epochs
    normalise = normaliser(train_x)
    test_features = normalise(test_x)

    trainer = (TorchModel if args.backend == "torch" else NumpySoftmax)(len(names), args)
    rank = int(os.environ.get("RANK", "0") or 0)
    writes_checkpoints = args.save is not None and rank == 0

    step = 0
    if args.load:
        found = [c for c in list_checkpoints(args.load) if c[1].endswith("." + trainer.extension)]
        if found:
            step = trainer.load(found[-1][1])
            log(f"resumed from {found[-1][1]} at step {step}")
        else:
            log(f"no {trainer.extension} checkpoint in {args.load}; starting from scratch")
    if "PROCESSED_ITERS" not in os.environ:
        # Local runs: let the SDK count from the checkpoint's step, as the
        # agent's PROCESSED_ITERS does inside a job.
        os.environ["PROCESSED_ITERS"] = str(step)

    pf.init(total_train_steps=total_steps, local_log_name=args.local_log_name)
    if pf.get_step() != step:
        log(f"warning: the SDK counts from PROCESSED_ITERS={pf.get_step()}, the checkpoint "
            f"is at step {step}")
    ckpt_dir = os.environ.get("CKPT_DIR")
    if pf.is_enabled() and writes_checkpoints and ckpt_dir and \
            os.path.realpath(ckpt_dir) != os.path.realpath(args.save):
        log(f"warning: --save {args.save} is not CKPT_DIR {ckpt_dir}; "
            f"pf.upload_checkpoint() uploads CKPT_DIR")
    log(f"{args.backend}/{trainer.model}: {train_x.shape[0]} training and {test_x.shape[0]} "
        f"test images, {len(names)} classes, steps {step} -> {total_steps} "
        f"({steps_per_epoch} per epoch), {'enabled' if pf.is_enabled() else 'local'} mode")

    source = batches(train_x, train_y, args.batch_size, args.seed, step, total_steps, normalise)
    prefetcher = Prefetcher(source, args.num_dataloader_workers) \
        if args.num_dataloader_workers > 0 else None
    first_step = step
    warned_no_save = False
    window_loss = window_accuracy = 0.0
    window_steps = 0
    started = time.monotonic()
    try:
        for epoch, images, labels in (prefetcher if prefetcher is not None else source):
            lr = cosine_lr(args.lr, step, total_steps)
            with pf.train_step():
                loss, accuracy = trainer.train_batch(images, labels, lr)
            step += 1
            window_loss += loss
            window_accuracy += accuracy
            window_steps += 1

            if step % args.log_interval == 0 or step == total_steps:
                report = {"loss": window_loss / window_steps,
                          "accuracy": window_accuracy / window_steps,
                          "learning_rate": lr, "epoch": epoch}
                pf.metric(report)
                log(f"step {step}/{total_steps} epoch {epoch} loss {report['loss']:.4f} "
                    f"accuracy {report['accuracy']:.3f} lr {lr:.5f} "
                    f"({time.monotonic() - started:.1f} s)")
                window_loss = window_accuracy = 0.0
                window_steps = 0

            if (args.test_interval and step % args.test_interval == 0) or step == total_steps:
                test_loss, test_accuracy = trainer.evaluate(test_features, test_y)
                pf.metric({"test_loss": test_loss, "test_accuracy": test_accuracy})
                log(f"step {step}: test loss {test_loss:.4f} accuracy {test_accuracy:.3f}")

            emergency = pf.is_emergency_save()
            due = (args.save_interval and step % args.save_interval == 0) or step == total_steps
            if writes_checkpoints and (due or emergency):
                path = save_checkpoint(trainer, args.save, step)
                pf.upload_checkpoint()
                log(f"step {step}: saved {path}{' (emergency save)' if emergency else ''}")
            elif emergency and rank == 0 and not warned_no_save:
                log("warning: the agent asked for an emergency save, but --save is not set")
                warned_no_save = True
    finally:
        if prefetcher is not None:
            prefetcher.close()
        pf.close()
    if step == first_step:
        log(f"nothing to train: already at step {step} of {total_steps}")
    log("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
