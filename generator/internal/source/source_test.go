package source

import (
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gen-site/gen/generator/internal/diag"
)

func TestLoadFindsNotes(t *testing.T) {
	tests := []struct {
		name  string
		fsys  fstest.MapFS
		paths []string
		slugs []string
	}{
		{
			name: "notes folder",
			fsys: fstest.MapFS{
				"notes/b.md":           {Data: []byte("b")},
				"notes/a.txt":          {Data: []byte("a")},
				"notes/sub/c.MARKDOWN": {Data: []byte("c")},
				"notes/.draft.md":      {Data: []byte("hidden")},
				"notes/.git/x.md":      {Data: []byte("hidden")},
				"notes/image.png":      {Data: []byte("not a note")},
				"README.md":            {Data: []byte("outside notes/")},
			},
			paths: []string{"notes/a.txt", "notes/b.md", "notes/sub/c.MARKDOWN"},
			slugs: []string{"a", "b", "sub-c"},
		},
		{
			name: "no notes folder",
			fsys: fstest.MapFS{
				"x.md":      {Data: []byte("x")},
				"deep/y.md": {Data: []byte("y")},
			},
			paths: []string{"deep/y.md", "x.md"},
			slugs: []string{"deep-y", "x"},
		},
		{
			name: "notes is a file",
			fsys: fstest.MapFS{
				"notes": {Data: []byte("a file named notes")},
				"x.md":  {Data: []byte("x")},
			},
			paths: []string{"x.md"},
			slugs: []string{"x"},
		},
		{
			name: "slug collisions",
			fsys: fstest.MapFS{
				"notes/a.md":   {Data: []byte("1")},
				"notes/a.txt":  {Data: []byte("2")},
				"notes/a-2.md": {Data: []byte("3")},
				"notes/A B.md": {Data: []byte("4")},
				"notes/日本.md":  {Data: []byte("5")},
				"notes/中国.txt": {Data: []byte("6")},
			},
			paths: []string{"notes/A B.md", "notes/a-2.md", "notes/a.md", "notes/a.txt", "notes/中国.txt", "notes/日本.md"},
			slugs: []string{"a-b", "a-2", "a", "a-3", "note", "note-2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			notes, diags := Load(tt.fsys, Options{})
			if len(diags) > 0 {
				t.Errorf("diagnostics: %v", diags)
			}
			var paths, slugs []string
			for _, n := range notes {
				paths = append(paths, n.Path)
				slugs = append(slugs, n.Slug)
				if n.ID != "n-"+n.Slug {
					t.Errorf("%s: ID %q, want %q", n.Path, n.ID, "n-"+n.Slug)
				}
				if want := tt.fsys[n.Path].Data; string(n.Raw) != string(want) || n.Hash != sha256.Sum256(want) {
					t.Errorf("%s: Raw or Hash differ from the file", n.Path)
				}
			}
			if !slices.Equal(paths, tt.paths) {
				t.Errorf("paths = %q, want %q", paths, tt.paths)
			}
			if !slices.Equal(slugs, tt.slugs) {
				t.Errorf("slugs = %q, want %q", slugs, tt.slugs)
			}
		})
	}
}

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Kinesis Data Streams", "kinesis-data-streams"},
		{"sub/deep_note", "sub-deep_note"},
		{"  --S3 -- IA--  ", "s3-ia"},
		{"003_f9dd710ae31eb546", "003_f9dd710ae31eb546"},
		{"Café au lait", "caf-au-lait"},
		{"日本", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Slugify(tt.in); got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFrontMatter(t *testing.T) {
	tests := []struct {
		name     string
		raw      string
		hasFront bool
		front    FrontMatter // Extra is compared by its keys only
		extra    []string
		body     string
		bodyLine int
	}{
		{
			name:     "hexo",
			raw:      "---\ntitle: 'Collection: Moving data'\ndate: 2019-07-14 09:08:57\ntags: BD\ncategories: [AWS, Big Data]\nlayout: post\n---\n\n## Intro\n",
			hasFront: true,
			front:    FrontMatter{Title: "Collection: Moving data", Date: "2019-07-14 09:08:57", Tags: []string{"BD"}, Categories: []string{"AWS", "Big Data"}},
			extra:    []string{"layout"},
			body:     "\n## Intro\n",
			bodyLine: 8,
		},
		{
			name:     "date only, tag list",
			raw:      "---\nTitle:  Spaced  \ndate: 2020-01-02\ntag:\n  - a\n  - ''\n  - 3\n...\nbody",
			hasFront: true,
			front:    FrontMatter{Title: "Spaced", Date: "2020-01-02", Tags: []string{"a", "3"}},
			body:     "body",
			bodyLine: 9,
		},
		{
			name:     "crlf and trailing spaces",
			raw:      "--- \r\ntitle: crlf\r\n---\r\ntext\r\n",
			hasFront: true,
			front:    FrontMatter{Title: "crlf"},
			body:     "text\r\n",
			bodyLine: 4,
		},
		{
			name:     "byte order mark",
			raw:      "\xef\xbb\xbf---\ntitle: bom\n---\ntext\n",
			hasFront: true,
			front:    FrontMatter{Title: "bom"},
			body:     "text\n",
			bodyLine: 4,
		},
		{
			name:     "empty block",
			raw:      "---\n---\ntext\n",
			hasFront: true,
			body:     "text\n",
			bodyLine: 3,
		},
		{
			name:     "no closing line",
			raw:      "---\ntitle: x\n\n# Heading\n",
			body:     "---\ntitle: x\n\n# Heading\n",
			bodyLine: 1,
		},
		{
			name:     "closing line at end of file",
			raw:      "---\ntitle: x\n---",
			hasFront: true,
			front:    FrontMatter{Title: "x"},
			body:     "",
			bodyLine: 4,
		},
		{
			// A thematic break and a setext heading, not front matter.
			name:     "not a mapping",
			raw:      "---\nSome title\n---\ntext\n",
			body:     "---\nSome title\n---\ntext\n",
			bodyLine: 1,
		},
		{
			name:     "a list",
			raw:      "---\n- a\n- b\n---\n",
			body:     "---\n- a\n- b\n---\n",
			bodyLine: 1,
		},
		{
			name:     "not at the top",
			raw:      "\n---\ntitle: x\n---\n",
			body:     "\n---\ntitle: x\n---\n",
			bodyLine: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			notes, diags := Load(fstest.MapFS{"n.md": {Data: []byte(tt.raw)}}, Options{})
			if len(diags) > 0 {
				t.Errorf("diagnostics: %v", diags)
			}
			n := notes[0]
			if n.HasFront != tt.hasFront {
				t.Errorf("HasFront = %v, want %v", n.HasFront, tt.hasFront)
			}
			var extra []string
			for k := range n.Front.Extra {
				extra = append(extra, k)
			}
			slices.Sort(extra)
			got := n.Front
			got.Extra = nil
			if got.Title != tt.front.Title || got.Date != tt.front.Date ||
				!slices.Equal(got.Tags, tt.front.Tags) || !slices.Equal(got.Categories, tt.front.Categories) {
				t.Errorf("Front = %+v, want %+v", got, tt.front)
			}
			if !slices.Equal(extra, tt.extra) {
				t.Errorf("Extra keys = %q, want %q", extra, tt.extra)
			}
			if string(n.Body) != tt.body || n.BodyLine != tt.bodyLine {
				t.Errorf("Body = %q at line %d, want %q at line %d", n.Body, n.BodyLine, tt.body, tt.bodyLine)
			}
			if string(n.Raw[n.BodyStart:]) != string(n.Body) {
				t.Errorf("BodyStart %d does not point at Body", n.BodyStart)
			}
		})
	}
}

