package catalog_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gen-site/gen/generator/internal/catalog"
	"github.com/gen-site/gen/generator/internal/resolve"
)

// notPrefixedNames are capitalised words that follow "Amazon"/"AWS" in the
// notes without naming a service ("the AWS Cloud", "AWS Region"), and names
// the catalog leaves out on purpose (see the comment at the top of
// catalog.yaml).
var notPrefixedNames = map[string]bool{
	"cloud": true, "region": true, "account": true, "console": true, "service": true,
	"services": true, "partners": true, "api": true, "apis": true, "srouces": true,
	"sources": true, "data": true, "storage": true, "compute": true, "edge": true,
	"certified": true, "ml": true, "machine": true, "backup": true,
	"apache": true, "cli": true, "bigdata": true, "integration": true,
	"recommend": true, "serverless": true, "resources": true, "regions": true,
}

// misspelt are phrases that the notes misspell; the resolver, not the
// catalog, handles typos.
var misspelt = map[string]bool{"schema convesion": true, "mobiel sdk": true, "lambada": true}

// serviceName finds "Amazon X" and "AWS X" phrases: the prefix and up to
// five words after it.
var serviceName = regexp.MustCompile(`(?i)\b(?:amazon|aws)((?:[ \t]+[A-Za-z0-9][A-Za-z0-9./-]*){1,5})`)

// TestNotesNamesInCatalog keeps the catalog complete: every "Amazon X" or
// "AWS X" phrase in the bundled notes must name a catalog entity, by its
// name, an alias or a former name, with the longest prefix of X that does.
func TestNotesNamesInCatalog(t *testing.T) {
	data, err := os.ReadFile("../../../content/catalog.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, diags := catalog.Load(data, "catalog.yaml")
	if diags.HasErrors() {
		t.Fatalf("catalog: %v", diags)
	}
	notes, err := filepath.Glob("../../../content/notes/*.txt")
	if err != nil || len(notes) == 0 {
		t.Fatalf("no notes: %v", err)
	}
	found := 0
	for _, path := range notes {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(raw), "\n") {
			for _, m := range serviceName.FindAllStringSubmatch(line, -1) {
				words := strings.Fields(m[1])
				for k := range words {
					words[k] = strings.TrimRight(words[k], ".,/-")
				}
				first := words[0]
				two := strings.ToLower(strings.Join(words[:min(2, len(words))], " "))
				if first == "" || notPrefixedNames[strings.ToLower(first)] || misspelt[two] || misspelt[strings.ToLower(first)] {
					continue
				}
				// Lowercase words after the prefix are mostly verbs
				// ("AWS manages the keys"); only capitalised ones must
				// name something.
				if r := first[0]; r >= 'a' && r <= 'z' && c.Lookup("AWS "+first) == nil {
					continue
				}
				ok := false
				for n := len(words); n > 0 && !ok; n-- {
					ok = len(c.Lookup("AWS "+strings.Join(words[:n], " "))) > 0
				}
				if !ok {
					t.Errorf("%s:%d: %q names no catalog entity", filepath.Base(path), i+1, strings.TrimSpace(m[0]))
				}
				found++
			}
		}
	}
	if found < 100 {
		t.Errorf("only %d Amazon/AWS names found in the notes; is the pattern broken?", found)
	}
}

// TestKeyAgreesWithResolver checks that the loader compares names the way
// the resolver does, so that the clashes Load reports are the ones the
// resolver would meet.
func TestKeyAgreesWithResolver(t *testing.T) {
	for _, w := range []string{"Streams", "Queries", "Analytics", "Kinesis", "SQS", "Glass", "Status", "Lambdas", "AWS", "ies", "Bus", "Logs"} {
		want := resolve.Normalize(w)
		if got := catalog.Key(w); got != want {
			t.Errorf("Key(%q) = %q, resolve.Normalize = %q", w, got, want)
		}
	}
	if got := catalog.Key("Amazon Kinesis-Data Streams"); got != "kinesis data stream" {
		t.Errorf("Key = %q", got)
	}
}
