#!/usr/bin/python3
"""Writes the state-dict seeds that only Python's torch.save makes (OrderedDicts with _metadata,
nested dicts, shared storages, strided views, the legacy format):
    python3 tests/fuzz/make_torch_seeds.py OUTDIR
-> OUTDIR/statedict/*.pt (whole files) and OUTDIR/torchpickle/* (their data.pkl, legacy files)."""
import collections
import io
import os
import sys
import zipfile

import torch

out = sys.argv[1]
os.makedirs(os.path.join(out, "statedict"), exist_ok=True)
os.makedirs(os.path.join(out, "torchpickle"), exist_ok=True)
torch.manual_seed(0)

net = torch.nn.Sequential(torch.nn.Linear(6, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 2))
base = torch.randn(6, 5)
shared = torch.arange(12, dtype=torch.float64)
cases = {
    "module-state-dict": net.state_dict(),
    "nested-views": {
        "model": {"w": base.t(), "row": base[2], "half": torch.randn(3, 3).half(), "bf": torch.randn(4).bfloat16()},
        "shared_a": shared[:6].view(2, 3), "shared_b": shared[6:],
        "ints": torch.tensor([1, -2, 3], dtype=torch.int64), "flags": torch.tensor([True, False]),
        "step": 7, "name": "seed",
    },
    "ordered-scalar": collections.OrderedDict([("scale", torch.tensor(2.5)), ("bytes", torch.tensor([1, 2], dtype=torch.uint8))]),
}
for name, obj in cases.items():
    path = os.path.join(out, "statedict", name + ".pt")
    torch.save(obj, path)
    with zipfile.ZipFile(path) as z:
        pkl = [n for n in z.namelist() if n.endswith("/data.pkl")][0]
        with open(os.path.join(out, "torchpickle", name + "-data.pkl"), "wb") as f:
            f.write(z.read(pkl))
    legacy = io.BytesIO()
    torch.save(obj, legacy, _use_new_zipfile_serialization=False)
    for sub in ("statedict", "torchpickle"):
        with open(os.path.join(out, sub, name + "-legacy.pt"), "wb") as f:
            f.write(legacy.getvalue())
