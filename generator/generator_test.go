package generator

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gen-site/gen/generator/internal/htmltest"
	"golang.org/x/net/html"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// bundledContent is the repository's own content folder, relative to this
// package.
const bundledContent = "../content"

// loadTxtar returns the files of testdata/name as a file system.
func loadTxtar(t testing.TB, name string) fs.FS {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	fsys, err := txtar.FS(a)
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

// buildInto builds a site and writes it to a new folder, which it returns.
func buildInto(t *testing.T, opts Options) (*Result, string) {
	t.Helper()
	res, err := Build(context.Background(), opts)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	out := filepath.Join(t.TempDir(), "public")
	if err := Write(out, res.Files); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return res, out
}

// readTree returns the contents of every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// builtSite is a written site, its HTML pages parsed.
type builtSite struct {
	files map[string][]byte
	pages map[string]*html.Node // by path, for every .html file
}

func readSite(t *testing.T, dir string) *builtSite {
	t.Helper()
	s := &builtSite{files: readTree(t, dir), pages: map[string]*html.Node{}}
	for p, b := range s.files {
		if path.Ext(p) == ".html" {
			s.pages[p] = htmltest.Parse(b)
		}
	}
	return s
}

// checkLinks checks that every href and src of every page names a file of
// the site and, where it has a #fragment and names a page, an element of
// that page. basePath is the path part of the base URL, which the 404
// page's links start with.
func checkLinks(t *testing.T, s *builtSite, basePath string) {
	t.Helper()
	for _, p := range slices.Sorted(maps.Keys(s.pages)) {
		for _, r := range htmltest.Refs(s.pages[p]) {
			target, ok := htmltest.Resolve(p, r.URL, basePath)
			if !ok {
				if strings.HasPrefix(r.URL, "#") {
					checkFragment(t, s, p, p, strings.TrimPrefix(r.URL, "#"))
				}
				continue
			}
			if _, exists := s.files[target]; !exists {
				t.Errorf("%s: <%s %s=%q> names %s, which is not a file of the site", p, r.Tag, r.Attr, r.URL, target)
				continue
			}
			if u, err := url.Parse(r.URL); err == nil && u.Fragment != "" && s.pages[target] != nil {
				checkFragment(t, s, p, target, u.Fragment)
			}
		}
	}
}

func checkFragment(t *testing.T, s *builtSite, from, page, id string) {
	t.Helper()
	if htmltest.First(s.pages[page], "#"+id) == nil && htmltest.First(s.pages[page], "a[name="+id+"]") == nil {
		t.Errorf("%s: link to %s#%s, which has no element with that id", from, page, id)
	}
}

// basePathOf is the path the 404 page's links start with.
func basePathOf(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	if !strings.HasSuffix(u.Path, "/") {
		return u.Path + "/"
	}
	return u.Path
}

// sitemapURLs returns the locations listed in a sitemap.
func sitemapURLs(t *testing.T, data []byte) []string {
	t.Helper()
	var sm struct {
		XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
		URLs    []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(data, &sm); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	var locs []string
	for _, u := range sm.URLs {
		locs = append(locs, u.Loc)
	}
	return locs
}

// fixtureNotes are the notes of testdata/site.txtar: their pages and the
// titles they must get (front matter title, else first heading, else file
// name).
var fixtureNotes = []struct {
	source, page, title string
}{
	{"notes/intro.md", "notes/intro.html", "Introduction"},
	{"notes/kinesis.md", "notes/kinesis.html", "Kinesis: streams and firehose"},
	{"notes/s3.txt", "notes/s3.html", "S3 outline"},
	{"notes/sub/deep.md", "notes/sub-deep.html", "Deep note"},
	{"notes/thoughts.markdown", "notes/thoughts.html", "thoughts"},
}

func TestBuildSite(t *testing.T) {
	for _, base := range []string{"", "/", "/sub/", "https://example.org/sub/", "https://example.org/sub"} {
		t.Run("base="+base, func(t *testing.T) {
			res, out := buildInto(t, Options{Content: loadTxtar(t, "site.txtar"), BaseURL: base, Title: "Stream notes"})
			if len(res.Diagnostics) > 0 {
				t.Errorf("diagnostics: %v", res.Diagnostics)
			}
			s := readSite(t, out)
			checkLinks(t, s, basePathOf(base))
			checkFixturePages(t, s)
			abs := strings.TrimSuffix(base, "/") + "/"
			checkCanonical(t, s, abs)

			var want []string
			for p := range s.pages {
				if p != "404.html" {
					want = append(want, abs+strings.TrimSuffix(p, "index.html"))
				}
			}
			slices.Sort(want)
			if got := sitemapURLs(t, s.files["sitemap.xml"]); !slices.Equal(got, want) {
				t.Errorf("sitemap lists %q, want %q", got, want)
			}

			if res.Stats.Notes != len(fixtureNotes) || res.Stats.Pages != len(s.pages) {
				t.Errorf("Stats = %+v, want %d notes and %d pages", res.Stats, len(fixtureNotes), len(s.pages))
			}
			var size int64
			for _, f := range res.Files {
				size += int64(len(f.Data))
			}
			if res.Stats.Bytes != size {
				t.Errorf("Stats.Bytes = %d, want %d", res.Stats.Bytes, size)
			}
		})
	}
}

func checkFixturePages(t *testing.T, s *builtSite) {
	t.Helper()
	home := s.pages["index.html"]
	if home == nil {
		t.Fatal("no index.html")
	}
	if got := htmltest.Text(htmltest.First(home, "title")); got != "Stream notes" && !strings.HasPrefix(got, "Stream notes ") {
		t.Errorf("home <title> = %q, want the site's name", got)
	}
	if got := htmltest.Texts(home, "main h1"); !slices.Equal(got, []string{"Stream notes"}) {
		t.Errorf("home h1 = %q, want the site's name", got)
	}
	// The home page lists every note, in order, under its title.
	links := htmltest.Find(home, "main ul.note-list li a")
	if len(links) != len(fixtureNotes) {
		t.Errorf("home lists %d notes, want %d", len(links), len(fixtureNotes))
	}
	for i, a := range links[:min(len(links), len(fixtureNotes))] {
		n := fixtureNotes[i]
		href, _ := htmltest.Attr(a, "href")
		target, _ := htmltest.Resolve("index.html", href, "/")
		if got := htmltest.Text(a); got != n.title || target != n.page {
			t.Errorf("home list item %d = %q → %s, want %q → %s", i, got, target, n.title, n.page)
		}
	}

	for _, n := range fixtureNotes {
		doc := s.pages[n.page]
		if doc == nil {
			t.Errorf("%s: no page %s", n.source, n.page)
			continue
		}
		if got, want := htmltest.Text(htmltest.First(doc, "title")), n.title+" · Stream notes"; got != want {
			t.Errorf("%s <title> = %q, want %q", n.page, got, want)
		}
		if got := htmltest.Text(htmltest.First(doc, "main h1")); got != n.title {
			t.Errorf("%s first h1 = %q, want %q", n.page, got, n.title)
		}
		if !strings.Contains(htmltest.Text(htmltest.First(doc, "main")), n.source) {
			t.Errorf("%s does not name its source %s", n.page, n.source)
		}
	}

	intro := s.pages["notes/intro.html"]
	code := htmltest.Find(intro, "main pre")
	if len(code) != 1 || !strings.Contains(htmltest.Text(code[0]), `fmt.Println("hello, <world>")`) {
		t.Errorf("intro: want one <pre> holding the fenced code, got %d", len(code))
	}
	if d, _ := htmltest.Attr(htmltest.First(intro, "head meta[name=description]"), "content"); !strings.HasPrefix(d, "This site collects notes") {
		t.Errorf("intro description = %q, want its first paragraph", d)
	}
	var ext []string
	for _, a := range htmltest.Find(intro, "main a[href]") {
		if href, _ := htmltest.Attr(a, "href"); strings.Contains(href, ":") {
			ext = append(ext, href)
		}
	}
	if want := []string{"https://aws.amazon.com/", "mailto:notes@example.org"}; !slices.Equal(ext, want) {
		t.Errorf("intro external links = %q, want %q", ext, want)
	}
	// Links to notes, with and without a fragment, point at their pages.
	var internal []string
	for _, a := range htmltest.Find(intro, "main .note-body a[href]") {
		href, _ := htmltest.Attr(a, "href")
		if !strings.Contains(href, ":") {
			internal = append(internal, href)
		}
	}
	if want := []string{"kinesis.html", "sub-deep.html#shards", "s3.html", "thoughts.html"}; !slices.Equal(internal, want) {
		t.Errorf("intro links to notes = %q, want %q", internal, want)
	}
	kin := s.pages["notes/kinesis.html"]
	if got := htmltest.Text(htmltest.First(kin, "main .meta")); !strings.Contains(got, "BD") || !strings.Contains(got, "streaming") || !strings.Contains(got, "2019-07-14") {
		t.Errorf("kinesis meta line %q does not show its date and tags", got)
	}
	if nf := s.pages["404.html"]; nf == nil || htmltest.First(nf, "main h1") == nil {
		t.Errorf("no 404 page with a heading")
	}
}

// checkCanonical checks that every page but the 404 page names its own
// absolute URL as canonical.
func checkCanonical(t *testing.T, s *builtSite, abs string) {
	t.Helper()
	for p, doc := range s.pages {
		links := htmltest.Find(doc, "head link[rel=canonical]")
		if p == "404.html" {
			if len(links) != 0 {
				t.Errorf("404.html has a canonical link")
			}
			continue
		}
		want := abs + strings.TrimSuffix(p, "index.html")
		if len(links) != 1 {
			t.Errorf("%s: %d canonical links, want 1", p, len(links))
			continue
		}
		if got, _ := htmltest.Attr(links[0], "href"); got != want {
			t.Errorf("%s: canonical %q, want %q", p, got, want)
		}
	}
}

// hashed matches the content hash in an asset's name.
var hashed = regexp.MustCompile(`\.[0-9a-f]{8}\.`)

// TestSiteGolden compares the list of output files and the sitemap with
// testdata/site.golden; run with -update after a change that is meant.
func TestSiteGolden(t *testing.T) {
	res, err := Build(context.Background(), Options{Content: loadTxtar(t, "site.txtar"), BaseURL: "https://example.org/sub/"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.WriteString("-- files --\n")
	var sitemap []byte
	for _, f := range slices.SortedFunc(slices.Values(res.Files), func(a, b File) int { return strings.Compare(a.Path, b.Path) }) {
		fmt.Fprintln(&b, hashed.ReplaceAllString(f.Path, ".HASH."))
		if f.Path == "sitemap.xml" {
			sitemap = f.Data
		}
	}
	b.WriteString("-- sitemap.xml --\n")
	b.Write(sitemap)
	golden := filepath.Join("testdata", "site.golden")
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to make it)", err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("output differs from %s (run go test -update and review the diff):\n%s", golden, b.Bytes())
	}
}

func TestBuildBundled(t *testing.T) {
	notes, err := filepath.Glob(filepath.Join(bundledContent, "notes", "*"))
	if err != nil || len(notes) == 0 {
		t.Fatalf("no bundled notes in %s: %v", bundledContent, err)
	}
	res, out := buildInto(t, Options{ContentDir: bundledContent})
	for _, d := range res.Diagnostics {
		if d.Severity == Error {
			t.Errorf("%v", d)
		}
	}
	if res.Stats.Notes != len(notes) {
		t.Errorf("built %d notes, want %d", res.Stats.Notes, len(notes))
	}
	s := readSite(t, out)
	checkLinks(t, s, "/")
	home := s.pages["index.html"]
	if got := len(htmltest.Find(home, "main ul.note-list li a")); got != len(notes) {
		t.Errorf("home lists %d notes, want %d", got, len(notes))
	}
	for _, n := range notes {
		page := "notes/" + strings.TrimSuffix(filepath.Base(n), filepath.Ext(n)) + ".html"
		doc := s.pages[page]
		if doc == nil {
			t.Errorf("%s: no page %s", n, page)
			continue
		}
		if h1 := htmltest.Text(htmltest.First(doc, "main h1")); h1 == "" {
			t.Errorf("%s: page has no title", page)
		}
	}
}

// failFS is a file system whose files named bad.md cannot be opened, as
// when a disk fails: a test cannot rely on permissions, since it may run
// as root. It hides MapFS's ReadFile, which would read them anyway.
type failFS struct{ fstest.MapFS }

func (f failFS) Open(name string) (fs.File, error) {
	if path.Base(name) == "bad.md" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("input/output error")}
	}
	return f.MapFS.Open(name)
}

