"""The Django apps' models and migrations: plans, progress, accounts, search.

The storage layer. It imports only Django and keikaku.core; keikaku.services is its one user (the web
and the CLI reach the data through the services). The app labels (``plans``, ``progress``, ``accounts``,
``search``) are those the tables and migrations were created under when these apps lived in
keikaku/web/, so databases made before the move stay valid.
"""
