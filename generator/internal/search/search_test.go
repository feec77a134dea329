package search

import (
	"bytes"
	"context"
	"errors"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func TestBuildRejectsBadIDs(t *testing.T) {
	if _, err := Build([]Doc{{ID: "a"}, {ID: "a"}}); err == nil {
		t.Error("duplicate IDs accepted")
	}
	if _, err := Build([]Doc{{ID: ""}}); err == nil {
		t.Error("empty ID accepted")
	}
}

func TestSearchBasics(t *testing.T) {
	ix, err := Build([]Doc{
		{ID: "kdf", URL: "kdf/", Title: "Kinesis Data Firehose", Aliases: []string{"KDF", "firehouse"}, Body: "Loads streams into S3 and Redshift."},
		{ID: "kds", URL: "kds/", Title: "Kinesis Data Streams", Body: "Shards, partition keys and retention of 24 hours."},
		{ID: "sqs", URL: "sqs/", Title: "SQS", Section: "Queues", Body: "Messages wait in queues; the visibility timeout hides them."},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	top := func(q string) string {
		hs, err := ix.Search(q, 10)
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		var ids []string
		for _, h := range hs {
			ids = append(ids, h.ID)
		}
		return strings.Join(ids, " ")
	}
	for q, want := range map[string]string{
		"KDF":            "kdf",
		"firehouse":      "kdf",
		"firehose":       "kdf",     // fuzzy: the alias "firehouse" is one edit away
		"kinesis":        "kdf kds", // ties in ID order
		"kines":          "kdf kds", // prefix of the word being typed
		"retenton ":      "kds",     // typo, complete word
		"the":            "",        // stop word only
		"":               "",
		"<script>":       "",
		"visibility tim": "sqs",
	} {
		if got := top(q); got != want {
			t.Errorf("%q: got %q, want %q", q, got, want)
		}
	}
	if hs, _ := ix.Search("kinesis", 0); len(hs) != 0 {
		t.Error("limit 0 returned hits")
	}
}

// TestClientIsES5 guards the client's syntax: it is loaded by a plain
// <script> in any browser, so no ES2015 syntax (checked with acorn's
// ecmaVersion 5 when it was written; this keeps the obvious cases out).
func TestClientIsES5(t *testing.T) {
	src, err := os.ReadFile(clientJS)
	if err != nil {
		t.Fatal(err)
	}
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`=>`), regexp.MustCompile("`"), regexp.MustCompile(`\b(let|const|class)\s+[A-Za-z_$]`),
		regexp.MustCompile(`\.\.\.[A-Za-z_$]`), regexp.MustCompile(`\bimport\s*\(|^\s*(import|export)\s`),
		regexp.MustCompile(`\bfetch\s*\(|\bnew\s+Worker\b|WebAssembly`),
	} {
		if loc := re.FindIndex(src); loc != nil {
			line := 1 + strings.Count(string(src[:loc[0]]), "\n")
			t.Errorf("search.js:%d: %q is not allowed in the client", line, src[loc[0]:loc[1]])
		}
	}
}

// TestBuildBatches checks that an index made in batches, as a job that may
// be called off makes it, exports the same files and answers the same as
// one made in one batch; and that a context that ends stops the build.
func TestBuildBatches(t *testing.T) {
	docs := synthCorpus(notesCorpus(t), 300, 7)
	one, err := Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	defer one.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	many, err := buildBatches(ctx, docs, 37)
	if err != nil {
		t.Fatal(err)
	}
	defer many.Close()
	a, err := one.Export()
	if err != nil {
		t.Fatal(err)
	}
	b, err := many.Export()
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) {
		t.Fatalf("%d files in one batch, %d in batches", len(a), len(b))
	}
	for i := range a {
		if a[i].Path != b[i].Path || !bytes.Equal(a[i].Data, b[i].Data) {
			t.Fatalf("%s differs between one batch and batches", a[i].Path)
		}
	}
	for _, q := range queryMix(docs, 3)[:40] {
		ha, _ := one.Search(q, 10)
		hb, _ := many.Search(q, 10)
		if !reflect.DeepEqual(ha, hb) {
			t.Errorf("%q: %v in one batch, %v in batches", q, ha, hb)
		}
	}
	cancel()
	if _, err := buildBatches(ctx, docs, 37); !errors.Is(err, context.Canceled) {
		t.Errorf("a called-off build returned %v", err)
	}
}
