"""The admin console at ``/console``: server-rendered pages that run GraphQL documents through
the same executor as ``/graphql``, as the signed-in user (DESIGN.md)."""
