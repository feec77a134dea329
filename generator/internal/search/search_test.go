package search

import (
	"os"
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
