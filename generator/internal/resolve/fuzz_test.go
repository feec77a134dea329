package resolve

import (
	"slices"
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

// FuzzNames checks that the names walked word by word (Resolver.names)
// are the exact and contextual names of the maps they stand in for: for
// each span of words of a text, the node the words lead to has the ids
// and capitals the maps have for the words joined.
func FuzzNames(f *testing.F) {
	for _, s := range []string{"Kinesis Data Streams and Kinesis Data Firehose", "data analytics Data Analytics", "S3 Glacier Deep Archive", "streams firehose"} {
		f.Add(s)
	}
	r := New(testEntries)
	f.Fuzz(func(t *testing.T, text string) {
		toks := tokenize(text)
		// The walk Find makes: from each word's own node (word.names).
		sc := r.getScratch()
		looked := r.tokens(text, sc)
		for j := range looked {
			node := looked[j].w.names
			for k := 1; j+k <= len(looked); k++ {
				if k > 1 && node != nil {
					node = node.next[looked[j+k-1].norm]
				}
				if want := r.nodeOf(toks[j : j+k]); node != want {
					t.Fatalf("%q, words %d..%d: walked to %p, nodeOf %p", text, j, j+k, node, want)
				}
				if node == nil {
					break
				}
			}
		}
		r.putScratch(sc)
		for j := range toks {
			for n := 1; n <= 5 && j+n <= len(toks); n++ {
				key := ""
				for k := range n {
					if k > 0 {
						key += " "
					}
					key += toks[j+k].norm
				}
				node := r.nodeOf(toks[j : j+n])
				var exact, ctx []string
				var caps []bool
				if node != nil {
					exact, ctx, caps = node.exact, node.ctx, node.caps
				}
				if !slices.Equal(exact, r.exact[key]) || !slices.Equal(ctx, r.contextual[key]) || !slices.Equal(caps, r.capsOf[key]) {
					t.Fatalf("%q: node %v %v %v, maps %v %v %v", key, exact, ctx, caps, r.exact[key], r.contextual[key], r.capsOf[key])
				}
			}
		}
	})
}
