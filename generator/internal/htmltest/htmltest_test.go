package htmltest

import (
	"slices"
	"testing"
)

const page = `<!doctype html><title>T</title>
<main id="main"><ul class="note-list a"><li><a href="x.html">One</a></li>
<li><a class="b" href="../y.html#p">  Two
 words </a></li></ul><img src="i.png"><p data-x="1">para</p></main>`

func TestFind(t *testing.T) {
	doc := Parse([]byte(page))
	tests := []struct {
		sel  string
		want []string
	}{
		{"title", []string{"T"}},
		{"a", []string{"One", "Two words"}},
		{"ul.note-list a", []string{"One", "Two words"}},
		{"#main a.b", []string{"Two words"}},
		{"main li a[href=x.html]", []string{"One"}},
		{"p[data-x]", []string{"para"}},
		{"ul.missing a", nil},
		{"li li", nil},
	}
	for _, tt := range tests {
		if got := Texts(doc, tt.sel); !slices.Equal(got, tt.want) {
			t.Errorf("Texts(%q) = %q, want %q", tt.sel, got, tt.want)
		}
	}
	if First(doc, "h1") != nil {
		t.Errorf("First(h1) found an element in a page without one")
	}
}

func TestRefs(t *testing.T) {
	var got []string
	for _, r := range Refs(Parse([]byte(page))) {
		got = append(got, r.Tag+" "+r.Attr+" "+r.URL)
	}
	want := []string{"a href x.html", "a href ../y.html#p", "img src i.png"}
	if !slices.Equal(got, want) {
		t.Errorf("Refs = %q, want %q", got, want)
	}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		page, ref, base string
		want            string
		ok              bool
	}{
		{"index.html", "notes/a.html", "/", "notes/a.html", true},
		{"notes/a.html", "b.html#part", "/", "notes/b.html", true},
		{"notes/a.html", "../index.html", "/", "index.html", true},
		{"notes/a.html", "../assets/s.css?v=1", "/", "assets/s.css", true},
		{"notes/a.html", "../../x.html", "/", "../x.html", true},
		{"notes/a.html", "../", "/", "index.html", true},
		{"404.html", "/sub/index.html", "/sub/", "index.html", true},
		{"404.html", "/sub/", "/sub/", "index.html", true},
		{"404.html", "/other/x.html", "/sub/", "../other/x.html", true},
		{"a.html", "#top", "/", "", false},
		{"a.html", "https://example.org/", "/", "", false},
		{"a.html", "//example.org/x", "/", "", false},
		{"a.html", "mailto:a@b.c", "/", "", false},
	}
	for _, tt := range tests {
		got, ok := Resolve(tt.page, tt.ref, tt.base)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Resolve(%q, %q, %q) = %q, %v, want %q, %v", tt.page, tt.ref, tt.base, got, ok, tt.want, tt.ok)
		}
	}
}
