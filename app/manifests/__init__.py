"""Checking content manifests against JSON Schemas (draft 2020-12): the schemas themselves
(``check_schema``), documents against them (``validate``), and the schemas that ship built in."""
