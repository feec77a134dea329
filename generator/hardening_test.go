package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// TestPathologicalNotes builds notes made to break a parser or a graph:
// deep nesting, a flood of headings, a note too large to read. Each must
// build (or fail with a clear message) without a panic and in reasonable
// time.
func TestPathologicalNotes(t *testing.T) {
	var deep strings.Builder
	for i := range 10000 {
		deep.WriteString(strings.Repeat(" ", i%200))
		deep.WriteString("* level\n")
	}
	var quotes strings.Builder
	quotes.WriteString(strings.Repeat(">", 10000))
	quotes.WriteString(" deep quote\n")
	var headings strings.Builder
	for i := range 100000 {
		headings.WriteString("## Kinesis ")
		headings.WriteString(strings.Repeat("x", i%7))
		headings.WriteString("\n")
	}
	tests := []struct {
		name    string
		note    string
		maxSize int64
		fails   string // part of the error, if it must fail
	}{
		{name: "10,000-deep list", note: deep.String()},
		{name: "10,000-deep block quote", note: quotes.String()},
		{name: "100,000 headings", note: headings.String()},
		{name: "50 MB note", note: strings.Repeat("Kinesis Data Streams holds records. ", 50<<20/36+1), fails: "larger than the 32.0 MB limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			res, err := Build(context.Background(), Options{Content: fstest.MapFS{"notes/x.md": {Data: []byte(tt.note)}}, MaxNoteSize: tt.maxSize})
			t.Logf("%s: %v", tt.name, time.Since(start).Round(time.Millisecond))
			if tt.fails != "" {
				if err == nil || !strings.Contains(err.Error(), tt.fails) || !strings.Contains(err.Error(), "notes/x.md") {
					t.Fatalf("error = %v, want one naming notes/x.md and %q", err, tt.fails)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Stats.Pages < 2 {
				t.Errorf("%d pages", res.Stats.Pages)
			}
		})
	}
}

// TestSymlinkLoop builds a content folder whose notes folder links to
// itself: the walk must report the loop, not recurse for ever.
func TestSymlinkLoop(t *testing.T) {
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes")
	if err := os.MkdirAll(notes, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(notes, "a.md"), []byte("# A\n\ntext\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(notes, filepath.Join(notes, "loop")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if err := os.Symlink("missing.md", filepath.Join(notes, "dangling.md")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := Build(ctx, Options{ContentDir: dir})
	if ctx.Err() != nil {
		t.Fatal("the build did not end: a symlink loop was followed")
	}
	if res == nil {
		t.Fatalf("no result: %v", err)
	}
	found := false
	for _, d := range res.Diagnostics {
		if strings.Contains(d.Path, "dangling.md") {
			found = true
		}
	}
	if !found {
		t.Errorf("the dangling link was not reported: %v", res.Diagnostics)
	}
}

// TestSymlinkOutOfContent checks that a note that is a symbolic link to a
// file outside the content folder is refused, not published.
func TestSymlinkOutOfContent(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret.md")
	if err := os.WriteFile(secret, []byte("# Secret\n\nnot for the site\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	content := filepath.Join(dir, "content")
	if err := os.MkdirAll(filepath.Join(content, "notes"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(content, "notes", "a.md"), []byte("# A\n\ntext\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(content, "notes", "leak.md")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	res, err := Build(context.Background(), Options{ContentDir: content})
	if res == nil {
		t.Fatalf("no result: %v", err)
	}
	for _, f := range res.Files {
		if strings.Contains(string(f.Data), "not for the site") {
			t.Fatalf("%s holds the text of a file outside the content folder", f.Path)
		}
	}
	found := false
	for _, d := range res.Diagnostics {
		if strings.Contains(d.Path, "leak.md") {
			found = true
		}
	}
	if !found {
		t.Errorf("the escaping link was not reported: %v", res.Diagnostics)
	}
}

// TestBadCatalog checks that a catalog with a duplicate id or a dangling
// parent fails the build with the catalog's path and line.
func TestBadCatalog(t *testing.T) {
	note := &fstest.MapFile{Data: []byte("# Kinesis\n\ntext\n")}
	tests := []struct {
		name, catalog, want string
	}{
		{"duplicate id", `categories:
  - id: collection
    name: Collection
    summary: In.
entities:
  - id: kinesis
    name: Amazon Kinesis
    kind: service
    category: collection
    summary: Streams.
    docs: https://docs.aws.amazon.com/kinesis/
  - id: kinesis
    name: Amazon Kinesis Again
    kind: service
    category: collection
    summary: Streams.
    docs: https://docs.aws.amazon.com/kinesis/
topics:
  - id: overview
    name: Overview
    words: [overview]
`, "catalog.yaml:6: id \"kinesis\" is used twice (also on line 12)"},
		{"dangling parent", `categories:
  - id: collection
    name: Collection
    summary: In.
entities:
  - id: kinesis-data-streams
    name: Amazon Kinesis Data Streams
    kind: service
    category: collection
    parent: kinesis
    summary: Streams.
    docs: https://docs.aws.amazon.com/kinesis/
topics:
  - id: overview
    name: Overview
    words: [overview]
`, "catalog.yaml:6: entity \"kinesis-data-streams\" has parent \"kinesis\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Build(context.Background(), Options{Content: fstest.MapFS{"notes/k.md": note, "catalog.yaml": {Data: []byte(tt.catalog)}}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want one at %s", err, tt.want)
			}
		})
	}
}
