"""Who is asking: tokens, passwords, roles, the permission policy, the tenant context.

This package is usable by every other layer and imports none of them.
"""
