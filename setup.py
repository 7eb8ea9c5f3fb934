"""Ship the top-level ``resources/`` folder inside the wheel as ``agentapp/_resources``,
and the interface translations compiled (``.ts`` -> ``.qm``) next to their sources.

pyproject.toml cannot map a folder outside the package into it; everything else
about the build lives in pyproject.toml.
"""

from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py


class BuildWithTranslations(build_py):
    """Compile agentapp/i18n/*.ts with Qt's lrelease into the build tree, when it is there.

    PySide6 is not a build requirement (it is large): without it the wheel ships the
    ``.ts`` only, and the app compiles it into the user cache at first use.
    """

    def run(self) -> None:
        super().run()
        try:
            from agentapp.i18n import compile_ts
        except ImportError:
            return
        target = Path(self.build_lib) / "agentapp" / "i18n"
        for ts in sorted(Path("agentapp/i18n").glob("*.ts")):
            try:
                compile_ts(ts, target / ts.with_suffix(".qm").name)
            except (OSError, RuntimeError) as exc:
                print(f"warning: {ts.name} not compiled ({exc}); the app compiles it at first use")


setup(
    packages=[*find_packages(include=["agentapp*"]), "agentapp._resources"],
    package_dir={"agentapp._resources": "resources"},
    package_data={"agentapp": ["py.typed"], "agentapp._resources": ["**/*"],
                  "agentapp.i18n": ["*.ts"]},
    cmdclass={"build_py": BuildWithTranslations},
)
