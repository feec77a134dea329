package serve

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// watchCase is one way of changing files, and the paths the watcher must
// report for it (relative to the site folder).
type watchCase struct {
	name string
	do   func(t *testing.T, dir string)
	want []string // must be reported
	not  []string // must not be reported
	// batches, when not 0, is how many batches the change must make.
	batches int
	// burst, when set, is used instead of do: it makes changes that must
	// form one batch and returns the longest pause it left between two of
	// them, since a stalled machine can stretch a pause past the debounce,
	// and then two batches are right.
	burst func(t *testing.T, dir string) time.Duration
}

func writeFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var watchCases = []watchCase{
	{name: "write in place", do: func(t *testing.T, d string) {
		writeFile(t, filepath.Join(d, "content/notes/a.md"), "# A again\n")
	}, want: []string{"content/notes/a.md"}},
	{name: "temp file and rename", do: func(t *testing.T, d string) {
		tmp := filepath.Join(d, "content/notes/.a.md.tmp")
		writeFile(t, tmp, "# A by rename\n")
		must(t, os.Rename(tmp, filepath.Join(d, "content/notes/a.md")))
	}, want: []string{"content/notes/a.md"}, not: []string{"content/notes/.a.md.tmp"}},
	{name: "vim backup, probe and swap", do: func(t *testing.T, d string) {
		n := filepath.Join(d, "content/notes/b.md")
		writeFile(t, filepath.Join(d, "content/notes/4913"), "")
		must(t, os.Remove(filepath.Join(d, "content/notes/4913")))
		writeFile(t, filepath.Join(d, "content/notes/.b.md.swp"), "swap")
		must(t, os.Rename(n, n+"~"))
		writeFile(t, n, "# B saved by vim\n")
		must(t, os.Remove(n+"~"))
	}, want: []string{"content/notes/b.md"}, not: []string{"content/notes/4913", "content/notes/b.md~", "content/notes/.b.md.swp"}},
	{name: "delete and recreate", do: func(t *testing.T, d string) {
		n := filepath.Join(d, "content/notes/a.md")
		must(t, os.Remove(n))
		writeFile(t, n, "# A recreated\n")
	}, want: []string{"content/notes/a.md"}},
	{name: "burst of saves", burst: func(t *testing.T, d string) time.Duration {
		var longest time.Duration
		last := time.Now()
		for i := range 10 {
			writeFile(t, filepath.Join(d, "content/notes/a.md"), "# A "+string(rune('0'+i))+"\n")
			now := time.Now()
			longest = max(longest, now.Sub(last))
			last = now
			time.Sleep(5 * time.Millisecond)
		}
		return longest
	}, want: []string{"content/notes/a.md"}, batches: 1},
	{name: "note moved", do: func(t *testing.T, d string) {
		must(t, os.Rename(filepath.Join(d, "content/notes/b.md"), filepath.Join(d, "content/notes/c.md")))
	}, want: []string{"content/notes/b.md", "content/notes/c.md"}},
	{name: "note deleted", do: func(t *testing.T, d string) {
		must(t, os.Remove(filepath.Join(d, "content/notes/c.md")))
	}, want: []string{"content/notes/c.md"}},
	{name: "new folder, then a note in it", do: func(t *testing.T, d string) {
		must(t, os.Mkdir(filepath.Join(d, "content/notes/sub"), 0o755))
		time.Sleep(100 * time.Millisecond)
		writeFile(t, filepath.Join(d, "content/notes/sub/d.md"), "# D\n")
	}, want: []string{"content/notes/sub/d.md"}},
	{name: "note in a folder made later", do: func(t *testing.T, d string) {
		time.Sleep(100 * time.Millisecond)
		writeFile(t, filepath.Join(d, "content/notes/sub/e.md"), "# E\n")
	}, want: []string{"content/notes/sub/e.md"}},
	{name: "templates folder made later", do: func(t *testing.T, d string) {
		writeFile(t, filepath.Join(d, "templates/note.html"), "{{define \"main\"}}{{end}}")
		time.Sleep(100 * time.Millisecond)
		writeFile(t, filepath.Join(d, "templates/note.html"), "{{define \"main\"}}x{{end}}")
	}, want: []string{"templates/note.html"}},
	{name: "catalog", do: func(t *testing.T, d string) {
		writeFile(t, filepath.Join(d, "content/catalog.yaml"), "categories: []\n")
	}, want: []string{"content/catalog.yaml"}},
	{name: "outside the roots", do: func(t *testing.T, d string) {
		writeFile(t, filepath.Join(d, "other.txt"), "x")
	}, not: []string{"other.txt"}},
}

func TestWatch(t *testing.T) { testWatch(t, WatchOptions{Debounce: 100 * time.Millisecond}) }
func TestWatchPoll(t *testing.T) {
	testWatch(t, WatchOptions{Poll: 20 * time.Millisecond, Debounce: 60 * time.Millisecond})
}

func testWatch(t *testing.T, opts WatchOptions) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "content/notes/a.md"), "# A\n")
	writeFile(t, filepath.Join(dir, "content/notes/b.md"), "# B\n")
	roots := []string{filepath.Join(dir, "content"), filepath.Join(dir, "templates"), filepath.Join(dir, "assets")}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts.Errors = func(err error) { t.Errorf("watch: %v", err) }
	ch, err := Watch(ctx, roots, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range watchCases {
		if opts.Poll > 0 && c.name == "burst of saves" {
			c.batches = 0 // a poll sees a burst as the poll ticks fall
		}
		if c.burst != nil {
			if gap := c.burst(t, dir); gap >= opts.Debounce/2 {
				t.Logf("%s: the machine paused %v between two saves; not counting batches", c.name, gap)
				c.batches = 0
			}
		} else {
			c.do(t, dir)
		}
		var got []string
		batches := 0
		quiet := time.After(600 * time.Millisecond)
	collect:
		for {
			select {
			case b := <-ch:
				batches++
				for _, p := range b {
					rel, _ := filepath.Rel(dir, p)
					got = append(got, filepath.ToSlash(rel))
				}
				quiet = time.After(300 * time.Millisecond)
			case <-quiet:
				break collect
			}
		}
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("%s: %s not reported (got %v)", c.name, w, got)
			}
		}
		for _, n := range c.not {
			if slices.Contains(got, n) {
				t.Errorf("%s: %s reported (got %v)", c.name, n, got)
			}
		}
		if c.batches > 0 && batches != c.batches {
			t.Errorf("%s: %d batches, want %d (got %v)", c.name, batches, c.batches, got)
		}
	}
	cancel()
	select {
	case _, ok := <-ch:
		for ok {
			_, ok = <-ch
		}
	case <-time.After(2 * time.Second):
		t.Error("the channel was not closed after the context ended")
	}
}