func (f failFS) ReadFile(name string) ([]byte, error) {
	file, err := f.Open(name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	return io.ReadAll(file)
}

func (f failFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(f.MapFS, name) }

func TestBuildBadInput(t *testing.T) {
	good := &fstest.MapFile{Data: []byte("# Good\n\nA good note.\n")}
	tests := []struct {
		name      string
		fsys      fs.FS
		maxSize   int64
		linksWarn bool
		fails     bool
		notes     int    // notes built
		want      string // the diagnostic, as printed
		rule      string
	}{
		{
			name:  "invalid utf-8",
			fsys:  fstest.MapFS{"notes/good.md": good, "notes/bad.md": {Data: []byte("---\ntitle: Bad\n---\n# Bad\n\nfine\nnot \xff fine\n")}},
			notes: 2,
			want:  `notes/bad.md:7: warning: invalid UTF-8 byte \xFF replaced with U+FFFD`,
			rule:  "utf8",
		},
		{
			name:  "unreadable",
			fsys:  failFS{fstest.MapFS{"notes/good.md": good, "notes/bad.md": {Data: []byte("# x")}}},
			fails: true,
			want:  "notes/bad.md: cannot read: input/output error",
			rule:  "read",
		},
		{
			name:  "empty",
			fsys:  fstest.MapFS{"notes/good.md": good, "notes/bad.md": {Data: nil}},
			notes: 2,
			want:  "notes/bad.md: warning: note is empty",
			rule:  "empty",
		},
		{
			name:    "too big",
			fsys:    fstest.MapFS{"notes/good.md": good, "notes/bad.md": {Data: bytes.Repeat([]byte("words "), 1000)}},
			maxSize: 4096,
			fails:   true,
			want:    "notes/bad.md: note is 5.9 KB, larger than the 4.0 KB limit; split it or raise --max-note-size",
			rule:    "size",
		},
		{
			name:  "front matter",
			fsys:  fstest.MapFS{"notes/good.md": good, "notes/bad.md": {Data: []byte("---\ntitle: Bad\ntags: [a, b\ndate: 2020-01-01\n---\n# Bad\n")}},
			fails: true,
			want:  "notes/bad.md:3: front matter is not valid YAML: did not find expected ',' or ']'",
			rule:  "front-matter",
		},
		{
			name:  "binary",
			fsys:  fstest.MapFS{"notes/good.md": good, "notes/bad.md": {Data: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")}},
			notes: 1,
			want:  "notes/bad.md: warning: looks like a binary file, not a note; skipped",
			rule:  "binary",
		},
		{
			name:  "missing link target",
			fsys:  fstest.MapFS{"notes/good.md": good, "notes/bad.md": {Data: []byte("# Bad\n\nSee\n[gone](gone.md#x).\n")}},
			fails: true,
			want:  `notes/bad.md:4: link to a missing note "gone.md#x"`,
			rule:  "link",
		},
		{
			name:      "missing link target while previewing",
			fsys:      fstest.MapFS{"notes/good.md": good, "notes/bad.md": {Data: []byte("# Bad\n\nSee\n[gone](gone.md#x).\n")}},
			notes:     2,
			linksWarn: true,
			want:      `notes/bad.md:4: warning: link to a missing note "gone.md#x"`,
			rule:      "link",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Build(context.Background(), Options{Content: tt.fsys, MaxNoteSize: tt.maxSize, BrokenLinksWarn: tt.linksWarn})
			if tt.fails {
				var be *BuildError
				if !errors.As(err, &be) {
					t.Fatalf("Build error = %v, want a *BuildError", err)
				}
				if err.Error() != tt.want {
					t.Errorf("error = %q, want %q", err, tt.want)
				}
				if len(res.Files) != 0 {
					t.Errorf("a failed build returned %d files, want none", len(res.Files))
				}
			} else {
				if err != nil {
					t.Fatalf("Build: %v", err)
				}
				if res.Stats.Notes != tt.notes {
					t.Errorf("built %d notes, want %d", res.Stats.Notes, tt.notes)
				}
			}
			if len(res.Diagnostics) != 1 {
				t.Fatalf("diagnostics = %q, want one", res.Diagnostics)
			}
			d := res.Diagnostics[0]
			if d.String() != tt.want || d.Rule != tt.rule {
				t.Errorf("diagnostic = %q (%s), want %q (%s)", d, d.Rule, tt.want, tt.rule)
			}
		})
	}
}

func TestBuildDanglingSymlink(t *testing.T) {
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes")
	if err := os.Mkdir(notes, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(notes, "good.md"), []byte("# Good\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("nowhere.md", filepath.Join(notes, "x.md")); err != nil {
		t.Skipf("cannot make a symlink: %v", err)
	}
	res, err := Build(context.Background(), Options{ContentDir: dir})
	var be *BuildError
	if !errors.As(err, &be) {
		t.Fatalf("Build error = %v, want a *BuildError", err)
	}
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Path != "notes/x.md" ||
		!strings.HasPrefix(res.Diagnostics[0].Msg, "cannot read: ") {
		t.Errorf("diagnostics = %q, want one saying notes/x.md cannot be read", res.Diagnostics)
	}
}

func TestBuildContentFolder(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ dir, want string }{
		{filepath.Join(t.TempDir(), "missing"), "content folder does not exist"},
		{file, "content folder is not a folder"},
	} {
		_, err := Build(context.Background(), Options{ContentDir: tt.dir})
		var be *BuildError
		if !errors.As(err, &be) || len(be.List) != 1 || be.List[0].Path != tt.dir || be.List[0].Msg != tt.want {
			t.Errorf("Build(%s) error = %v, want %q naming the folder", tt.dir, err, tt.want)
		}
	}
}

// TestBuildHugeNote builds a 20 MB note, made in memory: large notes must
// work, in a time that keeps the test suite quick.
func TestBuildHugeNote(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("# Huge\n\n")
	para := strings.Repeat("Kinesis Data Streams keeps records for a day by default and for up to a year. ", 40) + "\n\n"
	for i := 0; b.Len() < 20<<20; i++ {
		if i%100 == 0 {
			fmt.Fprintf(&b, "## Part %d\n\n", i/100)
		}
		b.WriteString(para)
	}
	size := b.Len()
	start := time.Now()
	res, err := Build(context.Background(), Options{Content: fstest.MapFS{"notes/huge.md": {Data: b.Bytes()}}})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	t.Logf("built a %d MB note in %v", size>>20, time.Since(start))
	var page []byte
	for _, f := range res.Files {
		if f.Path == "notes/huge.html" {
			page = f.Data
		}
	}
	if len(page) < size {
		t.Fatalf("notes/huge.html is %d bytes, want at least the note's %d", len(page), size)
	}
	if !bytes.Contains(page, []byte(`<h2 id="part-0">Part 0</h2>`)) || !bytes.HasSuffix(bytes.TrimSpace(page), []byte("</html>")) {
		t.Errorf("notes/huge.html is not the whole note")
	}
}

// TestFailedBuildKeepsOutput checks the promise a failed build makes: it
// returns no files, so the folder of the previous build is never touched.
func TestFailedBuildKeepsOutput(t *testing.T) {
	_, out := buildInto(t, Options{Content: loadTxtar(t, "site.txtar")})
	before := readTree(t, out)

	bad := fstest.MapFS{"notes/a.md": {Data: []byte("---\ntitle: [\n---\n")}, "notes/b.md": {Data: []byte("# B\n")}}
	res, err := Build(context.Background(), Options{Content: bad})
	if err == nil {
		t.Fatal("Build of a note with broken front matter succeeded")
	}
	if res.Files != nil {
		t.Fatalf("a failed build returned %d files", len(res.Files))
	}
	// A write that fails part way leaves the previous output as well.
	if err := Write(out, []File{{Path: "index.html", Data: []byte("new")}, {Path: "../outside.html"}}); err == nil {
		t.Fatal("Write of a path outside the folder succeeded")
	}
	after := readTree(t, out)
	if !maps.EqualFunc(before, after, bytes.Equal) {
		t.Errorf("the output folder changed after failed builds")
	}
}

// TestSiteOverrides checks that a site folder's templates/ and assets/
// replace the embedded files of the same name, and only those.
func TestSiteOverrides(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("content/notes/a.md", "# A\n")
	write("templates/home.html", `{{define "main"}}<h1 id="custom">Custom home</h1>{{end}}`)
	write("assets/extra.txt", "extra")
	res, out := buildInto(t, Options{ContentDir: filepath.Join(dir, "content")})
	if len(res.Diagnostics) > 0 {
		t.Errorf("diagnostics: %v", res.Diagnostics)
	}
	s := readSite(t, out)
	if htmltest.First(s.pages["index.html"], "h1#custom") == nil {
		t.Errorf("home page does not use templates/home.html of the site")
	}
	if got := htmltest.Text(htmltest.First(s.pages["notes/a.html"], "main h1")); got != "A" {
		t.Errorf("note page h1 = %q; the embedded note template should still apply", got)
	}
	var extra bool
	for p := range s.files {
		extra = extra || hashed.ReplaceAllString(p, ".HASH.") == "assets/extra.HASH.txt"
	}
	if !extra {
		t.Errorf("assets/extra.txt of the site was not copied")
	}
	checkLinks(t, s, "/")
}

func BenchmarkBuildBundled(b *testing.B) {
	opts := Options{ContentDir: bundledContent}
	var notes, bytes int64
	b.ReportAllocs()
	for b.Loop() {
		res, err := Build(context.Background(), opts)
		if err != nil {
			b.Fatal(err)
		}
		notes += int64(res.Stats.Notes)
		bytes += res.Stats.Bytes
	}
	b.ReportMetric(float64(notes)/b.Elapsed().Seconds(), "notes/s")
	b.ReportMetric(float64(bytes)/float64(b.N), "out-bytes/op")
}
