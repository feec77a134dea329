package output

import (
	"errors"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readTree returns every file under dir by its slash-separated path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestWrite(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "deep", "public")
	first := []File{
		{Path: "index.html", Data: []byte("home")},
		{Path: "notes/a.html", Data: []byte("a")},
		{Path: "notes/old.html", Data: []byte("old")},
		{Path: "assets/css/x.css", Data: []byte("css")},
	}
	if err := Write(out, first); err != nil {
		t.Fatal(err)
	}
	got := readTree(t, out)
	want := map[string]string{Marker: markerText, "index.html": "home", "notes/a.html": "a", "notes/old.html": "old", "assets/css/x.css": "css"}
	if !maps.Equal(got, want) {
		t.Errorf("first write: %v, want %v", got, want)
	}

	// A second write replaces the folder whole: files it does not make are gone.
	second := []File{{Path: "index.html", Data: []byte("home 2")}, {Path: "notes/a.html", Data: []byte("a 2")}}
	if err := Write(out, second); err != nil {
		t.Fatal(err)
	}
	got = readTree(t, out)
	want = map[string]string{Marker: markerText, "index.html": "home 2", "notes/a.html": "a 2"}
	if !maps.Equal(got, want) {
		t.Errorf("second write: %v, want %v", got, want)
	}

	// Nothing is left beside the output: no temporary or previous folders.
	entries, err := os.ReadDir(filepath.Dir(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "public" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("beside the output: %q, want only public", names)
	}
	if err := CheckTarget(out, "", false); err != nil {
		t.Errorf("CheckTarget refuses a folder Write made: %v", err)
	}
}

func TestWriteInvalidPath(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	if err := Write(out, []File{{Path: "index.html", Data: []byte("good")}}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"../escape.html", "/abs.html", "a//b.html", ".", "", `a\..\..\b`} {
		if filepath.Separator != '\\' && strings.Contains(p, `\`) {
			continue // a valid (if odd) file name where \ is not a separator
		}
		err := Write(out, []File{{Path: "ok.html", Data: []byte("new")}, {Path: p, Data: []byte("bad")}})
		if err == nil {
			t.Errorf("Write with path %q: no error", p)
		}
	}
	// Every failed write left the previous output, and nothing beside it.
	if got, want := readTree(t, out), map[string]string{Marker: markerText, "index.html": "good"}; !maps.Equal(got, want) {
		t.Errorf("after failed writes: %v, want %v", got, want)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("failed writes left %d entries beside the output", len(entries)-1)
	}
	if _, err := os.Stat(filepath.Join(parent, "escape.html")); err == nil {
		t.Errorf("a path with .. was written outside the output")
	}
}

func TestWriteReplacesFileWhenForced(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if err := os.WriteFile(out, []byte("a file"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(out, []File{{Path: "index.html", Data: []byte("home")}}); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, out)["index.html"]; got != "home" {
		t.Errorf("index.html = %q, want home", got)
	}
}

func TestSwapFallback(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	tmp := filepath.Join(parent, "tmp")
	for dir, content := range map[string]string{out: "old", tmp: "new"} {
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "f"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// swap without an atomic exchange, as on systems that lack one.
	if err := swapByRename(tmp, out); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, out)["f"]; got != "new" {
		t.Errorf("after swap: %q, want new", got)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("swap left %d entries beside the output", len(entries)-1)
	}
}

func TestCheckTarget(t *testing.T) {
	root := t.TempDir()
	t.Setenv("HOME", filepath.Join(root, "home"))
	mk := func(p string, files ...string) string {
		p = filepath.Join(root, p)
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if err := os.WriteFile(filepath.Join(p, f), []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	home := mk("home")
	site := mk("site")
	content := mk("site/content/notes", "a.md")
	content = filepath.Dir(content)
	empty := mk("empty")
	mine := mk("mine", Marker, "index.html")
	other := mk("other", "important.txt")
	dotdot := mk("dd")
	ddContent := mk("dd/..content")
	file := filepath.Join(mk("f", "file.html"), "file.html")

	tests := []struct {
		name    string
		out     string
		content string
		force   bool
		refuse  string // a piece of the error, or "" for none
	}{
		{"root", "/", content, false, "root of the file system"},
		{"root forced", "/", content, true, "root of the file system"},
		{"root by another name", "/tmp/..", content, true, "root of the file system"},
		{"home", home, content, true, "home folder"},
		{"content folder", content, content, true, "is the content folder"},
		{"content by another name", filepath.Join(content, "notes", ".."), content, true, "is the content folder"},
		{"holds content", site, content, true, "holds the content folder"},
		{"inside content", filepath.Join(content, "public"), content, true, "inside the content folder"},
		{"content named ..x", dotdot, ddContent, true, "holds the content folder"},
		{"beside a ..x folder", filepath.Join(dotdot, "..public"), filepath.Join(dotdot, "content"), false, ""},
		{"not empty", other, content, false, "non-empty folder that gen did not write"},
		{"not empty forced", other, content, true, ""},
		{"a file", file, content, false, "it is a file"},
		{"a file forced", file, content, true, ""},
		{"empty", empty, content, false, ""},
		{"missing", filepath.Join(root, "missing", "public"), content, false, ""},
		{"marker", mine, content, false, ""},
		{"sibling of content", filepath.Join(site, "public"), content, false, ""},
		{"no content named", other, "", false, "non-empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckTarget(tt.out, tt.content, tt.force)
			switch {
			case tt.refuse == "" && err != nil:
				t.Errorf("CheckTarget(%s) = %v, want nil", tt.out, err)
			case tt.refuse != "" && err == nil:
				t.Errorf("CheckTarget(%s) = nil, want an error about %q", tt.out, tt.refuse)
			case err != nil && !strings.Contains(err.Error(), tt.refuse):
				t.Errorf("CheckTarget(%s) = %v, want an error about %q", tt.out, err, tt.refuse)
			case err != nil && !strings.Contains(err.Error(), tt.out):
				t.Errorf("CheckTarget(%s) = %v, which does not name the folder", tt.out, err)
			}
		})
	}
}

func TestCheckTargetRelative(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.MkdirAll("content/notes", 0o755); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{".", "./", "content", "content/", "content/notes/../public"} {
		if err := CheckTarget(out, "content", true); err == nil {
			t.Errorf("CheckTarget(%q, content) = nil, want a refusal", out)
		}
	}
	for _, out := range []string{"public", "../public", "contents"} {
		if err := CheckTarget(out, "content", false); err != nil {
			t.Errorf("CheckTarget(%q, content) = %v, want nil", out, err)
		}
	}
}

func TestWithin(t *testing.T) {
	tests := []struct {
		child, parent string
		want          bool
	}{
		{"/a/b", "/a", true},
		{"/a/b/c", "/a", true},
		{"/a", "/a", false},
		{"/a", "/a/b", false},
		{"/ab", "/a", false},
		{"/a/..b", "/a", true},
		{"/..b", "/", true},
		{"/b", "/a", false},
	}
	for _, tt := range tests {
		if got := within(filepath.FromSlash(tt.child), filepath.FromSlash(tt.parent)); got != tt.want {
			t.Errorf("within(%q, %q) = %v, want %v", tt.child, tt.parent, got, tt.want)
		}
	}
}

// TestReplaceFile replaces a file, then fails a write: the file is the
// last one written whole, and no new file is left beside it.
func TestReplaceFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	for _, data := range []string{"one", "two"} {
		if err := ReplaceFile(path, func(w io.Writer) error { _, err := io.WriteString(w, data); return err }); err != nil {
			t.Fatal(err)
		}
	}
	failed := errors.New("failed")
	if err := ReplaceFile(path, func(w io.Writer) error { io.WriteString(w, "thr"); return failed }); err != failed {
		t.Errorf("error %v, want %v", err, failed)
	}
	if got, err := os.ReadFile(path); err != nil || string(got) != "two" {
		t.Errorf("%s holds %q, %v; want \"two\"", path, got, err)
	}
	if left := PartialFiles(path); len(left) > 0 {
		t.Errorf("%v left", left)
	}
}

// TestWriteLinksUnchanged checks that a rebuild links the files whose bytes
// did not change to the previous output's, writes the others anew, and
// leaves the previous files as they were (held open here as a reader of
// the old site would).
func TestWriteLinksUnchanged(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	first := []File{
		{Path: "same.html", Data: []byte("same")},
		{Path: "notes/grew.html", Data: []byte("grew")},
		{Path: "notes/edited.html", Data: []byte("edit")},
		{Path: "empty.txt", Data: nil},
		{Path: "gone.html", Data: []byte("gone")},
	}
	if err := Write(out, first); err != nil {
		t.Fatal(err)
	}
	before := map[string]os.FileInfo{}
	for _, f := range first {
		fi, err := os.Stat(filepath.Join(out, f.Path))
		if err != nil {
			t.Fatal(err)
		}
		before[f.Path] = fi
	}
	edited, err := os.Open(filepath.Join(out, "notes/edited.html"))
	if err != nil {
		t.Fatal(err)
	}
	defer edited.Close()

	second := []File{
		{Path: "same.html", Data: []byte("same")},
		{Path: "notes/grew.html", Data: []byte("grew!")},
		{Path: "notes/edited.html", Data: []byte("EDIT")}, // same size, other bytes
		{Path: "empty.txt", Data: nil},
		{Path: "new.html", Data: []byte("new")},
	}
	if err := Write(out, second); err != nil {
		t.Fatal(err)
	}
	got := readTree(t, out)
	want := map[string]string{Marker: markerText, "same.html": "same", "notes/grew.html": "grew!", "notes/edited.html": "EDIT", "empty.txt": "", "new.html": "new"}
	if !maps.Equal(got, want) {
		t.Errorf("second write: %v, want %v", got, want)
	}
	for _, tc := range []struct {
		path   string
		linked bool
	}{{"same.html", true}, {"empty.txt", true}, {"notes/grew.html", false}, {"notes/edited.html", false}} {
		fi, err := os.Stat(filepath.Join(out, tc.path))
		if err != nil {
			t.Fatal(err)
		}
		if os.SameFile(fi, before[tc.path]) != tc.linked {
			t.Errorf("%s: same file as before = %v, want %v", tc.path, !tc.linked, tc.linked)
		}
	}
	// The reader of the previous site still reads the previous bytes.
	if b, err := io.ReadAll(edited); err != nil || string(b) != "edit" {
		t.Errorf("the previous file now reads %q, %v; want it untouched", b, err)
	}
}

// TestWriteLinksOnlyOwnOutput checks that files of a folder gen did not
// write (replaced with --force) are never linked into the site.
func TestWriteLinksOnlyOwnOutput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "index.html"), []byte("home"), 0o644); err != nil {
		t.Fatal(err)
	}
	theirs, err := os.Stat(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(out, []File{{Path: "index.html", Data: []byte("home")}}); err != nil {
		t.Fatal(err)
	}
	ours, err := os.Stat(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if os.SameFile(theirs, ours) {
		t.Errorf("a file of a folder gen did not write was linked into the site")
	}
}
