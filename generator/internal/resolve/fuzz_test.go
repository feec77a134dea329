package resolve

import (
	"testing"
	"unicode/utf8"
)

// FuzzFind checks that Find takes any text without panicking and returns
// well-formed matches: inside the text, in order, not overlapping, each
// the text it spans and of a known entity; and that a second call, with
// the words now cached, gives the same.
func FuzzFind(f *testing.F) {
	for _, s := range []string{
		"Kinesis Data Stream vs Fireshose", "Amazone Kines Analystic", "load into redshift / s3 / elatsit search",
		"Kinesis's shards", "KDF (Kinesis Data Firehose)", "\xff\xfe Kinesis", "AWS", "Amazon ", "ééé Lambada",
	} {
		f.Add(s, "kinesis")
	}
	r := New(testEntries)
	ids := map[string]bool{}
	for _, e := range testEntries {
		ids[e.ID] = true
	}
	f.Fuzz(func(t *testing.T, text, ctxEntity string) {
		ctx := Context{Entities: []string{ctxEntity}, Abbrevs: r.DefinedAbbrevs(text, Context{})}
		ms := r.Find(text, ctx)
		end := 0
		for _, m := range ms {
			if m.Start < end || m.End <= m.Start || m.End > len(text) {
				t.Fatalf("match %+v out of place (text of %d bytes, last end %d)", m, len(text), end)
			}
			if m.Text != text[m.Start:m.End] {
				t.Fatalf("match %+v: text %q", m, text[m.Start:m.End])
			}
			if !ids[m.Entity] {
				t.Fatalf("match %+v: no such entity", m)
			}
			if utf8.ValidString(text) && !utf8.ValidString(m.Text) {
				t.Fatalf("match %+v cuts a rune", m)
			}
			end = m.End
		}
		again := r.Find(text, ctx)
		if len(again) != len(ms) {
			t.Fatalf("second call: %d matches, first %d", len(again), len(ms))
		}
		for i := range ms {
			if again[i] != ms[i] {
				t.Fatalf("second call: %+v, first %+v", again[i], ms[i])
			}
		}
	})
}
