package store

import (
	"hash/maphash"
	"slices"
	"strings"

	"dangvu/internal/exchange"
)

// TableChange counts what an import changes in one exchange table, by the table's key: rows
// added, rows whose values changed, rows removed (the stored history of an organisation or a
// member that the file replaces with fewer rows, and the rows of a subtree its file lacks:
// import_merge.go).
type TableChange struct {
	Added   int `json:"added"`
	Changed int `json:"changed"`
	Removed int `json:"removed"`
}

// tableState is a table's rows as read by its export query: key → a hash of the whole row.
type tableState map[string]uint64

// stateWriter is an exchange.Writer that keeps each row's key and hash instead of the row: the
// state of a table before an import, for what the import changes (issue 21). Made by again,
// it holds nothing: it compares each row after the import with the state before as it comes
// (the demo's million payments are held once, not twice).
type stateWriter struct {
	seed   maphash.Seed
	tables map[string]tableState
	keys   map[string][]int
	before *stateWriter           // set on the writer of the state after, which empties it
	counts map[string]TableChange // after: what changed, per table
}

func newStateWriter() *stateWriter {
	return &stateWriter{seed: maphash.MakeSeed(), tables: map[string]tableState{}, keys: map[string][]int{}}
}

func (sw *stateWriter) Row(table string, v []string) error {
	key, ok := sw.keys[table]
	if !ok {
		t, _ := exchange.Lookup(table)
		for _, k := range t.Key {
			key = append(key, slices.Index(t.Columns, k))
		}
		sw.keys[table] = key
	}
	var b strings.Builder
	for _, i := range key {
		b.WriteString(v[i])
		b.WriteByte(0x1f)
	}
	var h maphash.Hash
	h.SetSeed(sw.seed)
	for _, x := range v {
		h.WriteString(x)
		h.WriteByte(0x1f)
	}
	if sw.before != nil {
		key, sum := b.String(), h.Sum64()
		c := sw.counts[table]
		if old, ok := sw.before.tables[table][key]; !ok {
			c.Added++
		} else {
			if old != sum {
				c.Changed++
			}
			// Met: what stays of before at the end was removed.
			delete(sw.before.tables[table], key)
		}
		sw.counts[table] = c
		return nil
	}
	st := sw.tables[table]
	if st == nil {
		st = tableState{}
		sw.tables[table] = st
	}
	st[b.String()] = h.Sum64()
	return nil
}

func (sw *stateWriter) Close() error { return nil }

// again is the writer of the state after, hashing as sw does and comparing with it.
func (sw *stateWriter) again() *stateWriter {
	return &stateWriter{seed: sw.seed, tables: map[string]tableState{}, keys: sw.keys, before: sw, counts: map[string]TableChange{}}
}

// changedTables are the tables an import of r may change: those it holds, and the
// organisations when it holds stubs.
func changedTables(r exchange.Reader) []exchange.Table {
	var out []exchange.Table
	for _, t := range exchange.Tables() {
		if r.Has(t.Name) && t.Name != stubTable || t.Name == "organisations" && r.Has(stubTable) {
			out = append(out, t)
		}
	}
	return out
}

// snapshot reads the state of the tables an import may change, on the import's connection
// (inside its transaction).
func (im *importer) snapshot(sw *stateWriter) error {
	for _, t := range changedTables(im.r) {
		if _, err := im.s.exportTable(im.ctx, im.conn, sw, t, nil, nil); err != nil {
			return err
		}
	}
	return nil
}

// changes is what the writer of the state after found: rows added and changed as they came,
// and the rows of before it never met (left in before), removed.
func changes(before, after *stateWriter, tables []exchange.Table) map[string]TableChange {
	out := map[string]TableChange{}
	for _, t := range tables {
		c := after.counts[t.Name]
		c.Removed = len(before.tables[t.Name])
		out[t.Name] = c
	}
	return out
}
