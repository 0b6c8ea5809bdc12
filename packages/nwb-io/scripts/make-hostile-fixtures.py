#!/usr/bin/python3
"""Writes the two hostile NWB files the tests cannot build with h5wasm (it writes neither):
an ElectricalSeries whose samples live in HDF5 external storage, and one that is a virtual dataset,
both pointing at /etc/passwd. Run: /usr/bin/python3 packages/nwb-io/scripts/make-hostile-fixtures.py
(Debian's python3-h5py)."""
import os
import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'hostile')


def nwb_root(f):
    f.attrs['nwb_version'] = '2.6.0'
    f.attrs['neurodata_type'] = 'NWBFile'
    f.attrs['namespace'] = 'core'
    f['identifier'] = 'hostile'
    f['session_description'] = 'samples stored outside the file'
    f['session_start_time'] = '2024-01-01T00:00:00+00:00'
    g = f.create_group('acquisition/es')
    g.attrs['neurodata_type'] = 'ElectricalSeries'
    g.attrs['namespace'] = 'core'
    st = g.create_dataset('starting_time', data=0.0)
    st.attrs['rate'] = 30000.0
    return g


def main():
    os.makedirs(OUT, exist_ok=True)
    with h5py.File(os.path.join(OUT, 'external-storage.nwb'), 'w', libver='earliest') as f:
        g = nwb_root(f)
        g.create_dataset('data', shape=(64, 1), dtype='<i2', external=[('/etc/passwd', 0, 128)])
    with h5py.File(os.path.join(OUT, 'virtual-dataset.nwb'), 'w', libver='earliest') as f:
        g = nwb_root(f)
        layout = h5py.VirtualLayout(shape=(64, 1), dtype='<i2')
        layout[:, :] = h5py.VirtualSource('/etc/passwd', 'data', shape=(64, 1))
        g.create_virtual_dataset('data', layout, fillvalue=0)


if __name__ == '__main__':
    main()
