//go:build unix

package serve

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gen-site/gen/generator"
)

// TestBrowserLiveReload opens a page of gen serve in headless Chromium
// (Debian's chromium, or $GEN_CHROMIUM) and edits the site on disk: the
// page must show the new text by itself with its scroll position kept,
// show a broken note's error over the page and drop it once fixed, and
// take a new stylesheet without reloading. Chromium is driven with the
// DevTools protocol over a pipe, so the test needs no library. Without
// Chromium the test is skipped, unless CI=true.
func TestBrowserLiveReload(t *testing.T) {
	chromium := chromiumOrSkip(t)

	dir := t.TempDir()
	note := filepath.Join(dir, "content/notes/long.md")
	var body strings.Builder
	body.WriteString("# Long note\n\nThe first line says Alpha.\n\n")
	for i := range 120 {
		fmt.Fprintf(&body, "Paragraph %d of a note long enough to scroll.\n\n", i)
	}
	body.WriteString("The last line.\n")
	text := body.String()
	writeFile(t, note, text)
	writeFile(t, filepath.Join(dir, "content/notes/other.md"), "# Other\n")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, served := startServe(ctx, t, Options{Build: generator.Options{ContentDir: filepath.Join(dir, "content")}, Log: testLog{t},
		Watch: WatchOptions{Debounce: 30 * time.Millisecond}})

	b := startBrowser(t, chromium)
	page := b.open(t, base+"notes/long.html")
	page.wait(t, `document.body.innerText.includes("Alpha") && document.readyState === "complete"`)
	page.wait(t, `(window.scrollTo(0, 1500), window.scrollY > 1000)`)
	page.eval(t, `window.genMarker = 1`)
	y := page.eval(t, `window.scrollY`)

	// An edit shows without a manual reload, at the same place.
	writeFile(t, note, strings.Replace(text, "Alpha", "Omega", 1))
	page.wait(t, `document.body.innerText.includes("Omega") && document.readyState === "complete"`)
	if page.eval(t, `window.genMarker === undefined`) != "true" {
		t.Error("the page was not reloaded")
	}
	page.wait(t, fmt.Sprintf(`Math.abs(window.scrollY - %s) < 5`, y))

	// A broken note shows its error over the page, and it goes when fixed.
	writeFile(t, note, "---\ntitle: [unclosed\n---\n"+text)
	page.wait(t, `(document.getElementById("gen-error-overlay") || {}).textContent?.includes("notes/long.md:3: front matter")`)
	writeFile(t, note, strings.Replace(text, "Alpha", "Omega", 1))
	page.wait(t, `document.getElementById("gen-error-overlay") === null`)

	// A stylesheet is swapped in place: the page is not reloaded.
	page.eval(t, `window.genMarker = 2`)
	writeFile(t, filepath.Join(dir, "assets/style.css"), "body { outline: 3px solid red }\n")
	page.wait(t, `getComputedStyle(document.body).outlineStyle === "solid"`)
	if page.eval(t, `window.genMarker`) != "2" {
		t.Error("a stylesheet change reloaded the page")
	}

	// The search of a page that an edit does not change finds the new
	// text once the index is made again, without a reload.
	page = b.open(t, base+"notes/other.html")
	page.wait(t, `location.pathname.endsWith("/other.html") && document.readyState === "complete" && !!document.getElementById("q")`)
	page.eval(t, `window.genMarker = 3`)
	// A tab opened second may not have the focus: the box is told it has
	// it, until its search engine is loaded.
	page.wait(t, `(window.gen && typeof window.gen.search === "function") || (document.getElementById("q").dispatchEvent(new FocusEvent("focus")), false)`)
	page.eval(t, `(window.gen.search("zanzibar").then(function (h) { window.before = h.length; }), 1)`)
	page.wait(t, `window.before === 0`)
	writeFile(t, note, strings.Replace(text, "Alpha", "Omega and Zanzibar", 1))
	page.wait(t, `(window.gen.search("zanzibar").then(function (h) { window.after = h.length; }), window.after > 0)`)
	if page.eval(t, `window.genMarker`) != "3" {
		t.Error("the page was reloaded")
	}

	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("serve did not stop")
	}
}

// chromiumOrSkip returns the browser to test with: Debian's chromium, or
// $GEN_CHROMIUM. Without it the test is skipped, unless CI=true, and with
// -short too.
func chromiumOrSkip(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a browser")
	}
	chromium := cmp.Or(os.Getenv("GEN_CHROMIUM"), "/usr/bin/chromium")
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no browser at %s: install it with apt-get install -y chromium", chromium)
		}
		t.Skipf("no browser at %s (apt-get install -y chromium); skipped", chromium)
	}
	return chromium
}

type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// browser is a Chromium driven over --remote-debugging-pipe: JSON
// messages ended by a NUL byte, written to its fd 3 and read from its fd 4.
type browser struct {
	mu      sync.Mutex
	w       io.Writer
	next    int
	waiting map[int]chan json.RawMessage
}

