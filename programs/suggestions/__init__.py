"""Readers' and providers' suggestions, from the public form to the adviser's decision.

- `intake`: store what a form sent, once, grouped with the open suggestion it repeats.
- `outcome`: an adviser's decision: accept (the report becomes a `Source` the saved change cites),
  turn a proposal into a draft programme, or reject with a reason; duplicates follow their first.
- `notify`: the confirmation link and the one message about the decision, sent by the task worker.
- `retention`: addresses deleted once the sender is told, or after KEEP_ADDRESSES_DAYS.
"""
