#!/usr/bin/env python3
"""Validates NWB files against the specifications cached inside them, with hdmf's validator
(the engine pynwb.validate uses; pynwb itself is not packaged for Debian). Prints one JSON line
per file: {"file", "namespace", "errors": [...]}; exit status 1 if any file has errors.

Usage: /usr/bin/python3 scripts/validate-nwb.py FILE.nwb [...]
"""
import json
import sys
import warnings

warnings.simplefilter("ignore")
from hdmf.backends.hdf5 import HDF5IO  # noqa: E402
from hdmf.build import BuildManager, TypeMap  # noqa: E402
from hdmf.spec import DatasetSpec, GroupSpec, NamespaceCatalog, SpecNamespace  # noqa: E402
from hdmf.validate import ValidatorMap  # noqa: E402


# NWB's schema names its type keys neurodata_type_*; pynwb tells hdmf so with spec classes like these.
class _NwbKeys:
    @classmethod
    def type_key(cls):
        return "neurodata_type"

    @classmethod
    def inc_key(cls):
        return "neurodata_type_inc"

    @classmethod
    def def_key(cls):
        return "neurodata_type_def"

    @classmethod
    def build_const_args(cls, spec_dict):
        ret = super().build_const_args(spec_dict)
        for nwb_key, hdmf_key in (("neurodata_type_def", "data_type_def"), ("neurodata_type_inc", "data_type_inc")):
            if nwb_key in ret:
                ret[hdmf_key] = ret.pop(nwb_key)
        return ret


class NwbDatasetSpec(_NwbKeys, DatasetSpec):
    pass


class NwbGroupSpec(_NwbKeys, GroupSpec):
    @classmethod
    def dataset_spec_cls(cls):
        return NwbDatasetSpec


class NwbNamespace(SpecNamespace):
    @classmethod
    def types_key(cls):
        return "neurodata_types"

failed = False
for path in sys.argv[1:]:
    catalog = NamespaceCatalog(NwbGroupSpec, NwbDatasetSpec, NwbNamespace)
    HDF5IO.load_namespaces(catalog, path)
    with HDF5IO(path, manager=BuildManager(TypeMap(catalog)), mode="r") as io:
        builder = io.read_builder()
        errors = [str(e) for e in ValidatorMap(catalog.get_namespace("core")).validate(builder)]
    failed |= bool(errors)
    print(json.dumps({"file": path, "namespace": "core", "errors": errors}))
sys.exit(1 if failed else 0)
