package parse

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gen-site/gen/generator/internal/clean"
)

// FuzzParse runs clean, parse and render on arbitrary input, in both the
// markdown and the plaintext rules: no panic, valid UTF-8 out, and every
// heading placed inside the source. It is seeded with the CommonMark
// examples, the case files of mdext and the project's notes.
func FuzzParse(f *testing.F) {
	for _, ex := range loadSpec(f) {
		f.Add(ex.Markdown)
	}
	cases, _ := filepath.Glob("mdext/testdata/*.txt")
	for _, path := range cases {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		for _, part := range strings.Split(string(data), "//- - - - - - - - -//\n") {
			f.Add(part)
		}
	}
	for _, n := range loadNotes(f) {
		f.Add(string(n.Body))
	}
	p := New()
	f.Fuzz(func(t *testing.T, in string) {
		c := clean.Clean([]byte(in), clean.Options{})
		for _, format := range []string{c.Format, clean.FormatMarkdown, clean.FormatPlaintext} {
			doc := p.Parse(c.Text, Options{Format: format})
			var out bytes.Buffer
			if err := p.Render(&out, doc); err != nil {
				t.Fatalf("%s: render: %v", format, err)
			}
			if !utf8.Valid(out.Bytes()) {
				t.Fatalf("%s: output is not valid UTF-8", format)
			}
			for _, h := range Headings(doc) {
				if h.Offset < 0 || h.Offset > len(doc.Source) {
					t.Fatalf("%s: heading %q at offset %d, outside the source (%d bytes)", format, h.Text, h.Offset, len(doc.Source))
				}
				if c.RawLine(h.Offset) < 1 && len(c.Lines) > 0 {
					t.Fatalf("%s: heading %q maps to no raw line", format, h.Text)
				}
				if !utf8.ValidString(h.Text) || !utf8.ValidString(h.Raw) {
					t.Fatalf("%s: heading text is not valid UTF-8", format)
				}
			}
		}
	})
}
