package clean

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"
)

// FuzzClean checks the properties that hold for every input: no panic,
// valid UTF-8 out, Lines in step with the text and inside the raw text,
// and idempotence. It is seeded with every case input and the project's
// notes.
func FuzzClean(f *testing.F) {
	files, _ := filepath.Glob("testdata/cases/*.txtar")
	for _, path := range files {
		a, err := txtar.ParseFile(path)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range a.Files {
			if filepath.Ext(file.Name) == "" && len(file.Name) > 7 && file.Name[len(file.Name)-7:] == ": input" {
				f.Add(string(decodeVisible(file.Data)))
			}
		}
	}
	for _, n := range loadNotes(f) {
		f.Add(string(n.Body))
	}
	f.Fuzz(func(t *testing.T, in string) {
		raw := []byte(in)
		opts := Options{FirstLine: 3, FirstOff: 10}
		res := Clean(raw, opts)
		checkInvariants(t, raw, opts, res)
	})
}
