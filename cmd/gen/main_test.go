package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gen-site/gen/generator"
)

// gen runs the command in-process and returns its exit status and output.
func gen(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// writeFiles writes files (by slash path) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readTree returns the contents of every file under dir by slash path.
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

var goodNotes = map[string]string{
	"content/notes/a.md":      "# Alpha\n\nSee [beta](sub/b.txt).\n",
	"content/notes/sub/b.txt": "---\ntitle: Beta\n---\nBack to [alpha](../a.md).\n",
}

var (
	buildFlags = []string{"--content", "--out", "--base-url", "--title", "--force", "--quiet", "--max-note-size", "--timings", "--cpuprofile", "--memprofile", "--cache-dir"}
	serveFlags = []string{"--content", "--base-url", "--title", "--max-note-size", "--port", "--bind", "--poll", "--cpuprofile", "--cache-dir", "--no-cache"}
)

func TestUsage(t *testing.T) {
	tests := []struct {
		args     []string
		code     int
		stdout   []string // pieces the output must hold
		stderr   []string
		noStdout bool
	}{
		{args: nil, code: exitUsage, stderr: []string{"Usage: gen COMMAND", "build", "serve"}, noStdout: true},
		{args: []string{"help"}, code: exitOK, stdout: []string{"Usage: gen COMMAND", "build", "serve"}},
		{args: []string{"--help"}, code: exitOK, stdout: []string{"Usage: gen COMMAND"}},
		{args: []string{"-h"}, code: exitOK, stdout: []string{"Usage: gen COMMAND"}},
		{args: []string{"help", "build"}, code: exitOK, stdout: append([]string{"Usage: gen build"}, buildFlags...)},
		{args: []string{"build", "--help"}, code: exitOK, stdout: append([]string{"Usage: gen build", "Exit status"}, buildFlags...)},
		{args: []string{"build", "-h"}, code: exitOK, stdout: []string{"Usage: gen build"}},
		{args: []string{"serve", "--help"}, code: exitOK, stdout: append([]string{"Usage: gen serve"}, serveFlags...)},
		{args: []string{"help", "serve"}, code: exitOK, stdout: []string{"Usage: gen serve"}},
		{args: []string{"nope"}, code: exitUsage, stderr: []string{`gen: unknown command "nope"`, "Usage: gen COMMAND"}, noStdout: true},
		{args: []string{"help", "nope"}, code: exitUsage, stderr: []string{`unknown command "nope"`}, noStdout: true},
		{args: []string{"build", "--nope"}, code: exitUsage, stderr: []string{"gen build: flag provided but not defined: -nope", "Usage: gen build"}, noStdout: true},
		{args: []string{"build", "public"}, code: exitUsage, stderr: []string{`gen build: unexpected argument "public"`}, noStdout: true},
		{args: []string{"build", "--out", "x", "stray", "--quiet"}, code: exitUsage, stderr: []string{`unexpected argument "stray"`}, noStdout: true},
		{args: []string{"build", "--max-note-size", "big"}, code: exitUsage, stderr: []string{"invalid value"}, noStdout: true},
		{args: []string{"serve", "--port", "http"}, code: exitUsage, stderr: []string{"gen serve: invalid value", "Usage: gen serve"}, noStdout: true},
		{args: []string{"serve", "extra"}, code: exitUsage, stderr: []string{`gen serve: unexpected argument "extra"`}, noStdout: true},
		{args: []string{"build", "--out", "/"}, code: exitUsage, stderr: []string{"refusing to write the site to /: it is the root of the file system"}, noStdout: true},
		{args: []string{"build", "--out", "/", "--force"}, code: exitUsage, stderr: []string{"root of the file system"}, noStdout: true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := gen(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit status %d, want %d\nstderr: %s", code, tt.code, stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			if tt.noStdout && stdout != "" {
				t.Errorf("stdout should be empty after a mistake, got:\n%s", stdout)
			}
			if tt.code == exitOK && stderr != "" {
				t.Errorf("stderr should be empty for help, got:\n%s", stderr)
			}
		})
	}
}

// TestHelpListsEveryFlag checks the flag lists above against the commands,
// so that a new flag cannot be left out of the help.
func TestHelpListsEveryFlag(t *testing.T) {
	for cmd, want := range map[string][]string{"build": buildFlags, "serve": serveFlags} {
		_, stdout, _ := gen(t, cmd, "--help")
		got := regexp.MustCompile(`(?m)^  (--[a-z-]+)`).FindAllStringSubmatch(stdout, -1)
		var names []string
		for _, m := range got {
			names = append(names, m[1])
		}
		if !sameSet(names, want) {
			t.Errorf("gen %s --help lists %q, want %q", cmd, names, want)
		}
	}
}

