"""Packaging that pyproject.toml cannot declare: the data tables ship inside the package.

The repository's ``data/`` folder becomes the package ``cocreation._data`` in a wheel
(its CSV tables, their ``*.schema.yaml``, ``datapackage.json`` and the README with the
licences), so ``cocreation.data.load`` works in any environment that installs the wheel.
In a clone, :func:`cocreation.data.data_dir` still reads ``data/`` itself. Packages are
found in ``src/`` as before, so a new chapter's subpackage needs no line here.
"""

from setuptools import find_packages, setup

setup(
    packages=find_packages("src") + ["cocreation._data"],
    package_dir={"": "src", "cocreation._data": "data"},
    package_data={"cocreation._data": ["*.csv", "*.yaml", "*.json", "README.md"]},
)
