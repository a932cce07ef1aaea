"""Every change of state in the Industry Alliance: one function per user action.

Each runs in one transaction, checks who may act, records an AllianceEvent (who, what,
why) and sends email only after commit. One module per sub-domain: `membership`, `demands`,
`responses` (responses and meetings), `collaborations`, `standards` and `supplier_history`;
what they share (the record, who may act, the email) is in `common`. Import each name from
its module.
"""