func sameSet(a, b []string) bool {
	set := func(s []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range s {
			m[x] = true
		}
		return m
	}
	return len(a) == len(b) && maps.Equal(set(a), set(b))
}

// summary is the line a successful build prints on stderr, with how many
// notes the note cache gave, if there is one.
var summary = regexp.MustCompile(`^gen: (\d+) notes → (\d+) pages, \d+(\.\d)? (B|KB|MB) in \d+ ms( \((\d+) of (\d+) notes from the cache\))?\n$`)

// TestMain keeps the tests' note caches out of the user's cache folder.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gen-test-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CACHE_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestBuildCache builds again from the note cache of a first build: the
// notes come from it, and the site is byte for byte the same; without
// --cache-dir there is none.
func TestBuildCache(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, goodNotes)
	content, out, cache := filepath.Join(dir, "content"), filepath.Join(dir, "public"), filepath.Join(dir, "cache")
	var sites []map[string]string
	for i, want := range []string{"0 of 2", "2 of 2"} {
		code, _, stderr := gen(t, "build", "--content", content, "--out", out, "--cache-dir", cache)
		m := summary.FindStringSubmatch(stderr)
		if code != exitOK || m == nil || m[6]+" of "+m[7] != want {
			t.Fatalf("build %d: exit status %d, stderr %q; want %s notes from the cache", i+1, code, stderr, want)
		}
		sites = append(sites, readTree(t, out))
	}
	if !maps.Equal(sites[0], sites[1]) {
		t.Errorf("the build from the note cache made another site")
	}
	code, _, stderr := gen(t, "build", "--content", content, "--out", out)
	if m := summary.FindStringSubmatch(stderr); code != exitOK || m == nil || m[5] != "" {
		t.Errorf("no --cache-dir: exit status %d, stderr %q; want the summary without the cache", code, stderr)
	}
	root, err := generator.DefaultCacheRoot()
	if err != nil {
		t.Fatal(err)
	}
	if p, err := generator.CachePath(root, content); err != nil {
		t.Fatal(err)
	} else if _, err := os.Stat(p); err == nil {
		t.Errorf("a build without --cache-dir wrote the note cache %s", p)
	}
}

func TestBuild(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, goodNotes)
	content, out := filepath.Join(dir, "content"), filepath.Join(dir, "public")

	code, stdout, stderr := gen(t, "build", "--content", content, "--out", out)
	if code != exitOK {
		t.Fatalf("exit status %d\n%s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout = %q, want nothing", stdout)
	}
	m := summary.FindStringSubmatch(stderr)
	// home, two notes, the search page and the 404 page
	if m == nil || m[1] != "2" || m[2] != "5" {
		t.Errorf("stderr = %q, want the summary line for 2 notes and 5 pages", stderr)
	}
	files := readTree(t, out)
	for _, p := range []string{".gen-output", "index.html", "404.html", "sitemap.xml", "notes/a.html", "notes/sub-b.html"} {
		if _, ok := files[p]; !ok {
			t.Errorf("no %s in the output", p)
		}
	}

	// A second build replaces the first: the marker makes the folder gen's own.
	writeFiles(t, out, map[string]string{"stale.html": "old"})
	code, _, stderr = gen(t, "build", "--content", content, "--out", out, "--quiet", "--base-url", "https://example.org/x/")
	if code != exitOK || stderr != "" {
		t.Errorf("second build: exit status %d, stderr %q; want 0 and nothing with --quiet", code, stderr)
	}
	files = readTree(t, out)
	if _, ok := files["stale.html"]; ok {
		t.Errorf("a file of the previous output survived the build")
	}
	if !strings.Contains(files["sitemap.xml"], "<loc>https://example.org/x/notes/a.html</loc>") {
		t.Errorf("--base-url is not used in the sitemap:\n%s", files["sitemap.xml"])
	}
}

func TestBuildDefaults(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, goodNotes)
	t.Chdir(dir)
	code, _, stderr := gen(t, "build")
	if code != exitOK || !summary.MatchString(stderr) {
		t.Fatalf("gen build: exit status %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "index.html")); err != nil {
		t.Errorf("gen build did not write public/: %v", err)
	}
	// The current folder holds content/, so it is never a valid --out.
	if code, _, stderr := gen(t, "build", "--out", ".", "--force"); code != exitUsage || !strings.Contains(stderr, "holds the content folder") {
		t.Errorf("gen build --out . = %d, %q; want a refusal", code, stderr)
	}
}

