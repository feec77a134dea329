package serve

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/gen-site/gen/generator"
)

// SearchPath is where the preview server answers search queries with Bleve.
const SearchPath = "/_gen/search"

// Search request limits: more results than a page shows are of no use, and
// a query longer than a search box holds is cut (Bleve reads only its first
// words anyway).
const (
	searchDefaultLimit = 10
	searchMaxLimit     = 100
	searchMaxQuery     = 10000
)

// SearchHandler answers GET /_gen/search?q=QUERY[&limit=N] with the hits
// search returns (Result.Search: Bleve on the build's index, the ranking
// the browser client reproduces), as the JSON array `gen search --json`
// prints: [{id, url, title, section, score}], best first, [] for none.
func SearchHandler(search func(q string, limit int) ([]generator.SearchHit, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "use GET"})
			return
		}
		q := r.URL.Query().Get("q")
		if len(q) > searchMaxQuery {
			n := searchMaxQuery
			for n > 0 && !utf8.RuneStart(q[n]) {
				n--
			}
			q = q[:n]
		}
		limit := searchDefaultLimit
		if s := r.URL.Query().Get("limit"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": "limit must be a positive number"})
				return
			}
			limit = min(n, searchMaxLimit)
		}
		hits, err := search(q, limit)
		if errors.Is(err, generator.ErrNoSearchIndex) {
			// gen serve makes the index after its first build: a moment.
			h.Set("Retry-After", "1")
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "the search index is being made"})
			return
		}
		if err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
			return
		}
		if hits == nil {
			hits = []generator.SearchHit{}
		}
		writeJSON(w, http.StatusOK, hits)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v) // escapes <, > and &: safe to show anywhere
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"error":"cannot encode the results"}`)
	}
	w.WriteHeader(status)
	_, _ = w.Write(append(data, '\n'))
}
