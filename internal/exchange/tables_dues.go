package exchange

// duesTables are the party dues records (docs/dues.md): each member's dated basis, exemptions and
// reductions, payments per member and month, and remittances with the share kept.
var duesTables = []Table{
	{Name: "dues_bases", Columns: []string{"id", "member_id", "valid_from", "group", "amount", "note"}, Key: []string{"id"}},
	{Name: "dues_exemptions", Columns: []string{"id", "member_id", "kind", "pct", "valid_from", "valid_to", "decision", "decided_by", "note"}, Key: []string{"id"}},
	{Name: "dues_payments", Columns: []string{"id", "member_id", "org_id", "month", "amount", "voluntary", "paid_on", "channel", "reference", "note"}, Key: []string{"id"}},
	{Name: "dues_remittances", Columns: []string{"id", "org_id", "month", "kind", "to_org_id", "collected", "kept", "remitted", "sent_on", "received_on", "event_id", "note"}, Key: []string{"id"}},
}
