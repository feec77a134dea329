package graph

import (
	"regexp"
	"testing"
)

// thousandsRE is what dropThousands does by hand.
var thousandsRE = regexp.MustCompile(`(\d),(\d{3})`)

func TestDropThousands(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"no commas here", "no commas here"},
		{"1,000 records", "1000 records"},
		{"1,000,000 records", "1000,000 records"}, // as the regexp: matches do not overlap
		{"a, b, c", "a, b, c"},
		{"12,34 and 5,6789", "12,34 and 56789"},
		{"up to 10,000,", "up to 10000,"},
		{",000", ",000"},
		{"9,99", "9,99"},
		{"é1,234ü", "é1234ü"},
	} {
		if got := dropThousands(tc.in); got != tc.want {
			t.Errorf("dropThousands(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if re := thousandsRE.ReplaceAllString(tc.in, "$1$2"); re != tc.want {
			t.Errorf("regexp on %q = %q, want %q", tc.in, re, tc.want)
		}
	}
}

// FuzzDropThousands checks dropThousands against the regexp it replaces.
func FuzzDropThousands(f *testing.F) {
	for _, s := range []string{"1,000,000", "a1,2345,678", ",,1,111", "\xff9,999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := dropThousands(s), thousandsRE.ReplaceAllString(s, "$1$2"); got != want {
			t.Errorf("dropThousands(%q) = %q, regexp %q", s, got, want)
		}
	})
}
