package serve

import (
	"fmt"
	"slices"
	"testing"

	"github.com/gen-site/gen/generator"
)

// BenchmarkSiteUpdate times what the preview does with a rebuild's files
// at 10,000 notes: 31,000 files, of which one changed.
func BenchmarkSiteUpdate(b *testing.B) {
	files := make([]generator.File, 31000)
	for i := range files {
		files[i] = generator.File{Path: fmt.Sprintf("notes/n%05d-some-title-of-a-note.html", i), Data: []byte("<p>page</p>")}
	}
	s := NewSite(files)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		next := append([]generator.File(nil), files...)
		next[i%len(next)].Data = []byte(fmt.Sprint(i))
		s.Update(next)
	}
}

// TestSiteUpdate checks what Update reports and serves after each kind of
// change: a file added, changed, kept, removed, and all at once.
func TestSiteUpdate(t *testing.T) {
	file := func(p, data string) generator.File { return generator.File{Path: p, Data: []byte(data)} }
	s := NewSite([]generator.File{file("a.html", "a"), file("b.html", "b"), file("c.html", "c")})
	steps := []struct {
		files            []generator.File
		changed, removed []string
	}{
		{[]generator.File{file("a.html", "a"), file("b.html", "b"), file("c.html", "c")}, nil, nil},
		{[]generator.File{file("a.html", "A"), file("b.html", "b"), file("c.html", "c")}, []string{"a.html"}, nil},
		{[]generator.File{file("a.html", "A"), file("c.html", "c")}, nil, []string{"b.html"}},
		{[]generator.File{file("a.html", "A"), file("c.html", "c"), file("d.html", "d")}, []string{"d.html"}, nil},
		{[]generator.File{file("e.html", "e"), file("c.html", "C")}, []string{"c.html", "e.html"}, []string{"a.html", "d.html"}},
	}
	for i, st := range steps {
		changed, removed := s.Update(st.files)
		if !slices.Equal(changed, st.changed) || !slices.Equal(removed, st.removed) {
			t.Errorf("step %d: changed %q, removed %q; want %q, %q", i, changed, removed, st.changed, st.removed)
		}
		want := map[string]string{}
		for _, f := range st.files {
			want[f.Path] = string(f.Data)
		}
		got := map[string]string{}
		for p, data := range s.files {
			got[p] = string(data)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("step %d: serves %v, want %v", i, got, want)
		}
	}
	// The same files again, after the search files were swapped: the
	// ones Update keeps in step are unchanged, the swapped one is put
	// back, as the build that lists it says.
	last := steps[len(steps)-1].files
	if changed, removed := s.Update(last); len(changed) != 0 || len(removed) != 0 {
		t.Errorf("same files: changed %q, removed %q", changed, removed)
	}
	s.UpdateSearch([]generator.File{file("search/index.js", "new index")})
	if changed, removed := s.Update(last); len(changed) != 0 || !slices.Equal(removed, []string{"search/index.js"}) {
		t.Errorf("after UpdateSearch: changed %q, removed %q", changed, removed)
	}
	s.UpdateSearch([]generator.File{file("c.html", "swapped")})
	if changed, _ := s.Update(last); !slices.Equal(changed, []string{"c.html"}) || string(s.files["c.html"]) != "C" {
		t.Errorf("after a swap: changed %q, c.html %q", changed, s.files["c.html"])
	}
}