func TestBuildRefusesOut(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, goodNotes)
	writeFiles(t, dir, map[string]string{"docs/thesis.tex": "precious"})
	content := filepath.Join(dir, "content")
	tests := []struct {
		out    string
		force  bool
		refuse string
	}{
		{content, true, "is the content folder"},
		{dir, true, "holds the content folder"},
		{filepath.Join(content, "notes"), true, "inside the content folder"},
		{filepath.Join(dir, "docs"), false, "non-empty folder that gen did not write (use --force to replace it)"},
	}
	for _, tt := range tests {
		before := readTree(t, dir)
		args := []string{"build", "--content", content, "--out", tt.out}
		if tt.force {
			args = append(args, "--force")
		}
		code, _, stderr := gen(t, args...)
		if code != exitUsage || !strings.Contains(stderr, tt.refuse) || !strings.HasPrefix(stderr, "gen build: refusing") {
			t.Errorf("%q: exit status %d, stderr %q; want 2 and %q", args, code, stderr, tt.refuse)
		}
		if !maps.Equal(before, readTree(t, dir)) {
			t.Errorf("%q changed files although it was refused", args)
		}
	}
	// --force replaces a folder gen did not write.
	docs := filepath.Join(dir, "docs")
	if code, _, stderr := gen(t, "build", "--content", content, "--out", docs, "--force", "--quiet"); code != exitOK {
		t.Errorf("--force: exit status %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(docs, "thesis.tex")); err == nil {
		t.Errorf("--force kept the old files")
	}
}

func TestBuildFailureKeepsOutput(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, goodNotes)
	content, out := filepath.Join(dir, "content"), filepath.Join(dir, "public")
	if code, _, stderr := gen(t, "build", "--content", content, "--out", out); code != exitOK {
		t.Fatalf("first build: %d %s", code, stderr)
	}
	before := readTree(t, out)

	tests := []struct {
		name   string
		files  map[string]string
		quiet  bool
		stderr []string
	}{
		{
			name:  "bad front matter",
			files: map[string]string{"content/notes/c.md": "---\ntitle: C\ntags: [x\n---\n# C\n"},
			stderr: []string{
				filepath.ToSlash(content) + "/notes/c.md:3: front matter is not valid YAML",
				"gen build: failed; " + out + " left as it was",
			},
		},
		{
			name:  "too big, quiet, with a warning",
			files: map[string]string{"content/notes/c.md": strings.Repeat("x", 100), "content/notes/d.md": ""},
			quiet: true,
			stderr: []string{
				filepath.ToSlash(content) + "/notes/c.md: note is 100 B, larger than the 50 B limit",
				"left as it was",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			writeFiles(t, dir, tt.files)
			t.Cleanup(func() {
				for name := range tt.files {
					os.Remove(filepath.Join(dir, filepath.FromSlash(name)))
				}
			})
			args := []string{"build", "--content", content, "--out", out, "--max-note-size", "50"}
			if tt.quiet {
				args = append(args, "--quiet")
			} else {
				args = args[:len(args)-2]
			}
			code, stdout, stderr := gen(t, args...)
			if code != exitFailed {
				t.Errorf("exit status %d, want %d", code, exitFailed)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			for _, s := range tt.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			if tt.quiet && strings.Contains(stderr, "warning") {
				t.Errorf("--quiet printed a warning:\n%s", stderr)
			}
			if summary.MatchString(stderr) {
				t.Errorf("a failed build printed the summary line")
			}
			after := readTree(t, out)
			if !maps.Equal(before, after) {
				t.Errorf("the failed build changed %s", out)
			}
		})
	}
}

func TestBuildWarnings(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, goodNotes)
	writeFiles(t, dir, map[string]string{"content/notes/empty.md": "", "content/notes/bad.txt": "ok\nnot \xfe ok\n"})
	content := filepath.Join(dir, "content")
	code, _, stderr := gen(t, "build", "--content", content, "--out", filepath.Join(dir, "public"))
	if code != exitOK {
		t.Fatalf("exit status %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	want := []string{
		content + `/notes/bad.txt:2: warning: invalid UTF-8 byte \xFE replaced with U+FFFD`,
		content + "/notes/empty.md: warning: note is empty",
	}
	if len(lines) != 3 || lines[0] != want[0] || lines[1] != want[1] || !summary.MatchString(lines[2]+"\n") {
		t.Errorf("stderr:\n%s\nwant:\n%s\nand the summary line", stderr, strings.Join(want, "\n"))
	}
	if code, _, stderr := gen(t, "build", "--content", content, "--out", filepath.Join(dir, "public"), "--quiet"); code != exitOK || stderr != "" {
		t.Errorf("--quiet: exit status %d, stderr %q; want 0 and nothing", code, stderr)
	}
}

