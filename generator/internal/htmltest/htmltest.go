// Package htmltest checks HTML pages by structure rather than by text: tests
// parse a page once, then find elements with simple CSS-like selectors and
// look at their text and attributes. Whole-page comparisons break on every
// template change; structural checks break only when what they check breaks.
package htmltest

import (
	"bytes"
	"net/url"
	"path"
	"strings"

	"golang.org/x/net/html"
)

// Parse parses an HTML document. The HTML5 parser accepts any input, so the
// only error is from reading, which cannot happen on a byte slice.
func Parse(data []byte) *html.Node {
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		panic(err) // unreachable: html.Parse fails only when its reader does
	}
	return doc
}

// Find returns the elements under n that match selector, in document order.
// A selector is one or more simple selectors separated by spaces (descendant
// combinators); a simple selector is an optional tag name followed by any
// number of ".class", "#id", "[attr]" and "[attr=value]" parts, as in
// "main ul.note-list li a[href]".
func Find(n *html.Node, selector string) []*html.Node {
	parts := strings.Fields(selector)
	if len(parts) == 0 {
		return nil
	}
	var out []*html.Node
	seen := map[*html.Node]bool{}
	var walk func(c *html.Node)
	walk = func(c *html.Node) {
		if c.Type == html.ElementNode && !seen[c] && matchPath(c, parts) {
			seen[c] = true
			out = append(out, c)
		}
		for k := c.FirstChild; k != nil; k = k.NextSibling {
			walk(k)
		}
	}
	walk(n)
	return out
}

// First returns the first element under n that matches selector, or nil.
func First(n *html.Node, selector string) *html.Node {
	if all := Find(n, selector); len(all) > 0 {
		return all[0]
	}
	return nil
}

// matchPath reports whether el matches the last simple selector and its
// ancestors match the others, in order.
func matchPath(el *html.Node, parts []string) bool {
	last := len(parts) - 1
	if !matchSimple(el, parts[last]) {
		return false
	}
	i := last - 1
	for a := el.Parent; a != nil && i >= 0; a = a.Parent {
		if a.Type == html.ElementNode && matchSimple(a, parts[i]) {
			i--
		}
	}
	return i < 0
}

func matchSimple(el *html.Node, sel string) bool {
	tag, rest := splitToken(sel)
	if tag != "" && tag != "*" && tag != el.Data {
		return false
	}
	for rest != "" {
		kind := rest[0]
		var tok string
		switch kind {
		case '.', '#':
			tok, rest = splitToken(rest[1:])
		case '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return false
			}
			tok, rest = rest[1:end], rest[end+1:]
		default:
			return false
		}
		switch kind {
		case '.':
			if !hasClass(el, tok) {
				return false
			}
		case '#':
			if v, ok := Attr(el, "id"); !ok || v != tok {
				return false
			}
		case '[':
			name, want, hasValue := strings.Cut(tok, "=")
			v, ok := Attr(el, name)
			if !ok || hasValue && v != strings.Trim(want, `"'`) {
				return false
			}
		}
	}
	return true
}

// splitToken splits s before the first '.', '#' or '['.
func splitToken(s string) (tok, rest string) {
	i := strings.IndexAny(s, ".#[")
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i:]
}

func hasClass(el *html.Node, class string) bool {
	v, _ := Attr(el, "class")
	for _, c := range strings.Fields(v) {
		if c == class {
			return true
		}
	}
	return false
}

// Attr returns the value of el's attribute name. A nil el, as First
// returns when nothing matches, has no attributes.
func Attr(el *html.Node, name string) (string, bool) {
	if el == nil {
		return "", false
	}
	for _, a := range el.Attr {
		if a.Namespace == "" && a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

// Text returns the text under n with runs of white space collapsed to one
// space and trimmed, as a reader sees it. Like the DOM's textContent it
// adds no space between elements, so highlighted code reads as written.
func Text(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	var walk func(c *html.Node)
	walk = func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
		for k := c.FirstChild; k != nil; k = k.NextSibling {
			walk(k)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// Texts returns the Text of every element under n that matches selector.
func Texts(n *html.Node, selector string) []string {
	var out []string
	for _, el := range Find(n, selector) {
		out = append(out, Text(el))
	}
	return out
}

// Ref is one URL a page refers to.
type Ref struct {
	Tag, Attr, URL string
}

// Refs returns every href and src attribute under n.
func Refs(n *html.Node) []Ref {
	var out []Ref
	for _, el := range Find(n, "*") {
		for _, a := range el.Attr {
			if a.Namespace == "" && (a.Key == "href" || a.Key == "src") {
				out = append(out, Ref{Tag: el.Data, Attr: a.Key, URL: a.Val})
			}
		}
	}
	return out
}

// Resolve turns ref, found in the page at pagePath (slash-separated,
// relative to the site root), into the path of the file it names, relative
// to the site root, without its query or fragment. It reports false for
// references that leave the site (another scheme or host, mailto:), and
// for links within the page ("#x"). A path starting with "/" is taken from
// the site root after basePath ("/" or "/sub/") is removed; a path outside
// basePath resolves to "../" + the path, which is never a file of the site.
func Resolve(pagePath, ref, basePath string) (string, bool) {
	u, err := url.Parse(ref)
	if err != nil {
		return "../" + ref, true // unparsable: reported as not resolving
	}
	if u.Scheme != "" || u.Host != "" || u.Opaque != "" {
		return "", false
	}
	if u.Path == "" {
		return "", false
	}
	// path.Join keeps leading ".." elements, so a reference that climbs
	// out of the site stays outside it instead of being clamped to the root.
	var p string
	if strings.HasPrefix(u.Path, "/") {
		if basePath == "" {
			basePath = "/"
		}
		rest, ok := strings.CutPrefix(u.Path, basePath)
		if !ok && u.Path+"/" != basePath {
			return "../" + strings.TrimPrefix(u.Path, "/"), true
		}
		p = path.Join(".", rest)
	} else {
		p = path.Join(path.Dir(pagePath), u.Path)
	}
	if p == "." || strings.HasSuffix(u.Path, "/") {
		p = path.Join(p, "index.html")
	}
	return p, true
}
