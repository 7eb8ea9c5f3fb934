"""Ship the top-level ``resources/`` folder inside the wheel as ``agentapp/_resources``.

pyproject.toml cannot map a folder outside the package into it; everything else
about the build lives in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["agentapp*"]), "agentapp._resources"],
    package_dir={"agentapp._resources": "resources"},
    package_data={"agentapp": ["py.typed"], "agentapp._resources": ["**/*"]},
)
