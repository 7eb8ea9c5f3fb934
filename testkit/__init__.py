"""Test support shared by ``tests/`` and ``bench/``: the harness, not the product.

Why a top-level package (beside ``agentapp/``, not inside it or inside
``tests/``): the benchmarks drive the real app exactly as the end-to-end tests
do (start a sandbox, start the app signed in, run a qasync loop, wait for a
condition, keep secrets in memory), and one copy of that harness means a fix
to it reaches both. Inside ``agentapp`` it would ship to agents; inside
``tests`` the benchmarks would import from the test tree.

It never ships: ``setup.py`` packages ``agentapp*`` only (tests/test_packaging.py
checks that list). ``pytest`` finds it through
``pythonpath = ["."]`` in pyproject.toml; ``python -m bench`` runs from the
checkout root, which is on ``sys.path``.
"""