// TestBadFrontMatter checks that a front matter error names the raw line of
// the note where the YAML goes wrong. The YAML package numbers lines from 0
// or from 1 depending on the kind of error, so each kind is here.
func TestBadFrontMatter(t *testing.T) {
	tests := []struct {
		raw  string
		line int
		msg  string
	}{
		{"---\ntitle: a\nfoo: [b\nbar: c\n---\n", 3, "did not find expected ',' or ']'"},
		{"---\ntitle: a\n  foo: b\n---\n", 3, "mapping values are not allowed"},
		{"---\na: 1\nb: 2\nc: \"x\n---\n", 4, "found unexpected end of stream"},
		{"---\na: 1\n\tb: 2\n---\n", 3, "tab character"},
		{"---\n- a\nb: c\n---\n", 3, "did not find expected '-' indicator"},
		{"---\nx: @y\n---\n", 2, "cannot start any token"},
		// The problem is found at the end of the block.
		{"---\n{a: b\n---\n", 3, "did not find expected ',' or '}'"},
		{"---\na: 1\na: 2\n---\n", 3, `mapping key "a" already defined`},
		{"---\ntitle: x\ntitle: y\n---\n", 3, "already defined"},
	}
	for _, tt := range tests {
		notes, diags := Load(fstest.MapFS{"notes/bad.md": {Data: []byte(tt.raw)}}, Options{})
		if len(notes) != 1 {
			t.Errorf("%q: %d notes, want the note kept", tt.raw, len(notes))
		}
		if len(diags) != 1 {
			t.Errorf("%q: diagnostics %v, want one", tt.raw, diags)
			continue
		}
		d := diags[0]
		if d.Path != "notes/bad.md" || d.Line != tt.line || d.Severity != diag.Error || d.Rule != "front-matter" ||
			!strings.HasPrefix(d.Msg, "front matter is not valid YAML: ") || !strings.Contains(d.Msg, tt.msg) {
			t.Errorf("%q: got %v (line %d), want an error at line %d about %q", tt.raw, d, d.Line, tt.line, tt.msg)
		}
		if strings.Contains(d.Msg, "yaml:") {
			t.Errorf("%q: message %q repeats the YAML package's prefix", tt.raw, d.Msg)
		}
	}
}

