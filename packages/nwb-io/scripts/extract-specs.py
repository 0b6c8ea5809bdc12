#!/usr/bin/env python3
"""Copies the NWB core and hdmf-common/-experimental specifications cached in a pynwb-written
file into src/specs/nwb-specs.json, so the writer can cache them in every analysis file it writes
(as pynwb does). The specifications are the NWB schema (data), not code.

Run from packages/nwb-io: /usr/bin/python3 scripts/extract-specs.py test/fixtures/tetrode-session.nwb
"""
import json
import sys

import h5py

src = sys.argv[1]
out = {}
with h5py.File(src, "r") as f:
    for ns in f["specifications"]:
        for version in f["specifications"][ns]:
            g = f["specifications"][ns][version]
            out.setdefault(ns, {})[version] = {k: g[k][()].decode() if isinstance(g[k][()], bytes) else g[k][()] for k in g}
    nwb_version = f.attrs["nwb_version"]
with open("src/specs/nwb-specs.json", "w") as fh:
    json.dump({"source": src.split("/")[-1], "nwb_version": nwb_version, "namespaces": out}, fh)
print({ns: list(v) for ns, v in out.items()}, nwb_version)