func TestBuildMissingContent(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nothing")
	code, _, stderr := gen(t, "build", "--content", missing, "--out", filepath.Join(dir, "public"))
	if code != exitFailed || !strings.Contains(stderr, missing+": content folder does not exist") {
		t.Errorf("exit status %d, stderr %q; want 1 and a message naming the folder", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Errorf("a failed build made the output folder")
	}
}

// syncWriter lets the test read what the server goroutine writes.
type syncWriter struct {
	lines chan string
}

func (w *syncWriter) Write(p []byte) (int, error) {
	sc := bufio.NewScanner(bytes.NewReader(p))
	for sc.Scan() {
		w.lines <- sc.Text()
	}
	return len(p), nil
}

// TestServe starts gen serve, gets a page and stops it with Ctrl-C, twice:
// the second start takes every note from the note cache the first wrote.
func TestServe(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, goodNotes)
	cache := t.TempDir()
	for i, want := range []string{"(0 notes of 2 from the cache)", "(2 notes of 2 from the cache)"} {
		stderr := serveOnce(t, "--content", filepath.Join(dir, "content"), "--port", "0", "--cache-dir", cache)
		if !strings.Contains(stderr, want) {
			t.Errorf("start %d: stderr %q, want %q", i+1, stderr, want)
		}
	}
	// --no-cache reads no file.
	if stderr := serveOnce(t, "--content", filepath.Join(dir, "content"), "--port", "0", "--cache-dir", cache, "--no-cache"); strings.Contains(stderr, "cache") {
		t.Errorf("--no-cache: stderr %q", stderr)
	}
}

// serveOnce runs gen serve with args, gets a page, stops it with Ctrl-C
// and returns what it wrote to stderr.
func serveOnce(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout := &syncWriter{lines: make(chan string, 10)}
	var stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve"}, args...), stdout, &stderr)
	}()
	var url string
	select {
	case line := <-stdout.lines:
		m := regexp.MustCompile(`^Serving .* at (http://127\.0\.0\.1:\d+/) \(Ctrl-C to stop\)$`).FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("stdout: %q, want the URL", line)
		}
		url = m[1]
	case code := <-done:
		t.Fatalf("gen serve ended with %d before serving", code)
	case <-time.After(10 * time.Second):
		t.Fatal("gen serve did not start")
	}
	resp, err := http.Get(url + "notes/a")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("Alpha")) {
		t.Errorf("GET notes/a: %s, want the page of a.md", resp.Status)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("gen serve ended with %d after Ctrl-C, want 0", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("gen serve did not stop")
	}
	return stderr.String()
}

// lockedBuffer is a bytes.Buffer that a server goroutine writes while the
// test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestServeFailedBuild(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"content/notes/a.md": "---\ntitle: x\n  tags: y\n---\n"})
	content := filepath.Join(dir, "content")
	code, stdout, stderr := gen(t, "serve", "--content", content, "--port", "0", "--no-cache")
	if code != exitFailed || !strings.Contains(stderr, content+"/notes/a.md:3: front matter is not valid YAML: mapping values are not allowed") || stdout != "" {
		t.Errorf("exit status %d, stdout %q, stderr %q; want 1 and the diagnostic", code, stdout, stderr)
	}
}

func TestHumanSize(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 B"}, {1023, "1023 B"}, {1024, "1 KB"}, {412 << 10, "412 KB"},
		{1 << 20, "1.0 MB"}, {3<<20 + 1<<19, "3.5 MB"}, {12 << 20, "12 MB"},
	}
	for _, tt := range tests {
		if got := humanSize(tt.n); got != tt.want {
			t.Errorf("humanSize(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestBuildTimings(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, goodNotes)
	content := filepath.Join(dir, "content")
	code, _, stderr := gen(t, "build", "--content", content, "--out", filepath.Join(dir, "public"), "--timings")
	if code != exitOK {
		t.Fatalf("exit status %d: %s", code, stderr)
	}
	stage := regexp.MustCompile(`(?m)^gen: stage (\S+) +\d+ ms$`)
	var got []string
	for _, m := range stage.FindAllStringSubmatch(stderr, -1) {
		got = append(got, m[1])
	}
	want := []string{"source", "catalog", "notes", "graph", "site", "search", "output"}
	if !slices.Equal(got, want) {
		t.Errorf("stages %v, want %v:\n%s", got, want, stderr)
	}
	lines := strings.SplitAfter(strings.TrimSuffix(stderr, "\n"), "\n")
	if last := lines[len(lines)-1] + "\n"; !summary.MatchString(last) {
		t.Errorf("the summary line does not come last:\n%s", stderr)
	}
}
