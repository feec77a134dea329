package site

import (
	"strings"
	"testing"
)

// FuzzHasPrefixLower checks hasPrefixLower against the lowering of both
// strings that it stands for.
func FuzzHasPrefixLower(f *testing.F) {
	for _, c := range [][2]string{{"Data Retention: 24 hours", "data retention"}, {"İstanbul", "i̇"}, {"\xff", "\uFFFD"}, {"Ab", ""}, {"a", "ab"}} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, s, prefix string) {
		if got, want := hasPrefixLower(s, prefix), strings.HasPrefix(strings.ToLower(s), strings.ToLower(prefix)); got != want {
			t.Fatalf("hasPrefixLower(%q, %q) = %v, want %v", s, prefix, got, want)
		}
	})
}

func TestPresentTOC(t *testing.T) {
	toc := []TOCItem{{ID: "intro"}, {ID: "gone"}, {ID: "q&a"}, {ID: "intro", Text: "again"}, {ID: "L12"}}
	page := []byte(`<h2 id="intro">Intro</h2><p id="L12">x</p><h2 id="q&amp;a">Q</h2><p id="gone-not">`)
	var got []string
	for _, it := range presentTOC(toc, page) {
		got = append(got, it.ID+it.Text)
	}
	if want := "intro q&a introagain L12"; strings.Join(got, " ") != want {
		t.Errorf("presentTOC = %q, want %q", strings.Join(got, " "), want)
	}
}
