"""Limits checked before execution: a refused query runs no resolver and no SQL.

Measured on the parsed document (and the request's variables), before anything executes:

- tokens: counted by `count_tokens` before anything is parsed (a huge document is never
  parsed; comments count, as they do for graphql-core's own `max_tokens` backstop);
- depth: nesting of fields, fragments expanded; `__schema`/`__type` (introspection, served
  from memory) are exempt, so GraphiQL's introspection query works;
- aliases, root fields and fields, fragments expanded (a fragment spread ten times counts ten
  times), and copies of one object field in one selection (graphql-core's validation compares
  every pair of them: a few hundred copies cost seconds of CPU, so this is measured first);
- cost: every field costs 1; a paginated field (`first`/`last`) multiplies the lists below it
  by its page size (`default_page_size` when absent), any other list of objects by
  `default_list_size`, and `nodes(ids:)` by the number of ids;
- list inputs: every list in an argument or an input field, literal or in a variable, holds at
  most `max_list_items` items (`list_item_caps` names the exceptions).

A refusal is a top-level error with `extensions.code` QUERY_TOO_COMPLEX (BAD_USER_INPUT for a
list input too long) naming the limit, its maximum and the measured value. The measured cost of
every operation is reported in the response's `extensions.cost`.

Error hygiene lives here too (messages.py), because it must happen before errors are logged:
outside development, graphql-core is asked not to write "Did you mean …" suggestions at all (its
`hide_suggestions` switch, given to validation, to variable coercion and to the executor: they
let a client without introspection map the schema), and a card number echoed by a parse,
validation or variable error is masked before the error is logged or returned.

Parsing and validation are cached by the engine (engine/preparation.py), replacing
strawberry's ParserCache (which raises syntax errors from inside an extension hook, skipping
every other extension's clean-up: the error kept no code and the request's transaction was left
open) and ValidationCache (which validates before anything could be measured); the extension
(extension.py) decides when they run.

The modules, by concern: config.py (`Limits`, the refusal), walks.py (structure and cost),
lists.py (list-input caps), messages.py (no card number, no echoed value), extension.py (the
schema extension that applies them all).

Every limit is a field of `Limits`; `build_schema(limits, introspection=..., suggestions=...)`
in schema/schema.py takes them (the settings decide).
"""