func TestFrontMatterInvalidUTF8(t *testing.T) {
	notes, diags := Load(fstest.MapFS{"n.md": {Data: []byte("---\ndate: 2020-01-01\ntitle: caf\xe9\n---\n# x\n")}}, Options{})
	want := diag.List{{Path: "n.md", Line: 3, Severity: diag.Warning, Rule: "utf8", Msg: `invalid UTF-8 byte \xE9 replaced with U+FFFD`}}
	if !slices.Equal(diags, want) {
		t.Errorf("diagnostics = %v, want %v", diags, want)
	}
	if got := notes[0].Front.Title; got != "caf\uFFFD" {
		t.Errorf("Title = %q, want %q", got, "caf\uFFFD")
	}
}

func TestLoadProblems(t *testing.T) {
	tests := []struct {
		name string
		data string
		opts Options
		kept bool
		diag diag.Diagnostic
	}{
		{"empty", "", Options{}, true, diag.Diagnostic{Severity: diag.Warning, Rule: "empty", Msg: "note is empty"}},
		{"blank", " \n\t\r\n", Options{}, true, diag.Diagnostic{Severity: diag.Warning, Rule: "empty", Msg: "note is empty"}},
		{"binary", "PK\x03\x04\x00\x00binary", Options{}, false, diag.Diagnostic{Severity: diag.Warning, Rule: "binary", Msg: "looks like a binary file, not a note; skipped"}},
		{"too big", strings.Repeat("x", 2048), Options{MaxNoteSize: 1024}, false, diag.Diagnostic{Severity: diag.Error, Rule: "size", Msg: "note is 2.0 KB, larger than the 1.0 KB limit; split it or raise --max-note-size"}},
		{"at the limit", strings.Repeat("x", 1024), Options{MaxNoteSize: 1024}, true, diag.Diagnostic{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			notes, diags := Load(fstest.MapFS{"notes/n.md": {Data: []byte(tt.data)}}, tt.opts)
			if kept := len(notes) == 1; kept != tt.kept {
				t.Errorf("note kept = %v, want %v", kept, tt.kept)
			}
			var want diag.List
			if tt.diag.Msg != "" {
				d := tt.diag
				d.Path = "notes/n.md"
				want = diag.List{d}
			}
			if !slices.Equal(diags, want) {
				t.Errorf("diagnostics = %v, want %v", diags, want)
			}
		})
	}
}

// failFS is a file system whose files named bad.md cannot be read.
type failFS struct{ fstest.MapFS }

var errDisk = errors.New("input/output error")

func (f failFS) Open(name string) (fs.File, error) {
	if strings.HasSuffix(name, "bad.md") {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errDisk}
	}
	return f.MapFS.Open(name)
}

func (f failFS) ReadFile(name string) ([]byte, error) {
	if strings.HasSuffix(name, "bad.md") {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errDisk}
	}
	return f.MapFS.ReadFile(name)
}

func (f failFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(f.MapFS, name) }

func TestLoadUnreadable(t *testing.T) {
	fsys := failFS{fstest.MapFS{"notes/bad.md": {Data: []byte("x")}, "notes/good.md": {Data: []byte("# ok")}}}
	notes, diags := Load(fsys, Options{})
	if len(notes) != 1 || notes[0].Path != "notes/good.md" {
		t.Errorf("notes = %v, want good.md only", notes)
	}
	want := diag.List{{Path: "notes/bad.md", Severity: diag.Error, Rule: "read", Msg: "cannot read: input/output error"}}
	if !slices.Equal(diags, want) {
		t.Errorf("diagnostics = %v, want %v", diags, want)
	}
}

