package site

import (
	"bytes"
	"strings"

	"github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
)

// Chroma styles for the two palettes of the default theme.
const (
	lightStyle = "github"
	darkStyle  = "github-dark"
)

// SyntaxCSS returns the stylesheet for highlighted code: the light palette,
// and the dark one both for a dark system preference and for an explicit
// data-theme="dark" on the root element.
func SyntaxCSS() []byte {
	f := html.New(html.WithClasses(true))
	var light, dark bytes.Buffer
	_ = f.WriteCSS(&light, styles.Get(lightStyle))
	_ = f.WriteCSS(&dark, styles.Get(darkStyle))
	var out bytes.Buffer
	out.WriteString("/* Code highlighting, made by chroma: " + lightStyle + " and " + darkStyle + ". */\n")
	out.Write(light.Bytes())
	out.WriteString("@media (prefers-color-scheme: dark) {\n")
	out.WriteString(prefixRules(dark.String(), `:root:not([data-theme="light"]) `))
	out.WriteString("}\n")
	out.WriteString(prefixRules(dark.String(), `:root[data-theme="dark"] `))
	return out.Bytes()
}

// prefixRules puts prefix before every selector of css, which chroma
// writes as one rule per line.
func prefixRules(css, prefix string) string {
	var b strings.Builder
	for _, line := range strings.Split(css, "\n") {
		i := strings.Index(line, "{")
		if i < 0 {
			if strings.TrimSpace(line) != "" {
				b.WriteString(line + "\n")
			}
			continue
		}
		sel, rest := line[:i], line[i:]
		// Keep a leading comment such as "/* Background */ ".
		comment := ""
		if j := strings.Index(sel, "*/"); j >= 0 {
			comment, sel = sel[:j+2]+" ", sel[j+2:]
		}
		parts := strings.Split(sel, ",")
		for k, p := range parts {
			parts[k] = prefix + strings.TrimSpace(p)
		}
		b.WriteString(comment + strings.Join(parts, ", ") + " " + rest + "\n")
	}
	return b.String()
}
