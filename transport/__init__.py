"""The transport: how requests reach the schema and answers reach clients, beside the
composition root (spring/).

- view.py: the GraphQL ASGI app on `/graphql` (HTTP and WebSocket): the request's timeout
  (504), failures outside execution (500, 503 with Retry-After), the multipart CSRF rule,
  WebSocket authentication at `connection_init`, connections counted per user;
- context.py: each request's `Context` built from the HTTP request or the WebSocket (bearer
  token, `X-Tenant`, request id), and what the transport offers resolvers through it
  (`Context.close_connection`);
- websocket.py: the graphql-transport-ws handler: eligible subscriptions join a cohort, every
  operation runs on its own copy of the connection's Context;
- cohorts.py: the WebSocket fan-out: subscribers sharing one execution and one serialized
  frame per event, written to their sockets (the subscription sources stay in
  schema/live/subscriptions.py, the broker in subscriptions/); cohort_keys.py says which
  cohort a subscribe message joins, members.py writes to one subscriber;
- sockets.py: the open WebSockets, which shutdown closes.

Imports flow one way: spring → transport → schema → resolvers (.ci/run checks it).
"""
