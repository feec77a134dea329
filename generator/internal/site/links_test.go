package site

import (
	"net/url"
	"path"
	"strings"
	"testing"
)

// parsedResolve is resolve as url.Parse reads every reference: what the
// plain-reference fast path and its memo must agree with.
func parsedResolve(basePath, pagePath, ref string) (target, frag string, ok bool) {
	u, err := url.Parse(ref)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" {
		return "", "", false
	}
	frag = u.Fragment
	if u.Path == "" {
		return pagePath, frag, frag != ""
	}
	var p string
	if strings.HasPrefix(u.Path, "/") {
		rest, ok := strings.CutPrefix(u.Path, basePath)
		if !ok {
			return "", "", false
		}
		p = path.Join(".", rest)
	} else {
		p = path.Join(path.Dir(pagePath), u.Path)
	}
	if p == "." || strings.HasSuffix(u.Path, "/") {
		p = path.Join(p, "index.html")
	}
	if strings.HasPrefix(p, "../") {
		return "", "", false
	}
	return p, frag, true
}

func TestResolve(t *testing.T) {
	tests := []struct {
		base, page, ref string
		target, frag    string
		ok              bool
	}{
		{"/", "services/s3.html", "../notes/a.html#L12", "notes/a.html", "L12", true},
		{"/", "services/s3.html", "../notes/a.html", "notes/a.html", "", true},
		{"/", "services/s3.html", "#facts", "services/s3.html", "facts", true},
		{"/", "services/s3.html", "", "services/s3.html", "", false},
		{"/", "services/s3.html", "../", "index.html", "", true},
		{"/", "index.html", "./", "index.html", "", true},
		{"/", "index.html", "../../x.html", "", "", false},
		{"/aws/", "index.html", "/aws/notes/a.html#x", "notes/a.html", "x", true},
		{"/aws/", "index.html", "/other/a.html", "", "", false},
		{"/", "index.html", "//example.org/a.html", "", "", false},
		{"/", "index.html", "https://example.org/a.html", "", "", false},
		{"/", "index.html", "mailto:a@example.org", "", "", false},
		{"/", "notes/a.html", "b%20c.html#x%2Fy", "notes/b c.html", "x/y", true},
		{"/", "notes/a.html", "b.html?q=1#top", "notes/b.html", "top", true},
	}
	for _, tt := range tests {
		var r refResolver
		for range 2 { // the second from the memo
			target, frag, ok := r.resolve(tt.base, tt.page, tt.ref)
			if target != tt.target || frag != tt.frag || ok != tt.ok {
				t.Errorf("resolve(%q, %q, %q) = %q, %q, %v; want %q, %q, %v", tt.base, tt.page, tt.ref, target, frag, ok, tt.target, tt.frag, tt.ok)
			}
		}
	}
}

// FuzzResolve checks that a page's refResolver, fast path and memo
// included, resolves two references as url.Parse does.
func FuzzResolve(f *testing.F) {
	f.Add("/", "services/s3.html", "../notes/a.html#L12", "../notes/a.html#L13")
	f.Add("/aws/", "index.html", "/aws/x/#y", "x/")
	f.Add("/", "a/b/c.html", "../../../d.html", "//h/p")
	f.Fuzz(func(t *testing.T, base, page, ref1, ref2 string) {
		var r refResolver
		for _, ref := range []string{ref1, ref2, ref1} {
			target, frag, ok := r.resolve(base, page, ref)
			wt, wf, wok := parsedResolve(base, page, ref)
			if target != wt || frag != wf || ok != wok {
				t.Fatalf("resolve(%q, %q, %q) = %q, %q, %v; url.Parse gives %q, %q, %v", base, page, ref, target, frag, ok, wt, wf, wok)
			}
		}
	})
}
