"""agentapp.api: the typed async client of the IVR Solutions API.

``client.IvrClient`` over one shared ``httpx.AsyncClient`` (``client.make_http_client``);
paths in ``endpoints``; results in ``models``; failures in ``errors``; pure parsers in
``parse_logs``/``parse_account``; HTTP-to-error rules in ``responses``.
"""