func startBrowser(t *testing.T, bin string) *browser {
	t.Helper()
	// Not t.TempDir: Chromium's helpers may still write to the profile
	// while the test's own clean-up runs.
	profile, err := os.MkdirTemp("", "gen-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	toChrome, ours, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	theirs, fromChrome, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--remote-debugging-pipe", "--user-data-dir="+profile, "--window-size=1000,700", "about:blank")
	cmd.ExtraFiles = []*os.File{toChrome, fromChrome}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its helpers go with it
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	toChrome.Close()
	fromChrome.Close()
	t.Cleanup(func() {
		ours.Close() // Chromium quits when its pipe closes
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		for range 20 {
			if os.RemoveAll(profile) == nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	b := &browser{w: ours, waiting: map[int]chan json.RawMessage{}}
	go func() {
		r := bufio.NewReader(theirs)
		for {
			msg, err := r.ReadBytes(0)
			if err != nil {
				return
			}
			var m struct {
				ID     int             `json:"id"`
				Result json.RawMessage `json:"result"`
				Error  json.RawMessage `json:"error"`
			}
			if json.Unmarshal(msg[:len(msg)-1], &m) != nil || m.ID == 0 {
				continue
			}
			b.mu.Lock()
			c := b.waiting[m.ID]
			delete(b.waiting, m.ID)
			b.mu.Unlock()
			if c != nil {
				if m.Error != nil {
					c <- m.Error
				} else {
					c <- m.Result
				}
			}
		}
	}()
	return b
}

func (b *browser) call(t *testing.T, session, method string, params any) json.RawMessage {
	t.Helper()
	b.mu.Lock()
	b.next++
	id := b.next
	c := make(chan json.RawMessage, 1)
	b.waiting[id] = c
	msg := map[string]any{"id": id, "method": method, "params": params}
	if session != "" {
		msg["sessionId"] = session
	}
	data, _ := json.Marshal(msg)
	_, err := b.w.Write(append(data, 0))
	b.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-c:
		return r
	case <-time.After(30 * time.Second):
		t.Fatalf("%s: no answer", method)
		return nil
	}
}

type tab struct {
	b       *browser
	session string
}

func (b *browser) open(t *testing.T, url string) *tab {
	var target struct{ TargetID string }
	must(t, json.Unmarshal(b.call(t, "", "Target.createTarget", map[string]any{"url": url}), &target))
	var att struct{ SessionID string }
	must(t, json.Unmarshal(b.call(t, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}), &att))
	return &tab{b: b, session: att.SessionID}
}

// eval returns the value of a JavaScript expression in the page, as JSON.
func (p *tab) eval(t *testing.T, expr string) string {
	t.Helper()
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
	}
	_ = json.Unmarshal(p.b.call(t, p.session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}), &r)
	return string(r.Result.Value)
}

// wait waits until a JavaScript expression is true in the page.
func (p *tab) wait(t *testing.T, expr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if p.eval(t, "(() => { try { return !!("+expr+") } catch (e) { return false } })()") == "true" {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s; page text: %.300s", expr, p.eval(t, "document.body && document.body.innerText"))
}

// TestBrowserSearchPending opens a page of a preview whose search index is
// still being made: a query typed into the box says so, and is answered by
// itself once the index comes and the server says it did.
func TestBrowserSearchPending(t *testing.T) {
	chromium := chromiumOrSkip(t)
	content := fstest.MapFS{
		"notes/a.md": {Data: []byte("# Alpha\n\nA note about Zanzibar.\n")},
		"notes/b.md": {Data: []byte("# Beta\n\nAnother note.\n")},
	}
	res, err := generator.Build(context.Background(), generator.Options{Content: content})
	if err != nil {
		t.Fatal(err)
	}
	var pages, index []generator.File
	for _, f := range res.Files {
		if strings.HasPrefix(f.Path, "search/") {
			index = append(index, f)
		} else {
			pages = append(pages, f)
		}
	}
	site := NewSite(pages)
	site.live, site.searchPending = true, true
	h := newHub()
	mux := http.NewServeMux()
	mux.Handle(eventsPath, h)
	mux.HandleFunc(scriptPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		_, _ = w.Write(reloadJS)
	})
	mux.Handle("/", site)
	ctx, cancel := context.WithCancel(context.Background())
	srv := httptest.NewUnstartedServer(mux)
	srv.Config.BaseContext = func(net.Listener) context.Context { return ctx }
	srv.Start()
	defer srv.Close()
	defer cancel() // first: it ends the page's event stream, which Close waits for

	b := startBrowser(t, chromium)
	page := b.open(t, srv.URL+"/notes/b.html")
	page.wait(t, `document.readyState === "complete"`)
	// The box loads its engine when it has the focus, which a second tab
	// is not given: it is told.
	page.wait(t, `(window.gen && typeof window.gen.search === "function") || (document.getElementById("q").dispatchEvent(new FocusEvent("focus")), false)`)
	page.eval(t, `(function () { var q = document.getElementById("q"); q.focus(); q.value = "zanzibar"; q.dispatchEvent(new Event("input")); return 1; })()`)
	page.wait(t, `document.body.innerText.includes("Search is being prepared")`)
	site.UpdateSearch(index)
	h.searchChanged()
	page.wait(t, `document.querySelector('.sr-group a[href*="notes/a.html"]') !== null`)
}
