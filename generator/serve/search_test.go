package serve

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gen-site/gen/generator"
)

func TestSearchHandler(t *testing.T) {
	content := fstest.MapFS{
		"notes/kinesis.md": {Data: []byte("# Kinesis\n\n## Retention\n\nKinesis keeps records for 24 hours by default.\n")},
		"notes/s3.md":      {Data: []byte("# S3\n\nS3 stores objects of up to 5 TB.\n")},
	}
	res, err := generator.Build(context.Background(), generator.Options{Content: content})
	if err != nil {
		t.Fatal(err)
	}
	h := SearchHandler(res.Search)
	get := func(query string) (int, []generator.SearchHit, string) {
		t.Helper()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, SearchPath+"?"+query, nil))
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("%s: Content-Type %q", query, ct)
		}
		var hits []generator.SearchHit
		if rec.Code == http.StatusOK {
			if err := json.Unmarshal(rec.Body.Bytes(), &hits); err != nil {
				t.Fatalf("%s: %v: %s", query, err, rec.Body)
			}
		}
		return rec.Code, hits, rec.Body.String()
	}

	code, hits, _ := get("q=retention")
	want, _ := res.Search("retention", 10)
	if code != 200 || len(hits) == 0 || len(hits) != len(want) {
		t.Fatalf("retention: %d, %v; want %v", code, hits, want)
	}
	for i := range want {
		if hits[i] != want[i] {
			t.Errorf("retention #%d: %+v, want %+v", i, hits[i], want[i])
		}
	}
	if code, hits, _ := get("q=kinesis&limit=1"); code != 200 || len(hits) != 1 {
		t.Errorf("limit=1: %d, %d hits", code, len(hits))
	}
	if code, _, body := get("q=xyzzyq"); code != 200 || strings.TrimSpace(body) != "[]" {
		t.Errorf("no hits: %d %s, want []", code, body)
	}
	if code, _, body := get("q=" + url.QueryEscape("<script>alert(1)</script>")); code != 200 || strings.Contains(body, "<") {
		t.Errorf("<script>: %d %s", code, body)
	}
	if code, _, _ := get("q=" + strings.Repeat("é", 6000)); code != 200 {
		t.Errorf("a long query: %d", code)
	}
	for _, bad := range []string{"q=s3&limit=0", "q=s3&limit=x"} {
		if code, _, _ := get(bad); code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad, code)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, SearchPath+"?q=s3", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d, want 405", rec.Code)
	}
}

// TestSearchHandlerPending checks the answer while gen serve is still
// making the first index: 503 with Retry-After, never a 500.
func TestSearchHandlerPending(t *testing.T) {
	h := SearchHandler(func(string, int) ([]generator.SearchHit, error) { return nil, generator.ErrNoSearchIndex })
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, SearchPath+"?q=s3", nil))
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "1" {
		t.Errorf("status %d, Retry-After %q; want 503 and 1", rec.Code, rec.Header().Get("Retry-After"))
	}
	if !strings.Contains(rec.Body.String(), "being made") {
		t.Errorf("body %q", rec.Body.String())
	}
}
