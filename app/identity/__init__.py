"""Organisation users, their sign-in sessions and the OAuth 2.0 authorization server.

The app wires in one ``Identity`` (``app.identity.service``); the shared request path calls its
``authenticate`` for bearer JWTs, the console its ``session_principal``.
"""
