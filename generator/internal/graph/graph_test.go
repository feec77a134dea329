package graph

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/gen-site/gen/generator/internal/clean"
	"github.com/gen-site/gen/generator/internal/parse"
	"github.com/gen-site/gen/generator/internal/resolve"
)

// testEntities is a small catalog in the shape of the real one.
var testEntities = []struct {
	e          Entity
	contextual []string
}{
	{e: Entity{ID: "collection", Name: "Collection", Kind: "category"}},
	{e: Entity{ID: "kinesis", Name: "Amazon Kinesis", Kind: "service", Category: "collection"}},
	{e: Entity{ID: "kinesis-data-streams", Name: "Amazon Kinesis Data Streams", Kind: "service", Category: "collection", Parent: "kinesis", Aliases: []string{"Kinesis Data Streams", "Kinesis Streams", "KDS"}}, contextual: []string{"Streams", "Stream"}},
	{e: Entity{ID: "kinesis-data-firehose", Name: "Amazon Data Firehose", Kind: "service", Category: "collection", Parent: "kinesis", Aliases: []string{"Kinesis Data Firehose", "Kinesis Firehose", "Firehose", "KDF"}}},
	{e: Entity{ID: "sqs", Name: "Amazon SQS", Kind: "service", Category: "collection", Aliases: []string{"SQS", "Simple Queue Service"}}, contextual: []string{"SQL"}},
	{e: Entity{ID: "s3", Name: "Amazon S3", Kind: "service", Aliases: []string{"S3"}}},
	{e: Entity{ID: "redshift", Name: "Amazon Redshift", Kind: "service", Aliases: []string{"Redshift"}}},
}

func testKnowledge() *Knowledge {
	var ents []Entity
	var entries []resolve.Entry
	for _, t := range testEntities {
		ents = append(ents, t.e)
		entries = append(entries, resolve.Entry{ID: t.e.ID, Parent: t.e.Parent, Names: append([]string{t.e.Name}, t.e.Aliases...), Contextual: t.contextual})
	}
	topics := []Topic{
		{ID: "limits", Name: "Limits", Words: []string{"limits", "limit", "quotas"}},
		{ID: "security", Name: "Security", Words: []string{"security", "encryption"}},
		{ID: "producers", Name: "Producers", Words: []string{"producer", "producers"}},
		{ID: "consumers", Name: "Consumers", Words: []string{"consumer", "consumers"}},
		{ID: "destinations", Name: "Destinations", Words: []string{"destinations", "destination"}},
		{ID: "pricing", Name: "Pricing", Words: []string{"pricing", "cost"}},
	}
	return NewKnowledge(ents, resolve.New(entries), topics)
}

// extractNote cleans, parses and extracts one note.
func extractNote(t testing.TB, id, text string, k *Knowledge) *NoteExtract {
	t.Helper()
	raw := []byte(text)
	c := clean.Clean(raw, clean.Options{FirstLine: 1})
	d := parse.New().Parse(c.Text, parse.Options{Format: c.Format})
	return Extract(Input{ID: id, Path: "notes/" + id + ".md", Title: id, Raw: raw, Clean: c, Doc: d}, k)
}

