"""Events of the people app that higher apps act on.

mentions_moved: sent inside the transaction whenever mentions change person (a merge, an undone
merge, a reviewer taking a provisionally linked mention away), with `mention_ids` and
`person_id` (the person they now belong to). The incidents app uses it so that each child's
notices follow the child's records.
"""

from django.dispatch import Signal

mentions_moved = Signal()
