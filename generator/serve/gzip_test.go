package serve

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gen-site/gen/generator"
)

// TestGzip checks that text is compressed for clients that ask for it,
// and left alone for the others and for small files.
func TestGzip(t *testing.T) {
	page := "<!doctype html><title>x</title>" + strings.Repeat("<p>Kinesis Data Streams</p>", 200)
	site := NewSite([]generator.File{{Path: "index.html", Data: []byte(page)}, {Path: "small.css", Data: []byte("a{}")}})
	tests := []struct {
		path, accept string
		gzipped      bool
	}{
		{"/", "gzip, deflate, br", true},
		{"/", "", false},
		{"/", "gzip;q=0", false},
		{"/small.css", "gzip", false},
	}
	for _, tt := range tests {
		req := httptest.NewRequest(http.MethodGet, tt.path, nil)
		if tt.accept != "" {
			req.Header.Set("Accept-Encoding", tt.accept)
		}
		rec := httptest.NewRecorder()
		site.ServeHTTP(rec, req)
		got := rec.Header().Get("Content-Encoding") == "gzip"
		if got != tt.gzipped {
			t.Errorf("%s with Accept-Encoding %q: gzip %v, want %v", tt.path, tt.accept, got, tt.gzipped)
			continue
		}
		if !got {
			continue
		}
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(zr)
		if string(b) != page {
			t.Errorf("%s: the gzipped body is not the page", tt.path)
		}
	}
}
