package generator

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"unicode/utf8"
)

// FuzzPipeline runs the whole pipeline, notes in and graph and pages out,
// on arbitrary note text: it must never panic, and every page must be
// valid UTF-8. It is seeded with the bundled notes. The catalog is a small
// part of the real one (testdata/fuzz-catalog.yaml): with all of it every
// run would render hundreds of entity pages that the note cannot change,
// and the fuzzer would try a few inputs a minute.
func FuzzPipeline(f *testing.F) {
	files, _ := filepath.Glob("../content/notes/*.txt")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err == nil {
			f.Add(string(b[:min(len(b), 4000)]))
		}
	}
	f.Add("# Kinesis vs SQS\n\n* Streams :\n * 1 MB/s\n* SQL\n  * 256 KB\n")
	f.Add("=== X ===\nS3\n- a | b\n- c\nx | y |\n1 | 2 | 3\n")
	catalog, err := os.ReadFile("testdata/fuzz-catalog.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, note string) {
		fsys := fstest.MapFS{
			"notes/fuzz.md": {Data: []byte(note)},
			"catalog.yaml":  {Data: catalog},
		}
		res, err := Build(context.Background(), Options{Content: fsys})
		if res == nil {
			t.Fatalf("no result: %v", err)
		}
		for _, file := range res.Files {
			if filepath.Ext(file.Path) == ".html" && !utf8.Valid(file.Data) {
				t.Errorf("%s is not valid UTF-8", file.Path)
			}
		}
	})
}
