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
