package parse

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark"

	"github.com/gen-site/gen/generator/internal/clean"
	"github.com/gen-site/gen/generator/internal/source"
)

// update rewrites the golden files of the notes; the case files of the
// rules live in package mdext, with their own -update and -case flags.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/notes")

// contentDir holds the project's raw notes; tests read them in place.
const contentDir = "../../../content"

// pipeline is what the build does to a note: clean it, then parse it with
// the format the cleaner recognised.
func pipeline(p *Parser, body []byte, opts clean.Options) (*clean.Result, *Doc) {
	c := clean.Clean(body, opts)
	return c, p.Parse(c.Text, Options{Format: c.Format})
}

func render(t testing.TB, p *Parser, doc *Doc) string {
	t.Helper()
	var b bytes.Buffer
	if err := p.Render(&b, doc); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func renderPlain(t testing.TB, md goldmark.Markdown, src []byte) string {
	t.Helper()
	var b bytes.Buffer
	if err := md.Convert(src, &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func loadNotes(t testing.TB) []*source.Note {
	t.Helper()
	notes, diags := source.Load(os.DirFS(contentDir), source.Options{})
	for _, d := range diags {
		t.Logf("%v", d)
	}
	if len(notes) == 0 {
		t.Fatalf("no notes under %s", contentDir)
	}
	return notes
}

func cleanOptions(n *source.Note) clean.Options {
	return clean.Options{FirstLine: n.BodyLine, FirstOff: n.BodyStart, FrontMatter: n.HasFront}
}

// outline prints the headings of doc, one a line: level, raw line, text,
// and what a rule changed or kept.
func outline(c *clean.Result, doc *Doc) string {
	var b strings.Builder
	for _, h := range Headings(doc) {
		fmt.Fprintf(&b, "%s %d: %s", strings.Repeat("#", h.Level), c.RawLine(h.Offset), h.Text)
		if h.Annotation != "" {
			fmt.Fprintf(&b, "  {annotation: %s}", h.Annotation)
		}
		if h.Rule != "" {
			fmt.Fprintf(&b, "  [%s]", h.Rule)
		}
		if h.Raw != h.Text {
			fmt.Fprintf(&b, "  raw=%q", h.Raw)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// golden compares got with testdata/name, or writes it there with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run with -update and review the diff):\n%s", path, lineDiff(string(want), got))
	}
}

// lineDiff shows the first lines where want and got differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %q\n  got  %q\n", i+1, wl, gl)
			shown++
		}
	}
	return b.String()
}

// TestNotes checks the heading outline and the HTML of each raw note
// against testdata/notes/, through the whole clean and parse path.
func TestNotes(t *testing.T) {
	p := New()
	for _, n := range loadNotes(t) {
		name := strings.TrimSuffix(filepath.Base(n.Path), filepath.Ext(n.Path))
		t.Run(name, func(t *testing.T) {
			c, doc := pipeline(p, n.Body, cleanOptions(n))
			golden(t, "notes/"+name+".outline", "format: "+c.Format+"\n"+outline(c, doc))
			golden(t, "notes/"+name+".html", render(t, p, doc))
			for _, h := range Headings(doc) {
				if h.Offset < 0 || h.Offset > len(doc.Source) {
					t.Errorf("heading %q: offset %d outside the source", h.Text, h.Offset)
				}
			}
		})
	}
}

// TestOutline000 pins the outline that the author of note 000 meant.
func TestOutline000(t *testing.T) {
	p := New()
	for _, n := range loadNotes(t) {
		if !strings.HasPrefix(filepath.Base(n.Path), "000_") {
			continue
		}
		_, doc := pipeline(p, n.Body, cleanOptions(n))
		var got []string
		for _, h := range Headings(doc) {
			got = append(got, strings.Repeat("#", h.Level)+" "+h.Text)
		}
		want := []string{
			"# Migration", "## Storage Gateway", "## Use cases", "## Types of Storage Gateway",
			"### S3 File Gateway", "### FSx File Gateway", "### Volume Gateway",
			"#### Cached volumes", "#### Stored volumes", "### Tape Gateway", "# Storage",
		}
		if len(got) < len(want) || strings.Join(got[:len(want)], "\n") != strings.Join(want, "\n") {
			t.Errorf("outline of %s starts:\n%s\nwant:\n%s", n.Path, strings.Join(got[:min(len(got), len(want))], "\n"), strings.Join(want, "\n"))
		}
		return
	}
	t.Fatal("note 000 not found")
}
