package serve

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

// The live reload of a preview: pages served by gen serve get one script,
// /_gen/reload.js, that listens to /_gen/events (Server-Sent Events, so no
// library on either side, and the page keeps its back-forward cache
// entry). After each rebuild the server sends what changed; the script
// reloads its page only if that page's HTML changed, keeping the scroll
// position, swaps a stylesheet in place when only the stylesheet changed,
// and shows the build's errors over the page until they are fixed. Built
// sites never get the script: only Site.ServeHTTP adds it, and only when
// the Site was made for live reload.

const (
	eventsPath = "/_gen/events"
	scriptPath = "/_gen/reload.js"
	scriptTag  = `<script src="/_gen/reload.js"></script>`
)

//go:embed reload.js
var reloadJS []byte

// Change is what one rebuild changed, as the browser is told.
type Change struct {
	// Pages are the URL paths ("/notes/x.html") of the pages whose HTML
	// changed, or that are gone.
	Pages []string `json:"pages"`
	// CSS maps the URL path of each stylesheet replaced to its new one.
	CSS map[string]string `json:"css,omitempty"`
}

// hub sends events to every browser that listens.
type hub struct {
	mu      sync.Mutex
	clients map[chan event]bool
	errText string // the build's errors, while the last build failed
}

type event struct {
	name string
	data []byte
}

func newHub() *hub { return &hub{clients: map[chan event]bool{}} }

func (h *hub) send(e event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		select {
		case c <- e:
		default: // a browser that does not read loses events, not the server
		}
	}
}

// reload tells the browsers what changed.
func (h *hub) reload(c Change) {
	data, _ := json.Marshal(c)
	h.mu.Lock()
	hadErr := h.errText != ""
	h.errText = ""
	h.mu.Unlock()
	if hadErr {
		h.send(event{name: "ok", data: []byte("{}")})
	}
	h.send(event{name: "reload", data: data})
}

// searchChanged tells the browsers that the search index was made again.
func (h *hub) searchChanged() { h.send(event{name: "search", data: []byte("{}")}) }

// failed shows the build's errors in every browser, and in those that
// connect until a build succeeds.
func (h *hub) failed(text string) {
	h.mu.Lock()
	h.errText = text
	h.mu.Unlock()
	data, _ := json.Marshal(map[string]string{"message": text})
	h.send(event{name: "builderror", data: data})
}

func (h *hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	c := make(chan event, 16)
	h.mu.Lock()
	h.clients[c] = true
	errText := h.errText
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.clients, c)
		h.mu.Unlock()
	}()
	// A browser that connects (or reconnects) while the build is broken
	// sees the errors at once.
	fmt.Fprint(w, "retry: 500\nevent: hello\ndata: {}\n\n")
	if errText != "" {
		data, _ := json.Marshal(map[string]string{"message": errText})
		fmt.Fprintf(w, "event: builderror\ndata: %s\n\n", data)
	}
	fl.Flush()
	keep := time.NewTicker(30 * time.Second)
	defer keep.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-keep.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		case e := <-c:
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.name, e.data)
		}
		fl.Flush()
	}
}

// injectScript puts the live reload script before the page's last
// </body>, or at its end when it has none.
func injectScript(page []byte) []byte {
	out := make([]byte, 0, len(page)+len(scriptTag))
	if i := bytes.LastIndex(page, []byte("</body>")); i >= 0 {
		out = append(out, page[:i]...)
		out = append(out, scriptTag...)
		return append(out, page[i:]...)
	}
	out = append(out, page...)
	return append(out, scriptTag...)
}

// change turns the files a rebuild changed into what browsers are told: a
// stylesheet whose hashed name changed is a rename, not a page to reload.
func change(changed, removed []string, assetOnly map[string]bool) Change {
	c := Change{Pages: []string{}}
	gone := map[string]string{} // stem → old path, of removed stylesheets
	for _, p := range removed {
		if strings.HasSuffix(p, ".css") {
			gone[assetStem(p)] = p
		}
	}
	cssOnly := true
	for _, p := range changed {
		if strings.HasPrefix(p, "assets/") && !strings.HasSuffix(p, ".css") {
			if _, isNew := gone[assetStem(p)]; !isNew {
				cssOnly = false
			}
		}
	}
	for _, p := range changed {
		if strings.HasSuffix(p, ".css") {
			if old, ok := gone[assetStem(p)]; ok {
				if c.CSS == nil {
					c.CSS = map[string]string{}
				}
				c.CSS["/"+old] = "/" + p
			}
		}
	}
	for _, p := range append(append([]string{}, changed...), removed...) {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		if assetOnly[p] && cssOnly && len(c.CSS) > 0 {
			continue
		}
		c.Pages = append(c.Pages, "/"+p)
	}
	return c
}

// assetStem returns a hashed asset's path without its hash:
// "assets/style.1a2b3c4d.css" → "assets/style.css".
func assetStem(p string) string {
	ext := path.Ext(p)
	base := strings.TrimSuffix(p, ext)
	if i := strings.LastIndexByte(base, '.'); i > strings.LastIndexByte(base, '/') {
		base = base[:i]
	}
	return base + ext
}
