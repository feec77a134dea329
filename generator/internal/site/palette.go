package site

import (
	"fmt"
	"strings"
)

// categoryColours are the category colours, light theme then dark theme.
// A category keeps its colour everywhere (graph nodes, chips, page
// accents) through the class "cat-N". Each light colour reaches WCAG AA
// (4.5:1) as text on the light page and panel backgrounds, and each dark
// one on the dark ones; palette_test.go checks it.
var categoryColours = [...][2]string{
	{"#1d4ed8", "#93c5fd"}, // blue
	{"#b91c1c", "#fca5a5"}, // red
	{"#047857", "#6ee7b7"}, // green
	{"#7e22ce", "#d8b4fe"}, // purple
	{"#a44a07", "#fcd34d"}, // amber
	{"#0e7490", "#67e8f9"}, // cyan
	{"#be185d", "#f9a8d4"}, // pink
	{"#4d7c0f", "#bef264"}, // lime
	{"#4338ca", "#a5b4fc"}, // indigo
	{"#8a5a00", "#fde68a"}, // ochre
	{"#0f766e", "#5eead4"}, // teal
	{"#57534e", "#d6d3d1"}, // stone
}

// Page backgrounds of the default theme (style.css), which the category
// colours are checked against.
var (
	lightBackgrounds = []string{"#fdfdfc", "#f3f4f6"}
	darkBackgrounds  = []string{"#15171a", "#1f2328"}
)

// PaletteCSS returns the stylesheet of the category colours: one class per
// colour setting --cat, in the light palette, the dark one for a dark
// system preference and for an explicit data-theme="dark".
func PaletteCSS() []byte {
	var b strings.Builder
	b.WriteString("/* Category colours, made by gen: see site/palette.go. */\n")
	rules := func(prefix string, theme int) {
		for i, c := range categoryColours {
			fmt.Fprintf(&b, "%s.cat-%d{--cat:%s}\n", prefix, i, c[theme])
		}
	}
	rules("", 0)
	b.WriteString("@media (prefers-color-scheme: dark) {\n")
	rules(`:root:not([data-theme="light"]) `, 1)
	b.WriteString("}\n")
	rules(`:root[data-theme="dark"] `, 1)
	return []byte(b.String())
}
