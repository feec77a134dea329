package site

import (
	"math"
	"strconv"
	"testing"
)

func luminance(hex string) float64 {
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil {
		panic(err)
	}
	ch := func(c uint64) float64 {
		s := float64(c) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(v>>16&255) + 0.7152*ch(v>>8&255) + 0.0722*ch(v&255)
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// TestCategoryColoursContrast checks WCAG AA for category colours used as
// text (chips, accents) on every background of both themes.
func TestCategoryColoursContrast(t *testing.T) {
	for i, c := range categoryColours {
		for theme, bgs := range [][]string{lightBackgrounds, darkBackgrounds} {
			for _, bg := range bgs {
				if r := contrast(c[theme], bg); r < 4.5 {
					t.Errorf("cat-%d %s on %s: contrast %.2f < 4.5", i, c[theme], bg, r)
				}
			}
		}
	}
}