func TestLoadDanglingSymlink(t *testing.T) {
	dir := t.TempDir()
	if err := os.Symlink(filepath.Join(dir, "missing.md"), filepath.Join(dir, "x.md")); err != nil {
		t.Skipf("cannot make a symlink: %v", err)
	}
	if err := os.Mkdir(filepath.Join(dir, "folder.md"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ok.md"), []byte("# ok\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	notes, diags := Load(os.DirFS(dir), Options{})
	if len(notes) != 1 || notes[0].Path != "ok.md" {
		t.Errorf("notes = %v, want ok.md only", notes)
	}
	if len(diags) != 1 {
		t.Fatalf("diagnostics = %v, want one for x.md", diags)
	}
	d := diags[0]
	if d.Path != "x.md" || d.Severity != diag.Error || !strings.HasPrefix(d.Msg, "cannot read: ") || strings.Contains(d.Msg, dir) {
		t.Errorf("diagnostic = %v, want an error naming x.md once", d)
	}
}

// FuzzFastFront checks that front matter fastFront accepts is what the
// YAML decoder makes of it.
func FuzzFastFront(f *testing.F) {
	for _, s := range []string{
		"title: \"Cache\"\ntags: [aws, analytics]\n",
		"title: Kinesis Data Streams\ndate: '2023-01-05'\ncategories: [AWS, Study notes]\n",
		"Title: a\ntags: \"x\"\n\ncategory: [\"a b\", 'c']\n",
		"tags: []\ntitle:\n",
		"title: yes\n",
		"title: a: b\n",
		"tags: [a, , b]\n",
		"title: x\ntitle: y\n",
		"title: \"a # b\" \n",
		"tags: [\"a]\"]\n",
		"date: 2023-01-05\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		fm, ok := fastFront([]byte(text))
		if !ok {
			return
		}
		var n Note
		var diags diag.List
		if !yamlFront(&n, []byte(text), &diags) || len(diags) > 0 {
			t.Fatalf("%q: fast path took what YAML reads as no front matter or an error: %v", text, diags)
		}
		if !reflect.DeepEqual(fm, n.Front) {
			t.Fatalf("%q: fast path %#v, YAML %#v", text, fm, n.Front)
		}
	})
}

// TestFastFront lists what the fast path takes and what it leaves to
// the YAML decoder.
func TestFastFront(t *testing.T) {
	tests := []struct {
		text string
		ok   bool
		want FrontMatter
	}{
		{"title: \"Cache\"\ntags: [aws, analytics]\n", true, FrontMatter{Title: "Cache", Tags: []string{"aws", "analytics"}}},
		{"title: Kinesis - Streams \ncategories: [AWS, 'Study notes']\n", true, FrontMatter{Title: "Kinesis - Streams", Categories: []string{"AWS", "Study notes"}}},
		{"tag: x\n\ndate: \"2023\"\n", true, FrontMatter{Date: "2023", Tags: []string{"x"}}},
		{"title:\ntags: []\n", true, FrontMatter{}},
		{"date: 2023-01-05\n", false, FrontMatter{}},       // a timestamp
		{"title: yes\n", false, FrontMatter{}},             // YAML's booleans
		{"author: me\n", false, FrontMatter{}},             // Extra keeps what YAML made
		{"tags:\n  - a\n", false, FrontMatter{}},           // a block list
		{"title: \"é\"\n", false, FrontMatter{}},           // not ASCII
		{"title: a\r\n", false, FrontMatter{}},             // CRLF
		{"tags: [a]\ntag: [b]\n", false, FrontMatter{}},    // one field twice
		{"title: a # note\n", false, FrontMatter{}},        // a comment
		{"title: \"a \\\"b\\\"\"\n", false, FrontMatter{}}, // escapes
	}
	for _, tt := range tests {
		fm, ok := fastFront([]byte(tt.text))
		if ok != tt.ok {
			t.Errorf("%q: fast path %v, want %v", tt.text, ok, tt.ok)
			continue
		}
		tt.want.Extra = map[string]any{}
		if ok && !reflect.DeepEqual(fm, tt.want) {
			t.Errorf("%q: %#v, want %#v", tt.text, fm, tt.want)
		}
	}
}
