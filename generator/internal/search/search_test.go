package search

import (
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