func TestExtractSections(t *testing.T) {
	k := testKnowledge()
	x := extractNote(t, "n-a", `# Collection

## AWS Kinesis

* Kinesis is a managed alternative
* Amazon Kinesis Streams
  * Data retention is 24 hours by default, can go up to 7 days

### Kinesis Data Stream vs Fireshose

* Streams :
  * Real time 200 ms
* fireshose
  * near real time

### AWS SQS

* SQL Extended Client
  * Message size, send large messages using S3

#### Security
* encryption at rest
`, k)
	type sec struct {
		line            int
		heading         string
		entity, context string
		entities        string
		topic           string
	}
	var got []sec
	for _, s := range x.Sections {
		e := ""
		if s.Entity != nil {
			e = *s.Entity
		}
		got = append(got, sec{s.Line, s.Heading, e, s.Context, strings.Join(s.Entities, ","), s.Topic})
	}
	want := []sec{
		{1, "Collection", "collection", "collection", "collection", ""},
		{3, "AWS Kinesis", "kinesis", "kinesis", "kinesis", ""},
		{9, "Kinesis Data Stream vs Fireshose", "", "kinesis", "kinesis-data-streams,kinesis-data-firehose", "comparison"},
		{16, "AWS SQS", "sqs", "sqs", "sqs", ""},
		{21, "Security", "", "sqs", "", "security"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("sections:\n got %+v\nwant %+v", got, want)
	}
	facts := map[string]string{}
	for _, f := range x.Facts {
		facts[f.Text] = f.Entity + "/" + f.Topic
	}
	for text, want := range map[string]string{
		"Data retention is 24 hours by default, can go up to 7 days": "kinesis-data-streams/limits",
		"Real time 200 ms": "kinesis-data-streams/limits",
		"near real time":   "kinesis-data-firehose/overview",
		"Message size, send large messages using S3": "sqs/overview",
		"encryption at rest":                         "sqs/security",
		"Kinesis is a managed alternative":           "kinesis/overview",
	} {
		if got := facts[text]; got != want {
			t.Errorf("fact %q: got %q, want %q (all: %v)", text, got, want, facts)
		}
	}
}

func TestMergeFacts(t *testing.T) {
	k := testKnowledge()
	a := extractNote(t, "n-a", "# Kinesis Data Streams\n\n* Producer\n  * 1 MB/s or 1000 messages/s at write PER SHARD\n* Data retention is 24 hours by default, can go up to 365 days\n", k)
	b := extractNote(t, "n-b", "# Kinesis Streams\n\n## Limits\n- Producer\n  - 1MB/s or 1000 messages/s at write per **shard**\n- Data Retention\n  - Up to 7 days\n", k)
	c := extractNote(t, "n-c", "=== DATA ===\nKinesis Data Streams\n- Write throughput: 1 MB/sec or 1000 records/sec per shard\n- Each shard gets 1MB/s in (or 1000 records per second)\n", k)
	g := Merge([]*NoteExtract{a, b, c}, k)
	var limit *Fact
	for i, f := range g.Facts {
		if f.Entity == "kinesis-data-streams" && strings.Contains(f.Text, "1000") {
			if limit != nil {
				t.Errorf("producer limit not merged: %q and %q", limit.Text, f.Text)
			}
			limit = &g.Facts[i]
		}
	}
	if limit == nil {
		t.Fatal("no producer limit fact")
	}
	if limit.Notes != 3 || len(limit.Sources) != 4 {
		t.Errorf("producer limit: %d notes, %d sources, want 3 and 4: %+v", limit.Notes, len(limit.Sources), limit.Sources)
	}
	if len(g.Conflicts) != 1 || g.Conflicts[0].Attribute != "retention (max)" || len(g.Conflicts[0].Values) != 2 {
		t.Fatalf("conflicts = %+v, want one on retention (max) with two values", g.Conflicts)
	}
	if v := g.Conflicts[0].Values; v[0].Value != "7 days" || v[1].Value != "365 days" {
		t.Errorf("conflict values = %+v", v)
	}
}

// TestSourcesQuoteRawLines checks the provenance invariant: every location
// in the graph names a raw line that holds the quoted text.
func TestSourcesQuoteRawLines(t *testing.T) {
	k := testKnowledge()
	notes := map[string]string{
		"n-a": "---\ntitle: A\n---\n# AWS Kinesis\r\n\r\n* Kinesis Streams\r\n  * Up to 7 days\r\n",
		"n-b": "=== STORAGE ===\nS3\n- durable • Fireshose loads into S3 • redshift too\n",
	}
	var xs []*NoteExtract
	raws := map[string][]string{}
	for id, text := range notes {
		raw := []byte(text)
		body, line, off := raw, 1, 0
		if bytes.HasPrefix(raw, []byte("---\n")) {
			i := bytes.Index(raw[4:], []byte("---\n")) + 4
			body, line, off = raw[i+4:], 4, i+4
		}
		c := clean.Clean(body, clean.Options{FirstLine: line, FirstOff: off})
		d := parse.New().Parse(c.Text, parse.Options{Format: c.Format})
		xs = append(xs, Extract(Input{ID: id, Path: id, Raw: raw, Clean: c, Doc: d}, k))
		raws[id] = strings.Split(text, "\n")
	}
	g := Merge(xs, k)
	check := func(what, note string, line int, text string) {
		t.Helper()
		lines := raws[note]
		if line < 1 || line > len(lines) {
			t.Errorf("%s: %s line %d out of range", what, note, line)
			return
		}
		if text != "" && !strings.Contains(lines[line-1], text) {
			t.Errorf("%s: %s:%d is %q, which does not hold %q", what, note, line, lines[line-1], text)
		}
	}
	for m := range g.EachMention() {
		check("mention", m.Note, m.Line, m.Text)
	}
	for _, s := range g.Sections {
		check("section", s.Note, s.Line, s.Heading)
	}
	for _, f := range g.Facts {
		for _, s := range f.Sources {
			check("fact "+f.ID, s.Note, s.Line, s.Text)
		}
	}
	if g.MentionCount() == 0 || len(g.Facts) == 0 {
		t.Errorf("nothing extracted: %d mentions, %d facts", g.MentionCount(), len(g.Facts))
	}
}

// TestNameLineBeforeList checks that a line that only names an entity,
// followed by bullets, makes the bullets facts of that entity, and that
// a sentence before bullets does not.
func TestNameLineBeforeList(t *testing.T) {
	k := testKnowledge()
	x := extractNote(t, "n-a", "# Collection\n\nKinesis Data Streams:\n\n- Retention is 24 hours by default\n\nSQS keeps messages for a while, and more:\n\n- Up to 14 days of storage\n", k)
	got := map[string]string{}
	for _, f := range x.Facts {
		got[f.Text] = f.Entity
	}
	if e := got["Retention is 24 hours by default"]; e != "kinesis-data-streams" {
		t.Errorf("fact under a name line went to %q, want kinesis-data-streams (facts: %v)", e, got)
	}
	if e := got["Up to 14 days of storage"]; e != "collection" {
		t.Errorf("fact under a sentence went to %q, want the section's collection (facts: %v)", e, got)
	}
}
